"""Every change to hardship cases, care visits and benefits, and every view of a case.

Each service checks who acts and the case's current state under a row lock, raises
`WelfareError` with the message the user sees, writes the case's timeline (CaseEvent) and one
audit entry. Audit details hold states, amounts, dates and the IP address: never the
description, comments, opinions, objections or any other free text about health or family.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from members import access
from members.models import Member
from unionhome import notices, roles, workdays
from unionhome.audit import audit_entry, audit_record
from unionhome.errors import DomainError
from unionhome.models import AuditEntry
from unionhome.notices import notice_send, notices_send
from unionhome.security import client_ip
from welfare import access as welfare_access
from welfare.models import (
    DEATH_KINDS,
    ONCE_IN_A_LIFE,
    RELATIVES_OF_A_DEATH,
    AidCap,
    AidCase,
    AidRound,
    Attachment,
    Benefit,
    BenefitCap,
    BenefitKind,
    CapBasis,
    CareVisit,
    CaseEvent,
    PaymentForm,
    Relative,
)

State = AidCase.State
Kind = CaseEvent.Kind


class WelfareError(DomainError):
    """A change the rules forbid; the message is shown to the user as it is."""


def money(value) -> str:
    return f"{Decimal(value):,.2f}"


# --- views of a case (the access log) ------------------------------------------------------


def case_view_record(*, request, case: AidCase, via: str) -> None:
    """Log who looked at a case (portal page, admin, attachment download)."""
    audit_record(
        actor=request.user,
        action="welfare.case.viewed",
        target=case,
        branch_id=case.branch_id,
        via=via,
        ip=client_ip(request),
        path=request.path[:200],
    )


def case_view_denied(*, request, case_id, branch_id, via: str) -> None:
    """Log an attempt to open a case the user may not see (a view, refused)."""
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        case_id = None
    audit_record(
        actor=request.user,
        action="welfare.case.denied.viewed",
        target=AidCase(pk=case_id, branch_id=branch_id),
        branch_id=branch_id,
        via=via,
        ip=client_ip(request),
        path=request.path[:200],
        allowed=False,
    )


def search_term_digest(term: str) -> str:
    """A search term as the audit trail keeps it: keyed with the SECRET_KEY (a staff number
    cannot be found again by hashing every number), enough to tell two searches apart."""
    return salted_hmac("welfare.case.search", term.strip(), algorithm="sha256").hexdigest()[:32]


def case_list_view_record(*, request, cases, term: str = "", via: str = "") -> None:
    """The admin's case list (or a search) shows cases: each shown case is viewed (one row each)."""
    if not cases:
        return
    via = via or ("admin search" if term.strip() else "admin list")
    details = {"via": via, "ip": client_ip(request)}
    if term.strip():
        details["search"] = search_term_digest(term)
    AuditEntry.objects.bulk_create(
        audit_entry(
            actor=request.user,
            action="welfare.case.viewed",
            target=case,
            branch_id=case.branch_id,
            path=request.path[:200],
            **details,
        )
        for case in cases
    )


AUDIT_VIEWED = "welfare.audit.viewed"


def audit_entries_view_record(*, request, entries) -> None:
    """Log who read welfare entries of the audit trail (list or entry): one row per branch.

    Entries that only record earlier readings of the trail are not counted (they name no case).
    """
    by_branch: dict = {}
    for entry in entries:
        if entry.action != AUDIT_VIEWED:
            by_branch.setdefault(entry.branch_id, []).append(entry)
    for branch_id, shown in by_branch.items():
        audit_record(
            actor=request.user,
            action=AUDIT_VIEWED,
            target=shown[0],
            branch_id=branch_id,
            entries=[entry.pk for entry in shown],
            ip=client_ip(request),
            path=request.path[:200],
        )


# --- helpers --------------------------------------------------------------------------------


def _lock(case: AidCase) -> AidCase:
    return AidCase.objects.select_for_update(of=("self",)).select_related("round", "member").get(pk=case.pk)


def _lock_round(round_id) -> AidRound:
    """Serialise every change that checks the round's budget, places or households.

    Lock order, everywhere: the round, then the member, then the case.
    """
    return AidRound.objects.select_for_update().get(pk=round_id)


def _lock_member(member_id) -> None:
    if member_id is not None:
        Member.objects.select_for_update().filter(pk=member_id).first()


def _require_officer(actor, case: AidCase) -> None:
    if welfare_access.is_applicant(actor, case):
        raise WelfareError(_("不能办理自己的申请：请由另一位帮扶专员办理。"))
    if not welfare_access.can_handle_case(actor, case):
        raise WelfareError(_("只有本分工会的帮扶专员可以办理这个申请。"))


def _require_state(case: AidCase, *states) -> None:
    if case.state not in states:
        raise WelfareError(
            _("这个申请现在是“%(state)s”，不能进行这一步。") % {"state": case.get_state_display()}
        )


def _event(case: AidCase, *, actor, kind, from_state="", comment="") -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        from_state=from_state,
        to_state=case.state if from_state else "",
        actor=actor if actor is not None and actor.is_authenticated else None,
        comment=comment,
    )


def _ip() -> dict:
    """The client address of the request being served (set by welfare.middleware), if any."""
    from welfare.middleware import current_ip

    return {"ip": current_ip.get()} if current_ip.get() else {}


def _audit(case: AidCase, *, actor, action: str, **details) -> None:
    details.update(_ip())
    audit_record(
        actor=actor, action=f"welfare.case.{action}", target=case, branch_id=case.branch_id, **details
    )


def _move(case: AidCase, *, actor, to_state, kind, comment="", fields=(), **details) -> AidCase:
    from_state = case.state
    case.state = to_state
    case.save(update_fields=["state", "updated_at", *fields])
    _event(case, actor=actor, kind=kind, from_state=from_state, comment=comment)
    _audit(case, actor=actor, action=kind, from_state=from_state, to_state=to_state, **details)
    return case


def _household_ids(case: AidCase) -> set[int]:
    ids = set(case.household_members.values_list("pk", flat=True))
    if case.member_id:
        ids.add(case.member_id)
    return ids


def household_other_cases(case: AidCase):
    """The other annual cases of the round that share a member with this case's household."""
    if case.track != AidCase.Track.ANNUAL:
        return AidCase.objects.none()
    household = _household_ids(case)
    return (
        AidCase.objects.filter(round_id=case.round_id, track=AidCase.Track.ANNUAL)
        .exclude(pk=case.pk)
        .exclude(state=State.WITHDRAWN)
        .filter(Q(member_id__in=household) | Q(household_members__in=household))
        .distinct()
    )


def _flag_household(case: AidCase, *, actor) -> None:
    """One annual application per household per round, checked without telling the applicant.

    A clash (another member of the household applied in the round) is flagged on both cases for
    the welfare officers, who resolve it; the applicant's answer is the same either way, so the
    form is no oracle over colleagues' cases. Call under the round's lock.
    """
    others = list(household_other_cases(case).order_by("pk"))
    if not others:
        return
    for other in [case, *others]:
        if not other.household_clash:
            AidCase.objects.filter(pk=other.pk).update(household_clash=True)
            other.household_clash = True
        _event(other, actor=actor, kind=Kind.HOUSEHOLD, comment=_("同一家庭在本批次另有申请，请核查。"))
    _audit(case, actor=actor, action="household_clash", cases=[other.pk for other in others])


def _refuse_second_household_decision(case: AidCase) -> None:
    """Only one case of a household is decided in a round (call under the round's lock)."""
    decided = household_other_cases(case).filter(state__in=AidCase.COMMITTED_STATES)
    if decided.exists():
        raise WelfareError(
            _("同一家庭在本批次只能获批一次：%(cases)s 已经决定。")
            % {"cases": "、".join(str(other) for other in decided.order_by("pk"))}
        )


def _refuse_beyond_places(case: AidCase, round_: AidRound) -> None:
    """A round with places (名额) decides no more cases than it has places (under its lock)."""
    if round_.places is None:
        return
    taken = (
        AidCase.objects.filter(round_id=round_.pk, state__in=AidCase.COMMITTED_STATES)
        .exclude(pk=case.pk)
        .count()
    )
    if taken >= round_.places:
        raise WelfareError(
            _("“%(round)s”的 %(places)s 个名额已经用完。") % {"round": round_, "places": round_.places}
        )


def round_committed(round_: AidRound, *, exclude: AidCase | None = None) -> Decimal:
    """Amounts decided, approved, noticed, paid or closed in the round (the emergency track too)."""
    cases = AidCase.objects.filter(round=round_, state__in=AidCase.COMMITTED_STATES)
    if exclude is not None:
        cases = cases.exclude(pk=exclude.pk)
    return cases.aggregate(total=Sum("amount_approved"))["total"] or Decimal("0")


def cap_problems(case: AidCase, amount: Decimal) -> list[str]:
    """What an amount would break: the ground's cap per case and per year, the round's budget."""
    problems = []
    cap = AidCap.objects.filter(round_id=case.round_id, ground=case.ground).first()
    label = case.get_ground_display()
    if cap is not None and cap.per_case is not None and amount > cap.per_case:
        problems.append(
            _("%(ground)s每次最多 %(cap)s 元，本次 %(amount)s 元。")
            % {"ground": label, "cap": money(cap.per_case), "amount": money(amount)}
        )
    if cap is not None and cap.per_year is not None and case.member_id:
        earlier = AidCase.objects.filter(
            member_id=case.member_id,
            round__year=case.round.year,
            ground=case.ground,
            state__in=AidCase.COMMITTED_STATES,
        ).exclude(pk=case.pk).aggregate(total=Sum("amount_approved"))["total"] or Decimal("0")
        if earlier + amount > cap.per_year:
            problems.append(
                _("%(ground)s每人每年最多 %(cap)s 元，今年已批 %(earlier)s 元。")
                % {"ground": label, "cap": money(cap.per_year), "earlier": money(earlier)}
            )
    remaining = case.round.budget - round_committed(case.round, exclude=case)
    if amount > remaining:
        problems.append(
            _("本批次预算余额 %(remaining)s 元，不足 %(amount)s 元。")
            % {"remaining": money(remaining), "amount": money(amount)}
        )
    return problems


# --- applying -------------------------------------------------------------------------------


def case_create(
    *,
    actor,
    member: Member,
    round: AidRound,
    ground: str,
    track: str = AidCase.Track.ANNUAL,
    description: str = "",
    household_size: int | None = None,
    income_per_head: Decimal | None = None,
    medical_costs: Decimal | None = None,
    amount_requested: Decimal,
    consent_to_notice: bool = False,
    household_members=(),
    files=(),
    submit: bool = False,
) -> AidCase:
    """A new application by the member, or by a welfare officer on their behalf; all or nothing."""
    on_behalf = access.member_for(actor) is None or access.member_for(actor).pk != member.pk
    if on_behalf and not welfare_access.is_welfare_officer_of(actor, member.branch_id):
        raise WelfareError(_("只能为自己申请；代他人申请须由本分工会的帮扶专员办理。"))
    if not member.holds_membership:
        raise WelfareError(_("只有在册会员可以申请困难补助。"))
    if round.branch_id != member.branch_id:
        raise WelfareError(_("这个补助批次不属于申请人的分工会。"))
    if amount_requested is None or amount_requested <= 0:
        raise WelfareError(_("申请金额必须大于零。"))
    household = [m for m in household_members if m.pk != member.pk]
    if any(m.branch_id != member.branch_id for m in household):
        raise WelfareError(_("家庭成员须是本分工会的会员。"))
    if len(files) > settings.WELFARE_ATTACHMENT_MAX_COUNT:
        raise WelfareError(
            _("最多上传 %(count)s 个文件。") % {"count": settings.WELFARE_ATTACHMENT_MAX_COUNT}
        )
    saved = []
    try:
        with transaction.atomic():
            round = _lock_round(round.pk)
            if (
                track == AidCase.Track.ANNUAL
                and AidCase.objects.filter(round=round, member=member, track=track)
                .exclude(state=State.WITHDRAWN)
                .exists()
            ):
                raise WelfareError(
                    _("您在“%(round)s”中已经有一份申请，请在“我的申请”中查看。") % {"round": round}
                )
            case = AidCase.objects.create(
                branch_id=member.branch_id,
                round=round,
                member=member,
                ground=ground,
                track=track,
                description=description,
                household_size=household_size,
                income_per_head=income_per_head,
                medical_costs=medical_costs,
                amount_requested=amount_requested,
                consent_to_notice=consent_to_notice,
                created_by=actor,
            )
            case.household_members.set(household)
            _event(
                case,
                actor=actor,
                kind=Kind.CREATED,
                comment=_("帮扶专员代为录入") if on_behalf else "",
            )
            _audit(case, actor=actor, action="created", on_behalf=on_behalf, track=track, ground=ground)
            for upload in files:
                saved.append(_store_attachment(case, actor=actor, upload=upload))
            if submit:
                _submit(case, actor=actor)
            return case
    except IntegrityError:
        _remove_files(saved)
        raise WelfareError(_("您在这个批次中已经有一份申请，请在“我的申请”中查看。")) from None
    except BaseException:
        _remove_files(saved)
        raise


def _store_attachment(case, *, actor, upload) -> Attachment:
    from unionhome.uploads import UploadRefused, check_upload

    try:
        content_type = check_upload(upload, max_bytes=settings.WELFARE_ATTACHMENT_MAX_BYTES)
    except UploadRefused as error:
        raise WelfareError(error.message) from None
    upload.seek(0)
    attachment = Attachment(
        case=case,
        original_name=upload.name[-200:],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save("proof", upload, save=False)
    attachment.save()
    return attachment


def _remove_files(attachments) -> None:
    for attachment in attachments:
        attachment.file.storage.delete(attachment.file.name)


def case_add_attachment(*, actor, case: AidCase, upload) -> Attachment:
    with transaction.atomic():
        case = _lock(case)
        if not (welfare_access.is_applicant(actor, case) or welfare_access.can_handle_case(actor, case)):
            raise WelfareError(_("没有找到这个申请。"))
        if case.state in AidCase.ENDED_STATES:
            raise WelfareError(_("这个申请已经结束，不能再上传材料。"))
        if case.attachments.count() >= settings.WELFARE_ATTACHMENT_MAX_COUNT:
            raise WelfareError(
                _("最多上传 %(count)s 个文件。") % {"count": settings.WELFARE_ATTACHMENT_MAX_COUNT}
            )
        attachment = _store_attachment(case, actor=actor, upload=upload)
        try:
            _event(case, actor=actor, kind=Kind.ATTACHMENT)
            _audit(case, actor=actor, action="attachment_added", attachment=attachment.pk)
        except BaseException:
            _remove_files([attachment])
            raise
        return attachment


def _submit(case: AidCase, *, actor) -> None:
    if case.track == AidCase.Track.ANNUAL and not case.round.is_open_on(timezone.localdate()):
        raise WelfareError(
            _("“%(round)s”的申请时间是 %(opens)s 至 %(closes)s；急需帮助请选择临时救助。")
            % {"round": case.round, "opens": case.round.opens_on, "closes": case.round.closes_on}
        )
    case.submitted_at = timezone.now()
    _move(case, actor=actor, to_state=State.SUBMITTED, kind=Kind.SUBMITTED, fields=["submitted_at"])
    _flag_household(case, actor=actor)
    notices_send(
        user_ids=_welfare_officer_ids(case.branch_id),
        kind=notices.CASE_SUBMITTED,
        params={"case": notices.tr("补助申请 #%(pk)s", pk=case.pk)},
        url=reverse("welfare:case_detail", args=[case.pk]),
    )


def case_submit(*, actor, case: AidCase) -> AidCase:
    """draft → submitted, by the applicant or a welfare officer on their behalf."""
    with transaction.atomic():
        _lock_round(case.round_id)  # the household check reads the round's other cases
        case = _lock(case)
        if not (welfare_access.is_applicant(actor, case) or welfare_access.can_handle_case(actor, case)):
            raise WelfareError(_("没有找到这个申请。"))
        _require_state(case, State.DRAFT)
        _submit(case, actor=actor)
        return case


def _welfare_officer_ids(branch_id):
    return access.role_holders(branch_id, roles.WELFARE_OFFICER).values_list("pk", flat=True)


# --- the officers' steps ----------------------------------------------------------------------


def case_record_group_opinion(*, actor, case: AidCase, opinion: str) -> AidCase:
    """submitted → union-group opinion (工会小组意见)."""
    if not opinion.strip():
        raise WelfareError(_("请填写工会小组意见。"), field="opinion")
    with transaction.atomic():
        case = _lock(case)
        _require_officer(actor, case)
        _require_state(case, State.SUBMITTED)
        case.group_opinion = opinion.strip()
        return _move(
            case,
            actor=actor,
            to_state=State.GROUP_OPINION,
            kind=Kind.GROUP_OPINION,
            comment=case.group_opinion,
            fields=["group_opinion"],
        )


def case_review(
    *,
    actor,
    case: AidCase,
    exclusion_checks: str,
    meeting_on: datetime.date,
    decided_by: str,
    comment: str = "",
) -> AidCase:
    """union-group opinion → branch review and file (分工会审核建档): a collective decision."""
    if not exclusion_checks.strip():
        raise WelfareError(
            _("请记录排除情形的核查结果（如违法违纪造成的费用等）。"), field="exclusion_checks"
        )
    if meeting_on is None or not decided_by.strip():
        raise WelfareError(
            _("请记录分工会集体审核的日期和参加人员。"),
            field="meeting_on" if meeting_on is None else "decided_by",
        )
    with transaction.atomic():
        case = _lock(case)
        _require_officer(actor, case)
        _require_state(case, State.GROUP_OPINION)
        case.exclusion_checks = exclusion_checks.strip()
        case.review_meeting_on = meeting_on
        case.review_decided_by = decided_by.strip()
        case.reviewed_by = actor
        case.review_due_on = timezone.localdate() + datetime.timedelta(
            days=settings.WELFARE_REVIEW_INTERVAL_DAYS
        )
        return _move(
            case,
            actor=actor,
            to_state=State.REVIEWED,
            kind=Kind.REVIEWED,
            comment=comment,
            fields=[
                "exclusion_checks",
                "review_meeting_on",
                "review_decided_by",
                "reviewed_by",
                "review_due_on",
            ],
            meeting_on=str(meeting_on),
        )


def case_record_decision(
    *,
    actor,
    case: AidCase,
    decided_on: datetime.date,
    reference: str,
    amount: Decimal,
    override_reason: str = "",
    amount_reason: str = "",
) -> AidCase:
    """branch review → the university union's decision (date, reference, amount).

    An amount above the ground's caps or beyond the round's remaining budget is refused unless
    a reason is given; the reason goes on the timeline.
    """
    if decided_on is None or not reference.strip():
        raise WelfareError(
            _("请填写校工会决定的日期和文号。"), field="decided_on" if decided_on is None else "reference"
        )
    if amount is None or amount <= 0:
        raise WelfareError(_("批准金额必须大于零。"), field="amount")
    if amount != case.amount_requested and not amount_reason.strip():
        # The applicant reads it on her case page (seed 000 §2.3: the decision is explained).
        raise WelfareError(
            _("批准金额与申请金额（%(requested)s 元）不同：请写明原因，申请人会看到。")
            % {"requested": money(case.amount_requested)},
            field="amount_reason",
        )
    with transaction.atomic():
        # The round's budget and places, the member's yearly total and the household's other
        # cases are read here: lock the round and the member first, so that two officers
        # deciding two cases at once are served one after the other.
        round_ = _lock_round(case.round_id)
        _lock_member(case.member_id)
        case = _lock(case)
        _require_officer(actor, case)
        _require_state(case, State.REVIEWED)
        _refuse_second_household_decision(case)
        _refuse_beyond_places(case, round_)
        case.round = round_
        problems = cap_problems(case, amount)
        if problems and not override_reason.strip():
            raise WelfareError(
                " ".join(problems) + " " + _("如确需超出，请填写理由。"), field="override_reason"
            )
        case.decided_on = decided_on
        case.decision_reference = reference.strip()
        case.amount_approved = amount
        case.amount_reason = amount_reason.strip() if amount != case.amount_requested else ""
        _move(
            case,
            actor=actor,
            to_state=State.DECIDED,
            kind=Kind.DECIDED,
            comment=case.amount_reason,
            fields=["decided_on", "decision_reference", "amount_approved", "amount_reason"],
            amount=str(amount),
            reference=case.decision_reference,
        )
        if problems:
            _event(
                case, actor=actor, kind=Kind.OVERRIDE, comment=" ".join([*problems, override_reason.strip()])
            )
            _audit(case, actor=actor, action="override", amount=str(amount))
        return case


def case_approve(*, actor, case: AidCase) -> AidCase:
    """decided → approved, by a welfare officer other than the one who reviewed it (four eyes)."""
    with transaction.atomic():
        _lock_round(case.round_id)
        case = _lock(case)
        _require_officer(actor, case)
        _require_state(case, State.DECIDED)
        _refuse_second_household_decision(case)
        if case.reviewed_by_id is not None and case.reviewed_by_id == actor.pk:
            raise WelfareError(_("审核建档的人不能批准同一个申请：请由另一位帮扶专员批准。"))
        case.approved_by = actor
        case.approved_at = timezone.now()
        return _move(
            case,
            actor=actor,
            to_state=State.APPROVED,
            kind=Kind.APPROVED,
            fields=["approved_by", "approved_at"],
        )


def notice_working_days() -> int:
    """The 公示 lasts at least 5 working days: a shorter setting is a configuration error."""
    days, least = settings.WELFARE_NOTICE_WORKING_DAYS, settings.WELFARE_NOTICE_MIN_WORKING_DAYS
    if days < least:
        raise ImproperlyConfigured(f"WELFARE_NOTICE_WORKING_DAYS must be at least {least}, got {days}")
    return days


def case_start_notice(*, actor, case: AidCase, starts_on: datetime.date | None = None) -> AidCase:
    """approved → public notice (公示) for the configured number of working days."""
    starts_on = starts_on or timezone.localdate()
    with transaction.atomic():
        case = _lock(case)
        _require_officer(actor, case)
        _require_state(case, State.APPROVED)
        if not case.consent_to_notice:
            raise WelfareError(_("申请人没有同意公示：请记录不公示的原因。"))
        case.notice_starts_on = starts_on
        case.notice_ends_on = workdays.add_working_days(starts_on, notice_working_days())
        return _move(
            case,
            actor=actor,
            to_state=State.NOTICE,
            kind=Kind.NOTICE,
            fields=["notice_starts_on", "notice_ends_on"],
            starts_on=str(case.notice_starts_on),
            ends_on=str(case.notice_ends_on),
        )


def case_skip_notice(*, actor, case: AidCase, reason: str) -> AidCase:
    """An approved case that is not noticed (no consent): a welfare officer records why."""
    if not reason.strip():
        raise WelfareError(_("请填写不公示的原因。"), field="reason")
    with transaction.atomic():
        case = _lock(case)
        _require_officer(actor, case)
        _require_state(case, State.APPROVED)
        case.no_notice_reason = reason.strip()
        case.save(update_fields=["no_notice_reason", "updated_at"])
        _event(case, actor=actor, kind=Kind.NO_NOTICE, comment=case.no_notice_reason)
        _audit(case, actor=actor, action="no_notice")
        return case


def case_pay(*, actor, case: AidCase, paid_on: datetime.date, amount: Decimal) -> AidCase:
    """notice (after its end) or approved without notice → paid (date, amount, who paid)."""
    if paid_on is None or amount is None or amount <= 0:
        raise WelfareError(_("请填写发放日期和金额。"), field="paid_on" if paid_on is None else "amount")
    with transaction.atomic():
        case = _lock(case)
        _require_officer(actor, case)
        _require_state(case, State.NOTICE, State.APPROVED)
        if case.state == State.APPROVED and not case.no_notice_reason:
            raise WelfareError(_("请先公示，或记录不公示的原因。"))
        if case.state == State.NOTICE and timezone.localdate() <= case.notice_ends_on:
            raise WelfareError(
                _("公示到 %(day)s 结束，结束后才能发放。") % {"day": case.notice_ends_on.isoformat()}
            )
        if amount > case.amount_approved:
            raise WelfareError(
                _("发放金额不能超过批准金额 %(amount)s 元。") % {"amount": money(case.amount_approved)},
                field="amount",
            )
        case.paid_on = paid_on
        case.paid_amount = amount
        case.paid_by = actor
        return _move(
            case,
            actor=actor,
            to_state=State.PAID,
            kind=Kind.PAID,
            fields=["paid_on", "paid_amount", "paid_by"],
            amount=str(amount),
            paid_on=str(paid_on),
        )


def case_close(*, actor, case: AidCase, comment: str = "") -> AidCase:
    """paid → closed; the file is kept for the retention period from now."""
    with transaction.atomic():
        case = _lock(case)
        _require_officer(actor, case)
        _require_state(case, State.PAID)
        case.ended_at = timezone.now()
        case.review_due_on = None
        return _move(
            case,
            actor=actor,
            to_state=State.CLOSED,
            kind=Kind.CLOSED,
            comment=comment,
            fields=["ended_at", "review_due_on"],
        )


def case_reject(*, actor, case: AidCase, reasons: str) -> AidCase:
    """→ rejected, with reasons the applicant sees."""
    if not reasons.strip():
        raise WelfareError(_("请填写未批准的理由，申请人会看到这些理由。"), field="reasons")
    with transaction.atomic():
        case = _lock(case)
        _require_officer(actor, case)
        _require_state(case, *AidCase.REJECTABLE_STATES)
        case.rejection_reasons = reasons.strip()
        case.ended_at = timezone.now()
        case.review_due_on = None
        _move(
            case,
            actor=actor,
            to_state=State.REJECTED,
            kind=Kind.REJECTED,
            comment=case.rejection_reasons,
            fields=["rejection_reasons", "ended_at", "review_due_on"],
        )
        if case.member is not None:
            notice_send(
                user=case.member.user,
                kind=notices.CASE_REJECTED,
                url=reverse("welfare:case_detail", args=[case.pk]),
            )
        return case


def case_withdraw(*, actor, case: AidCase, comment: str = "") -> AidCase:
    """→ withdrawn, by the applicant (or an officer for them) before approval."""
    with transaction.atomic():
        case = _lock(case)
        if not (welfare_access.is_applicant(actor, case) or welfare_access.can_handle_case(actor, case)):
            raise WelfareError(_("没有找到这个申请。"))
        if case.state not in AidCase.WITHDRAWABLE_STATES:
            raise WelfareError(
                _("这个申请现在是“%(state)s”，批准后不能撤回。") % {"state": case.get_state_display()}
            )
        case.ended_at = timezone.now()
        case.review_due_on = None
        return _move(
            case,
            actor=actor,
            to_state=State.WITHDRAWN,
            kind=Kind.WITHDRAWN,
            comment=comment,
            fields=["ended_at", "review_due_on"],
        )


def case_add_note(*, actor, case: AidCase, text: str) -> CaseEvent:
    """An internal note on the timeline (never shown to the applicant)."""
    if not text.strip():
        raise WelfareError(_("备注不能为空。"), field="text")
    with transaction.atomic():
        case = _lock(case)
        _require_officer(actor, case)
        event = _event(case, actor=actor, kind=Kind.NOTE, comment=text.strip())
        _audit(case, actor=actor, action="note")
        return event


def case_set_review_date(*, actor, case: AidCase, due_on: datetime.date | None) -> AidCase:
    with transaction.atomic():
        case = _lock(case)
        _require_officer(actor, case)
        case.review_due_on = due_on
        case.save(update_fields=["review_due_on", "updated_at"])
        _audit(case, actor=actor, action="review_date", due_on=str(due_on) if due_on else "")
        return case


def notice_is_open(case: AidCase, day: datetime.date | None = None) -> bool:
    day = day or timezone.localdate()
    return (
        case.state == State.NOTICE
        and case.notice_starts_on is not None
        and case.notice_starts_on <= day <= case.notice_ends_on
    )


def case_object(*, actor, case: AidCase, text: str) -> CaseEvent:
    """A member's confidential objection (异议) during the notice: to the welfare officers only."""
    if not text.strip():
        raise WelfareError(_("请写明异议的内容。"))
    with transaction.atomic():
        case = _lock(case)
        member = access.member_for(actor)
        if member is None or member.branch_id != case.branch_id or not notice_is_open(case):
            raise WelfareError(_("这项公示已经结束或不存在。"))
        event = _event(case, actor=actor, kind=Kind.OBJECTION, comment=text.strip()[:2000])
        _audit(case, actor=actor, action="objection")
        notices_send(
            user_ids=_welfare_officer_ids(case.branch_id),
            kind=notices.CASE_OBJECTION,
            params={"case": notices.tr("补助申请 #%(pk)s", pk=case.pk)},
            url=reverse("welfare:case_detail", args=[case.pk]),
        )
        return event


def _save_unique(obj, *, refusal: str, field: str | None = None) -> None:
    """Save in a savepoint; the database's unique constraint, if it refuses, says `refusal`."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise WelfareError(refusal, field=field) from None


# --- rounds and their caps -------------------------------------------------------------------


def _require_round_officer(actor, branch_id) -> None:
    if not welfare_access.is_welfare_officer_of(actor, branch_id):
        raise WelfareError(_("只有本分工会的帮扶专员可以设置补助批次。"))


def round_save(*, actor, round_: AidRound) -> AidRound:
    """Create or change a round; its budget and places never fall below what is already decided."""
    _require_round_officer(actor, round_.branch_id)
    if round_.budget is None or round_.budget < 0:
        raise WelfareError(_("预算不能为负数。"), field="budget")
    if round_.places is not None and round_.places < 1:
        raise WelfareError(_("名额至少为 1；不限名额请留空。"), field="places")
    with transaction.atomic():
        created = round_.pk is None
        if not created:
            before = _lock_round(round_.pk)
            if before.branch_id != round_.branch_id:
                raise WelfareError(_("补助批次不能改到另一个分工会。"), field="branch")
            committed = AidCase.objects.filter(round_id=round_.pk, state__in=AidCase.COMMITTED_STATES)
            spent = round_committed(round_)
            if round_.budget < spent:
                raise WelfareError(
                    _("本批次已决定 %(spent)s 元，预算不能少于这个数。") % {"spent": money(spent)},
                    field="budget",
                )
            if round_.places is not None and round_.places < committed.count():
                raise WelfareError(
                    _("本批次已决定 %(count)s 人，名额不能少于这个数。") % {"count": committed.count()},
                    field="places",
                )
        _save_unique(round_, refusal=_("本分工会这一年度已经有补助批次。"), field="year")
        audit_record(
            actor=actor,
            action="welfare.round.created" if created else "welfare.round.changed",
            target=round_,
            budget=str(round_.budget),
            places=round_.places,
            **_ip(),
        )
        return round_


def round_delete(*, actor, round_: AidRound) -> None:
    """Remove a round set up by mistake: only while it has no case."""
    _require_round_officer(actor, round_.branch_id)
    with transaction.atomic():
        round_ = _lock_round(round_.pk)
        if AidCase.objects.filter(round_id=round_.pk).exists():
            raise WelfareError(_("这个批次已经有申请，不能删除。"))
        audit_record(actor=actor, action="welfare.round.deleted", target=round_, **_ip())
        round_.delete()


def aid_cap_save(*, actor, cap: AidCap) -> AidCap:
    """Set a ground's caps in a round (per case, per member and year), audited."""
    round_ = cap.round
    _require_round_officer(actor, round_.branch_id)
    for field in ("per_case", "per_year"):
        if getattr(cap, field) is not None and getattr(cap, field) < 0:
            raise WelfareError(_("上限不能为负数。"), field=field)
    with transaction.atomic():
        _lock_round(round_.pk)
        created = cap.pk is None
        if not created and AidCap.objects.filter(pk=cap.pk).exclude(round_id=round_.pk).exists():
            raise WelfareError(_("没有找到这个上限。"))
        refusal = _("这个批次已经设置了“%(ground)s”的上限。") % {"ground": cap.get_ground_display()}
        _save_unique(cap, refusal=refusal, field="ground")
        audit_record(
            actor=actor,
            action="welfare.aid_cap.created" if created else "welfare.aid_cap.changed",
            target=cap,
            branch_id=round_.branch_id,
            round=round_.pk,
            ground=cap.ground,
            per_case=None if cap.per_case is None else str(cap.per_case),
            per_year=None if cap.per_year is None else str(cap.per_year),
            **_ip(),
        )
        return cap


def aid_cap_delete(*, actor, cap: AidCap) -> None:
    round_ = cap.round
    _require_round_officer(actor, round_.branch_id)
    with transaction.atomic():
        _lock_round(round_.pk)
        audit_record(
            actor=actor,
            action="welfare.aid_cap.deleted",
            target=cap,
            branch_id=round_.branch_id,
            round=round_.pk,
            ground=cap.ground,
            **_ip(),
        )
        cap.delete()


def case_delete(*, actor, case: AidCase) -> None:
    """A case is never deleted: it ends (withdrawn, rejected, closed) and is anonymised later."""
    raise WelfareError(_("补助申请不能删除：请撤回或不予批准；结案的档案到期后自动匿名化。"))


# --- care visits and benefits -----------------------------------------------------------------


def care_visit_save(*, actor, visit: CareVisit) -> CareVisit:
    if visit.member.branch_id != visit.branch_id:
        raise WelfareError(_("慰问对象不是本分工会的会员。"), field="member")
    if not welfare_access.is_welfare_officer_of(actor, visit.branch_id):
        raise WelfareError(_("只有本分工会的帮扶专员可以记录走访慰问。"))
    with transaction.atomic():
        created = visit.pk is None
        if created:
            visit.recorded_by = actor
        visit.save()
        audit_record(
            actor=actor,
            action="welfare.visit.created" if created else "welfare.visit.changed",
            target=visit,
            visited_on=str(visit.visited_on),
            **_ip(),
        )
        return visit


def care_visit_delete(*, actor, visit: CareVisit) -> None:
    """Visits are the branch's record of its care (送温暖台账): corrected, never deleted."""
    raise WelfareError(_("走访慰问记录是台账，不能删除；内容有误请修改。"))


def cap_in_force(kind: str, year: int) -> BenefitCap | None:
    return BenefitCap.objects.filter(kind=kind, effective_from__lte=year).order_by("-effective_from").first()


def benefit_received(member_id, kind: str, year: int, *, exclude_pk=None) -> Decimal:
    benefits = Benefit.objects.filter(member_id=member_id, kind=kind, event_date__year=year)
    if exclude_pk:
        benefits = benefits.exclude(pk=exclude_pk)
    return benefits.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def _check_relative(benefit: Benefit) -> None:
    if benefit.kind == BenefitKind.RELATIVE_DEATH:
        if benefit.relative not in RELATIVES_OF_A_DEATH:
            raise WelfareError(_("直系亲属去世：请选择配偶、父亲、母亲或子女。"), field="relative")
    elif benefit.relative != Relative.SELF:
        raise WelfareError(
            _("%(kind)s是会员本人的慰问：慰问对象请选“本人”。") % {"kind": benefit.get_kind_display()},
            field="relative",
        )


def _check_payment_form(benefit: Benefit, cap: BenefitCap | None, label: str) -> None:
    in_kind_only = benefit.kind == BenefitKind.HOLIDAY  # never cash or cards (Anhui and Fujian 2018)
    forbidden = benefit.payment_form in (PaymentForm.CASH, PaymentForm.CARD) and in_kind_only
    if forbidden or (cap is not None and not cap.allows(benefit.payment_form)):
        raise WelfareError(
            _("%(kind)s不能以“%(form)s”发放。")
            % {"kind": label, "form": PaymentForm(benefit.payment_form).label},
            field="payment_form",
        )


def _check_cap(benefit: Benefit, cap: BenefitCap | None, label: str) -> None:
    """Per year (holiday gifts, birthdays) or per event (marriage, childbirth, a stay in hospital,
    a death, retirement): a second hospitalisation in a year is a new event with its own cap."""
    if cap is None:
        return
    year = benefit.event_date.year
    values = {
        "name": benefit.member.name,
        "kind": label,
        "cap": money(cap.cap),
        "amount": money(benefit.amount),
    }
    if cap.per == CapBasis.PER_EVENT:
        if benefit.amount > cap.cap:
            raise WelfareError(
                _("%(name)s：%(kind)s每次上限 %(cap)s 元，本次 %(amount)s 元超出上限。") % values,
                field="amount",
            )
        return
    received = benefit_received(benefit.member_id, benefit.kind, year, exclude_pk=benefit.pk)
    if received + benefit.amount > cap.cap:
        raise WelfareError(
            _(
                "%(name)s：%(kind)s每人每年上限 %(cap)s 元，%(year)s 年已发 %(received)s 元，"
                "本次 %(amount)s 元超出上限。"
            )
            % {**values, "year": year, "received": money(received)},
            field="amount",
        )


def _check_benefit(benefit: Benefit) -> None:
    if benefit.member.branch_id != benefit.branch_id:
        raise WelfareError(_("慰问对象不是本分工会的会员。"), field="member")
    if benefit.amount is None or benefit.amount < 0:
        raise WelfareError(_("金额不能为负数。"), field="amount")
    _check_relative(benefit)
    cap = cap_in_force(benefit.kind, benefit.event_date.year)
    label = benefit.get_kind_display()
    _check_payment_form(benefit, cap, label)
    _check_cap(benefit, cap, label)
    same_event = Q(event_date=benefit.event_date, relative=benefit.relative)
    if benefit.kind in DEATH_KINDS and benefit.relative in ONCE_IN_A_LIFE:
        same_event = Q(relative=benefit.relative)  # a father, a mother, the member: one death each
        duplicate = Benefit.objects.filter(same_event, member_id=benefit.member_id, kind__in=DEATH_KINDS)
    else:
        duplicate = Benefit.objects.filter(same_event, member_id=benefit.member_id, kind=benefit.kind)
    if duplicate.exclude(pk=benefit.pk).exists():
        raise WelfareError(
            _("%(name)s 的这项慰问（%(kind)s，%(day)s）已经发放过，同一事由不能重复发放。")
            % {"name": benefit.member.name, "kind": label, "day": benefit.event_date.isoformat()}
        )


def benefit_save(*, actor, benefit: Benefit) -> Benefit:
    """Record (or correct) one benefit: caps per kind (per year or per event), allowed forms,
    the relative a death is for, and never the same event twice."""
    if not welfare_access.is_welfare_officer_of(actor, benefit.branch_id):
        raise WelfareError(_("只有本分工会的帮扶专员可以记录会员慰问。"))
    if benefit.member.user_id == actor.pk:
        raise WelfareError(_("不能为自己记录慰问：请由另一位帮扶专员记录。"), field="member")
    with transaction.atomic():
        # Serialise benefits of one member so two clerks cannot both stay under the cap.
        _lock_member(benefit.member_id)
        _check_benefit(benefit)
        created = benefit.pk is None
        if created:
            benefit.recorded_by = actor
        _save_unique(benefit, refusal=_("同一事由不能重复发放。"))
        audit_record(
            actor=actor,
            action="welfare.benefit.created" if created else "welfare.benefit.changed",
            target=benefit,
            kind=benefit.kind,
            amount=str(benefit.amount),
            **({"relative": benefit.relative} if benefit.kind == BenefitKind.RELATIVE_DEATH else {}),
            **_ip(),
        )
        return benefit


def benefit_delete(*, actor, benefit: Benefit) -> None:
    """A benefit paid is a line of the union's accounts: corrected, never deleted."""
    raise WelfareError(_("慰问发放记录是台账，不能删除；内容有误请修改。"))


def benefit_cap_save(*, actor, cap: BenefitCap) -> BenefitCap:
    """Set a province's cap of one kind (the administrator): with its source, audited."""
    if not actor.is_superuser:
        raise WelfareError(_("慰问标准由系统管理员按省级规定设置。"))
    if cap.cap is None or cap.cap < 0:
        raise WelfareError(_("上限不能为负数。"), field="cap")
    if not (cap.source or "").strip():
        raise WelfareError(_("请写明依据（文件名称和文号）：没有依据的上限不能设置。"), field="source")
    if cap.kind == BenefitKind.HOLIDAY and (cap.cash_allowed or cap.card_allowed):
        raise WelfareError(_("节日慰问只能发实物，不能发现金或购物卡。"), field="cash_allowed")
    with transaction.atomic():
        created = cap.pk is None
        _save_unique(cap, refusal=_("这个类别在这一年度已经有标准。"), field="effective_from")
        audit_record(
            actor=actor,
            action="welfare.benefit_cap.created" if created else "welfare.benefit_cap.changed",
            target=cap,
            kind=cap.kind,
            effective_from=cap.effective_from,
            cap=str(cap.cap),
            per=cap.per,
            cash_allowed=cap.cash_allowed,
            card_allowed=cap.card_allowed,
            **_ip(),
        )
        return cap


def benefit_cap_delete(*, actor, cap: BenefitCap) -> None:
    if not actor.is_superuser:
        raise WelfareError(_("慰问标准由系统管理员按省级规定设置。"))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="welfare.benefit_cap.deleted",
            target=cap,
            kind=cap.kind,
            effective_from=cap.effective_from,
            **_ip(),
        )
        cap.delete()


def benefits_record_many(
    *, actor, branch, items, kind: str, amount: Decimal, payment_form: str, gift: str = "", paid_on=None
) -> list[Benefit]:
    """Record the same benefit for several members at once (e.g. next month's birthdays): all or none.

    `items` is a list of (member, event_date).
    """
    if not items:
        raise WelfareError(_("请至少选择一位会员。"))
    with transaction.atomic():
        return [
            benefit_save(
                actor=actor,
                benefit=Benefit(
                    branch=branch,
                    member=member,
                    kind=kind,
                    event_date=event_date,
                    amount=amount,
                    payment_form=payment_form,
                    gift=gift,
                    paid_on=paid_on,
                ),
            )
            for member, event_date in items
        ]


# --- retention ------------------------------------------------------------------------------


def cases_due_for_anonymisation(cutoff):
    """Ended cases (closed, rejected, withdrawn) that ended before the cutoff, not yet anonymised."""
    return AidCase.objects.filter(
        state__in=AidCase.ENDED_STATES, ended_at__lt=cutoff, anonymised_at__isnull=True
    ).order_by("pk")


def cases_anonymise(*, cases, years: int) -> int:
    """Remove the personal part of each case; keep branch, round, ground, track, state and amounts."""
    done = 0
    for case in cases:
        with transaction.atomic():
            case = _lock(case)
            if case.anonymised_at is not None:
                continue
            names = list(case.attachments.values_list("file", flat=True))
            case.attachments.all().delete()
            case.household_members.clear()
            case.events.update(comment="", actor=None)
            for field in (
                "description",
                "no_notice_reason",
                "group_opinion",
                "exclusion_checks",
                "review_decided_by",
                "rejection_reasons",
                "amount_reason",
            ):
                setattr(case, field, "")
            case.member = None
            case.household_size = None
            case.income_per_head = None
            case.medical_costs = None
            case.created_by = None
            case.anonymised_at = timezone.now()
            case.save()
            _event(case, actor=None, kind=Kind.ANONYMISED)
            audit_record(
                actor=None,
                action="welfare.case.anonymised",
                target=case,
                branch_id=case.branch_id,
                retention_years=years,
            )
            storage = Attachment._meta.get_field("file").storage
            transaction.on_commit(lambda names=names, storage=storage: [storage.delete(n) for n in names])
            done += 1
    return done
