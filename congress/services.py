"""Every state change of the congress: proposals from draft to verdict, suggestions, attendance, votes.

Each service locks the proposal (or session) row, checks the current state and who acts (rules
in congress.access), raises CongressError with a message for the user, saves with
update_fields (always including `updated_at`, which invalidates the session's cached PDFs),
adds a step to the proposal's timeline and records the audit entry.
"""

import math
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import access
from congress.models import (
    Attendance,
    CoSign,
    Delegate,
    Delegation,
    Proposal,
    ProposalCategory,
    ProposalEvent,
    Reply,
    Session,
    Suggestion,
    Term,
    Unit,
    Verdict,
    Vote,
)
from members.access import member_for, role_holders
from members.models import Member
from unionhome import notices, roles
from unionhome.audit import audit_entry
from unionhome.errors import DomainError
from unionhome.models import Notice
from unionhome.notices import notice_send

State = Proposal.State
Kind = ProposalEvent.Kind


class CongressError(DomainError):
    """A change the rules forbid; the message is shown to the user as it is."""


# --- helpers -----------------------------------------------------------------------------


def _lock(proposal: Proposal) -> Proposal:
    return _lock_pk(proposal.pk)


def _lock_many(*pks: int) -> list[Proposal]:
    """Lock several proposals in pk order (one order for every caller, so no two wait on each other)."""
    return [_lock_pk(pk) for pk in sorted(set(pks))]


def _lock_pk(pk: int) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("session__term", "proposer__user", "lead_unit")
        .get(pk=pk)
    )


def _actor_member(user) -> Member:
    member = member_for(user)
    if member is None:
        raise CongressError(_("这个账号没有会员档案。"))
    return member


def _save(proposal: Proposal, *fields: str) -> None:
    proposal.save(update_fields=[*fields, "updated_at"])


def _event(proposal: Proposal, kind: str, user, note: str = "", *, public: bool = True) -> ProposalEvent:
    member = member_for(user) if user is not None else None
    return ProposalEvent.objects.create(
        proposal=proposal,
        kind=kind,
        actor=user if user is not None and user.is_authenticated else None,
        actor_name=member.name if member is not None else (user.get_username() if user else ""),
        note=note,
        is_public=public,
    )


def _audit(user, action: str, target, branch_id, **details):
    entry = audit_entry(
        actor=user, action=f"congress.{action}", target=target, branch_id=branch_id, **details
    )
    if isinstance(target, Proposal) and not target.is_submitted:
        # A draft is its proposer's until submitted: the trail officers read names no title.
        entry.target_repr = _("提案草稿 #%(pk)s") % {"pk": target.pk}
    entry.save()
    return entry


def _notify(
    member: Member | None, kind: str, params: dict, proposal: Proposal | None = None, settles_on: str = ""
) -> None:
    if member is None:
        return
    url = proposal.get_absolute_url() if proposal else ""
    notice_send(user=member.user, kind=kind, params=params, url=url, settles_on=settles_on)


def secretaries_of(branch_id):
    return role_holders(branch_id, roles.CONGRESS_SECRETARY)


def _notify_secretaries(branch_id, kind: str, params: dict, url: str = "") -> None:
    for user in secretaries_of(branch_id):
        notice_send(user=user, kind=kind, params=params, url=url)


def _require_secretary(user, proposal_or_branch_id) -> None:
    branch_id = getattr(proposal_or_branch_id, "branch_id", proposal_or_branch_id)
    if not access.is_secretary(user, branch_id):
        raise CongressError(_("只有教代会秘书可以办理此事。"))


def _required_share(total: int, share: tuple[int, int]) -> int:
    """The smallest count that reaches a share (a/b) of total: at least 2/3 of 9 is 6."""
    numerator, denominator = share
    return math.ceil(total * numerator / denominator)


def cosign_progress(proposal: Proposal) -> dict:
    """Accepted co-signers against the requirement, and the delegation's collective share."""
    accepted = proposal.cosigns.filter(status=CoSign.Status.ACCEPTED)
    count = accepted.count()
    needed = settings.CONGRESS_REQUIRED_COSIGNERS
    collective = False
    if proposal.delegation_id is not None:
        size = proposal.delegation.delegates.count()
        from_delegation = (
            accepted.filter(member__delegate_seats__delegation=proposal.delegation_id).count() + 1
        )
        collective = size > 1 and from_delegation >= _required_share(size, settings.CONGRESS_COLLECTIVE_SHARE)
    return {
        "count": count,
        "needed": needed,
        "collective": collective,
        "ready": count >= needed or collective,
    }


def _advance_if_ready(proposal: Proposal, user) -> None:
    """A proposal collecting co-signatures goes to the committee once it has enough."""
    if proposal.state != State.COSIGNING:
        return
    progress = cosign_progress(proposal)
    if progress["ready"]:
        proposal.state = State.REVIEW
        proposal.is_collective = progress["collective"] and progress["count"] < progress["needed"]
        _save(proposal, "state", "is_collective")
        _event(proposal, Kind.READY, user)
        _notify(
            proposal.proposer,
            notices.PROPOSAL_READY,
            {"title": proposal.title},
            proposal,
        )


def _current_session_check(session: Session, now=None) -> None:
    if not session.is_collecting(now):
        raise CongressError(_("本次会议的提案征集期未开放，请改为提交意见建议。"))


# --- drafting and submission -------------------------------------------------------------

PROPOSAL_FIELDS = ("title", "reasons", "measures", "category", "suggested_unit")


def proposal_create(
    *, user, session: Session, data: dict, from_suggestion: Suggestion | None = None
) -> Proposal:
    """A delegate drafts a proposal during the session's collection window."""
    member = _actor_member(user)
    with transaction.atomic():
        session = Session.objects.select_related("term").get(pk=session.pk)
        if not access.is_delegate(member, session.term):
            raise CongressError(_("只有本届代表可以提出提案；您可以提交意见建议。"))
        _current_session_check(session)
        proposal = Proposal(
            session=session,
            proposer=member,
            delegation=access.delegation_of(member, session.term),
            from_suggestion=from_suggestion,
            **{name: data[name] for name in PROPOSAL_FIELDS if name in data},
        )
        proposal.save()
        _event(proposal, Kind.CREATED, user, public=False)
        _audit(user, "proposal.created", proposal, session.term.branch_id)
    return proposal


def proposal_update(*, user, proposal: Proposal, data: dict) -> Proposal:
    """The proposer edits a draft, or a proposal the committee returned for revision."""
    with transaction.atomic():
        proposal = _lock(proposal)
        if not access.can_edit_proposal(user, proposal):
            raise CongressError(_("只有提案人可以修改草稿或退回修改的提案。"))
        changed = [name for name in PROPOSAL_FIELDS if name in data and getattr(proposal, name) != data[name]]
        for name in changed:
            setattr(proposal, name, data[name])
        if changed:
            _save(proposal, *changed)
            _audit(user, "proposal.updated", proposal, proposal.session.term.branch_id, fields=changed)
    return proposal


def proposal_submit(*, user, proposal: Proposal, invitees=()) -> Proposal:
    """Submit a draft (or a revised returned proposal) and invite co-signers.

    After the collection window the submission becomes a suggestion (意见建议).
    """
    with transaction.atomic():
        proposal = _lock(proposal)
        if not access.can_edit_proposal(user, proposal):
            raise CongressError(_("只有提案人可以提交草稿或退回修改的提案。"))
        session = Session.objects.select_for_update().select_related("term").get(pk=proposal.session_id)
        branch_id = session.term.branch_id
        if not session.is_collecting():
            proposal.submitted_at = proposal.submitted_at or timezone.now()
            suggestion = Suggestion.objects.create(
                branch_id=branch_id,
                author=proposal.proposer,
                title=proposal.title,
                body=f"{proposal.reasons}\n\n{proposal.measures}",
                from_proposal=proposal,
            )
            proposal.state = State.CONVERTED
            proposal.decision_reasons = _("提案征集期已结束，按意见建议处理。")
            _save(proposal, "state", "decision_reasons", "submitted_at")
            _event(proposal, Kind.CONVERTED, user, proposal.decision_reasons)
            _audit(user, "proposal.converted_after_window", proposal, branch_id, suggestion=suggestion.pk)
            _notify_secretaries(branch_id, notices.SUGGESTION_NEW, {"title": suggestion.title})
            return proposal
        first_time = proposal.sequence is None
        if first_time:
            last = Proposal.objects.filter(session=session).aggregate(m=Max("sequence"))["m"] or 0
            proposal.sequence = last + 1
            proposal.number = f"{session.starts_on.year}-{proposal.sequence:03d}"
            proposal.submitted_at = timezone.now()
        proposal.state = State.COSIGNING
        _save(proposal, "sequence", "number", "submitted_at", "state")
        _event(proposal, Kind.SUBMITTED, user)
        _audit(user, "proposal.submitted", proposal, branch_id, number=proposal.number)
        _invite(proposal, user, invitees)
        _advance_if_ready(proposal, user)
    return proposal


def _invite(proposal: Proposal, user, invitees) -> list[CoSign]:
    term = proposal.session.term
    made = []
    for member in invitees:
        if member.pk == proposal.proposer_id:
            continue
        if not access.is_delegate(member, term):
            raise CongressError(_("%(name)s 不是本届代表，不能附议。") % {"name": member.name})
        cosign, created = CoSign.objects.get_or_create(
            proposal=proposal, member=member, defaults={"invited": True, "status": CoSign.Status.INVITED}
        )
        if not created:
            continue
        made.append(cosign)
        _event(proposal, Kind.INVITED, user, member.name, public=False)
        _notify(
            member,
            notices.COSIGN_INVITED,
            {"proposer": proposal.proposer.name, "title": proposal.title},
            proposal,
            settles_on=notices.settles_key(proposal, notices.COSIGN_INVITED),
        )
    return made


def cosign_invite(*, user, proposal: Proposal, invitees) -> list[CoSign]:
    with transaction.atomic():
        proposal = _lock(proposal)
        member = _actor_member(user)
        if member.pk != proposal.proposer_id or proposal.state not in (State.COSIGNING, State.REVIEW):
            raise CongressError(_("只有提案人可以在征集附议期间邀请附议人。"))
        made = _invite(proposal, user, invitees)
        _audit(
            user,
            "cosign.invited",
            proposal,
            proposal.session.term.branch_id,
            invitees=[m.pk for m in invitees],
        )
    return made


def cosign_accept(*, user, proposal: Proposal) -> CoSign:
    """A delegate co-signs: accepting an invitation, or on their own."""
    with transaction.atomic():
        proposal = _lock(proposal)
        member = _actor_member(user)
        if member.pk == proposal.proposer_id:
            raise CongressError(_("提案人不能附议自己的提案。"))
        if not access.is_delegate(member, proposal.session.term):
            raise CongressError(_("只有本届代表可以附议。"))
        if proposal.state not in (State.COSIGNING, State.REVIEW):
            raise CongressError(_("这件提案已不在征集附议阶段。"))
        cosign, _created = CoSign.objects.get_or_create(proposal=proposal, member=member)
        if cosign.status == CoSign.Status.ACCEPTED:
            raise CongressError(_("您已附议这件提案。"))
        cosign.status = CoSign.Status.ACCEPTED
        cosign.responded_at = timezone.now()
        cosign.save(update_fields=["status", "responded_at"])
        _save(proposal)
        _event(proposal, Kind.COSIGNED, user)
        _audit(user, "cosign.accepted", proposal, proposal.session.term.branch_id)
        notices.notices_settle(obj=proposal, kind=notices.COSIGN_INVITED, user=user)
        _advance_if_ready(proposal, user)
    return cosign


def cosign_decline(*, user, proposal: Proposal) -> CoSign:
    with transaction.atomic():
        proposal = _lock(proposal)
        member = _actor_member(user)
        cosign = CoSign.objects.filter(proposal=proposal, member=member).first()
        if cosign is None or cosign.status != CoSign.Status.INVITED:
            raise CongressError(_("没有待答复的附议邀请。"))
        cosign.status = CoSign.Status.DECLINED
        cosign.responded_at = timezone.now()
        cosign.save(update_fields=["status", "responded_at"])
        _event(proposal, Kind.DECLINED, user, public=False)
        _audit(user, "cosign.declined", proposal, proposal.session.term.branch_id)
        notices.notices_settle(obj=proposal, kind=notices.COSIGN_INVITED, user=user)
        _notify(
            proposal.proposer,
            notices.COSIGN_DECLINED,
            {"name": member.name, "title": proposal.title},
            proposal,
        )
    return cosign


def proposal_withdraw(*, user, proposal: Proposal, reason: str = "") -> Proposal:
    """The proposer withdraws (撤销) before the committee decides."""
    with transaction.atomic():
        proposal = _lock(proposal)
        if not access.can_withdraw_proposal(user, proposal):
            raise CongressError(_("只有提案人可以在审查之前撤销提案。"))
        proposal.state = State.WITHDRAWN
        _save(proposal, "state")
        _event(proposal, Kind.WITHDRAWN, user, reason)
        _audit(user, "proposal.withdrawn", proposal, proposal.session.term.branch_id)
    return proposal


# --- committee review --------------------------------------------------------------------


def _decide(user, proposal: Proposal, state: str, kind: str, reasons: str, allowed, message: str) -> Proposal:
    _require_secretary(user, proposal.session.term.branch_id)
    if proposal.state not in allowed:
        raise CongressError(
            _("提案当前状态为“%(state)s”，不能这样处理。") % {"state": proposal.get_state_display()}
        )
    proposal.state = state
    proposal.decision_reasons = reasons
    proposal.decided_at = timezone.now()
    _save(proposal, "state", "decision_reasons", "decided_at")
    _event(proposal, kind, user, reasons)
    _audit(user, f"proposal.{kind}", proposal, proposal.session.term.branch_id)
    _notify(proposal.proposer, message, {"number": proposal.number, "title": proposal.title}, proposal)
    return proposal


def proposal_accept(
    *, user, proposal: Proposal, reasons: str = "", follower: Member | None = None
) -> Proposal:
    """立案, with the committee member who follows it (包案)."""
    with transaction.atomic():
        proposal = _lock(proposal)
        committee = access.committee_of(proposal.session.term)
        if follower is None and committee.exists():
            raise CongressError(_("立案时请指定包案委员。"), field="follower")
        if follower is not None and not committee.filter(pk=follower.pk).exists():
            raise CongressError(_("包案委员必须是本届提案工作委员会委员。"), field="follower")
        proposal.follower = follower
        _decide(
            user,
            proposal,
            State.ACCEPTED,
            Kind.ACCEPTED,
            reasons,
            (State.REVIEW,),
            notices.PROPOSAL_ACCEPTED,
        )
        _save(proposal, "follower")
    return proposal


def proposal_merge(*, user, proposal: Proposal, into: Proposal, reasons: str = "") -> Proposal:
    """并案: the survivor gains this proposal's proposers as co-proposers; nothing is deleted."""
    with transaction.atomic():
        # Both rows locked in pk order, whoever is merged into whom: crossed merges cannot deadlock.
        locked = {p.pk: p for p in _lock_many(proposal.pk, into.pk)}
        proposal, into = locked[proposal.pk], locked[into.pk]
        if into.pk == proposal.pk or into.session_id != proposal.session_id:
            raise CongressError(_("只能并入同一次会议的另一件提案。"))
        if into.state not in (State.REVIEW, *Proposal.ACCEPTED_STATES):
            raise CongressError(_("只能并入待审查或已立案的提案。"))
        proposal.merged_into = into
        _decide(
            user,
            proposal,
            State.MERGED,
            Kind.MERGED,
            reasons,
            (State.COSIGNING, State.REVIEW),
            notices.PROPOSAL_MERGED,
        )
        _save(proposal, "merged_into")
        into.co_proposers.add(proposal.proposer, *proposal.co_proposers.all())
        into.co_proposers.remove(into.proposer)
        _save(into)
        _event(into, Kind.MERGED, user, _("并入提案 %(number)s") % {"number": proposal.number})
    return proposal


def proposal_convert(*, user, proposal: Proposal, reasons: str = "") -> Proposal:
    """转为意见建议: a suggestion linked to the proposal goes to the secretaries' list."""
    with transaction.atomic():
        proposal = _lock(proposal)
        _decide(
            user,
            proposal,
            State.CONVERTED,
            Kind.CONVERTED,
            reasons,
            (State.COSIGNING, State.REVIEW),
            notices.PROPOSAL_CONVERTED,
        )
        Suggestion.objects.create(
            branch_id=proposal.session.term.branch_id,
            author=proposal.proposer,
            title=proposal.title,
            body=f"{proposal.reasons}\n\n{proposal.measures}",
            from_proposal=proposal,
        )
    return proposal


def proposal_return(*, user, proposal: Proposal, reasons: str) -> Proposal:
    """退回 to the proposer for revision; they edit and submit it again."""
    if not reasons.strip():
        raise CongressError(_("退回修改须写明理由。"))
    with transaction.atomic():
        proposal = _lock(proposal)
        return _decide(
            user,
            proposal,
            State.RETURNED,
            Kind.RETURNED,
            reasons,
            (State.COSIGNING, State.REVIEW),
            notices.PROPOSAL_RETURNED,
        )


def proposal_reject(*, user, proposal: Proposal, reasons: str) -> Proposal:
    """不予立案, with reasons."""
    if not reasons.strip():
        raise CongressError(_("不予立案须写明理由。"))
    with transaction.atomic():
        proposal = _lock(proposal)
        return _decide(
            user,
            proposal,
            State.REJECTED,
            Kind.REJECTED,
            reasons,
            (State.COSIGNING, State.REVIEW),
            notices.PROPOSAL_DECLINED,
        )


# --- handling ----------------------------------------------------------------------------


def proposal_assign(*, user, proposal: Proposal, lead_unit, supporting_units=(), deadline=None) -> Proposal:
    """Assign (交办) an accepted proposal to a lead unit and supporting units, with a deadline."""
    with transaction.atomic():
        proposal = _lock(proposal)
        branch_id = proposal.session.term.branch_id
        _require_secretary(user, branch_id)
        if proposal.state != State.ACCEPTED:
            raise CongressError(_("只有已立案的提案可以交办。"))
        units = [lead_unit, *supporting_units]
        if any(unit.branch_id != branch_id for unit in units):
            raise CongressError(_("承办单位必须属于本分工会。"))
        supporting = [unit for unit in supporting_units if unit.pk != lead_unit.pk]
        proposal.lead_unit = lead_unit
        proposal.deadline = deadline or timezone.localdate() + timedelta(days=proposal.session.reply_days)
        proposal.handling_round = 1
        proposal.state = State.HANDLING
        _save(proposal, "lead_unit", "deadline", "handling_round", "state")
        proposal.supporting_units.set(supporting)
        names = _("、").join(unit.name for unit in supporting)
        note = _("主办：%(lead)s；协办：%(support)s；答复期限：%(deadline)s") % {
            "lead": lead_unit.name,
            "support": names or _("无"),
            "deadline": proposal.deadline.isoformat(),
        }
        _event(proposal, Kind.ASSIGNED, user, note)
        _audit(
            user,
            "proposal.assigned",
            proposal,
            branch_id,
            lead=lead_unit.pk,
            support=[u.pk for u in supporting],
        )
        message = {
            "number": proposal.number,
            "title": proposal.title,
            "deadline": proposal.deadline.isoformat(),
        }
        for unit in units:
            for contact in unit.contacts.select_related("user"):
                _notify(contact, notices.PROPOSAL_ASSIGNED, message, proposal)
    return proposal


def proposal_extend_deadline(*, user, proposal: Proposal, deadline) -> Proposal:
    with transaction.atomic():
        proposal = _lock(proposal)
        _require_secretary(user, proposal.session.term.branch_id)
        if proposal.state != State.HANDLING:
            raise CongressError(_("只有办理中的提案可以延长答复期限。"))
        if deadline <= timezone.localdate():
            raise CongressError(_("新的答复期限须晚于今天。"))
        proposal.deadline = deadline
        proposal.overdue_noticed_on = None
        _save(proposal, "deadline", "overdue_noticed_on")
        _event(proposal, Kind.EXTENDED, user, deadline.isoformat())
        _audit(
            user,
            "proposal.deadline_extended",
            proposal,
            proposal.session.term.branch_id,
            deadline=str(deadline),
        )
    return proposal


def reply_input(*, user, proposal: Proposal, body: str) -> Reply:
    """A supporting unit gives its input to the lead unit (not a reply to the proposer)."""
    with transaction.atomic():
        proposal = _lock(proposal)
        unit = access.supporting_unit_for(user, proposal)
        if unit is None:
            raise CongressError(_("只有协办单位的联络人可以提交协办意见。"))
        if proposal.state != State.HANDLING:
            raise CongressError(_("这件提案不在办理中。"))
        if not body.strip():
            raise CongressError(_("请填写协办意见。"))
        reply = Reply.objects.create(
            proposal=proposal,
            unit=unit,
            kind=Reply.Kind.INPUT,
            handling_round=proposal.handling_round,
            body=body,
            author=_actor_member(user),
        )
        _save(proposal)
        _event(proposal, Kind.INPUT, user, unit.name, public=False)
        _audit(user, "reply.input", proposal, proposal.session.term.branch_id, unit=unit.pk)
        for contact in proposal.lead_unit.contacts.select_related("user"):
            _notify(
                contact,
                notices.PROPOSAL_INPUT,
                {"unit": unit.name, "title": proposal.title},
                proposal,
            )
    return reply


def reply_submit(*, user, proposal: Proposal, body: str, grade: str, completion_date=None) -> Reply:
    """The lead unit replies (or updates its reply); a secretary may enter it on the unit's behalf.

    The first reply of a round is locked for the unit after the deadline unless a secretary
    extends it (a secretary may still record a late reply, counted as late); updates to a reply
    already given stay open as the matter progresses.
    """
    with transaction.atomic():
        proposal = _lock(proposal)
        if not access.can_reply(user, proposal):
            raise CongressError(_("只有主办单位的联络人或教代会秘书可以答复。"))
        if proposal.state not in (State.HANDLING, State.REPLIED):
            raise CongressError(_("这件提案不在办理中，不能答复。"))
        if grade not in Reply.Grade.values:
            raise CongressError(_("请选择答复类别。"))
        if not body.strip():
            raise CongressError(_("请填写答复内容。"))
        today = timezone.localdate()
        first = proposal.state == State.HANDLING
        late = proposal.deadline is not None and today > proposal.deadline
        if first and late and not access.is_secretary(user, proposal.session.term.branch_id):
            raise CongressError(_("答复期限已过，答复已锁定；请联系教代会秘书延长期限。"))
        reply = Reply.objects.create(
            proposal=proposal,
            unit=proposal.lead_unit,
            kind=Reply.Kind.REPLY,
            handling_round=proposal.handling_round,
            body=body,
            grade=grade,
            completion_date=completion_date,
            on_time=not late,
            author=_actor_member(user),
        )
        proposal.state = State.REPLIED
        _save(proposal, "state")
        _event(proposal, Kind.REPLIED, user, reply.get_grade_display())
        _audit(
            user, "reply.submitted" if first else "reply.updated", proposal, proposal.session.term.branch_id
        )
        _notify(
            proposal.proposer,
            notices.PROPOSAL_REPLIED,
            {"number": proposal.number, "title": proposal.title},
            proposal,
            settles_on=notices.settles_key(proposal, notices.PROPOSAL_REPLIED),
        )
    return reply


def verdict_record(*, user, proposal: Proposal, rating: str, reason: str = "") -> Verdict:
    """The proposer rates the reply: 满意 closes it, 基本满意 keeps it open until the unit
    reports it done, 不满意 (with a reason) sends it back for a second reply once; a second
    不满意 closes it as unsatisfied (the committee may still order 重新办理)."""
    with transaction.atomic():
        proposal = _lock(proposal)
        member = _actor_member(user)
        if not access.can_rate(user, proposal, cosigners_may_rate=settings.CONGRESS_COSIGNERS_RATE):
            raise CongressError(_("只有提案人可以评价答复。"))
        if proposal.state != State.REPLIED:
            raise CongressError(_("这件提案还没有待评价的答复。"))
        if rating not in Verdict.Rating.values:
            raise CongressError(_("请选择评价。"), field="rating")
        if rating == Verdict.Rating.UNSATISFIED and not reason.strip():
            raise CongressError(_("选择“不满意”时请写明理由。"), field="reason")
        if Verdict.objects.filter(
            proposal=proposal, member=member, handling_round=proposal.handling_round
        ).exists():
            raise CongressError(_("您已评价过本轮答复。"))
        verdict = Verdict.objects.create(
            proposal=proposal,
            member=member,
            handling_round=proposal.handling_round,
            rating=rating,
            reason=reason,
        )
        _event(proposal, Kind.RATED, user, verdict.get_rating_display())
        branch_id = proposal.session.term.branch_id
        _audit(user, "verdict.recorded", proposal, branch_id, rating=rating)
        notices.notices_settle(obj=proposal, kind=notices.PROPOSAL_REPLIED, user=user)
        is_proposer = member.pk == proposal.proposer_id
        if is_proposer and rating == Verdict.Rating.SATISFIED:
            _close(proposal, user)
        elif is_proposer and rating == Verdict.Rating.UNSATISFIED:
            if proposal.handling_round < 2:
                _reopen(proposal, user, reason)
            else:
                _close(proposal, user)
        else:
            _save(proposal)
    return verdict


def _close(proposal: Proposal, user, note: str = "") -> None:
    proposal.state = State.CLOSED
    proposal.closed_at = timezone.now()
    _save(proposal, "state", "closed_at")
    _event(proposal, Kind.DONE, user, note)


def _reopen(proposal: Proposal, user, reason: str) -> None:
    proposal.state = State.HANDLING
    proposal.handling_round += 1
    proposal.deadline = timezone.localdate() + timedelta(days=proposal.session.reply_days)
    proposal.closed_at = None
    proposal.overdue_noticed_on = None
    _save(proposal, "state", "handling_round", "deadline", "closed_at", "overdue_noticed_on")
    _event(proposal, Kind.REOPENED, user, reason)
    message = {
        "number": proposal.number,
        "title": proposal.title,
        "deadline": proposal.deadline.isoformat(),
    }
    if proposal.lead_unit_id:
        for contact in proposal.lead_unit.contacts.select_related("user"):
            _notify(contact, notices.PROPOSAL_REOPENED, message, proposal)


def proposal_reopen(*, user, proposal: Proposal, reason: str) -> Proposal:
    """重新办理 ordered by the committee, at any time after assignment."""
    with transaction.atomic():
        proposal = _lock(proposal)
        _require_secretary(user, proposal.session.term.branch_id)
        if (
            proposal.state not in (State.REPLIED, State.CLOSED, State.HANDLING)
            or proposal.lead_unit_id is None
        ):
            raise CongressError(_("只有已交办的提案可以重新办理。"))
        if not reason.strip():
            raise CongressError(_("重新办理须写明理由。"))
        _reopen(proposal, user, reason)
        _audit(user, "proposal.reopened", proposal, proposal.session.term.branch_id)
    return proposal


def proposer_has_rated(proposal: Proposal) -> bool:
    """The proposer gave a verdict on this round's reply."""
    return Verdict.objects.filter(
        proposal=proposal, member_id=proposal.proposer_id, handling_round=proposal.handling_round
    ).exists()


def rating_ends_on(proposal: Proposal):
    """The last day the proposer has to rate this round's latest reply (CONGRESS_RATING_DAYS), or None."""
    replied_at = Reply.objects.filter(
        proposal=proposal, kind=Reply.Kind.REPLY, handling_round=proposal.handling_round
    ).aggregate(latest=Max("created_at"))["latest"]
    if replied_at is None:
        return None
    return timezone.localdate(replied_at) + timedelta(days=settings.CONGRESS_RATING_DAYS)


def proposal_report_done(*, user, proposal: Proposal, reason: str = "") -> Proposal:
    """The lead unit reports a matter the proposer rated 基本满意 done; the proposal is closed.

    Closing needs the proposer's verdict on this round's reply. Without one, only a secretary
    may close it, after the rating period (CONGRESS_RATING_DAYS) has ended, with a reason that
    goes on the record.
    """
    with transaction.atomic():
        proposal = _lock(proposal)
        branch_id = proposal.session.term.branch_id
        if not access.can_reply(user, proposal):
            raise CongressError(_("只有主办单位的联络人或教代会秘书可以报告办结。"))
        if proposal.state != State.REPLIED:
            raise CongressError(_("这件提案不在待办结状态。"))
        rated = proposer_has_rated(proposal)
        reason = reason.strip()
        if not rated:
            ends_on = rating_ends_on(proposal)
            if not access.is_secretary(user, branch_id):
                raise CongressError(_("提案人尚未评价答复，不能办结。"))
            if ends_on is not None and timezone.localdate() <= ends_on:
                raise CongressError(
                    _("提案人尚未评价答复；评价期至 %(date)s 结束，之后教代会秘书才能写明理由办结。")
                    % {"date": ends_on.isoformat()},
                    field="reason",
                )
            if not reason:
                raise CongressError(_("提案人未评价答复，办结须写明理由。"), field="reason")
        _close(proposal, user, reason)
        _audit(user, "proposal.done", proposal, branch_id, unrated=not rated, reason=reason)
        _notify(
            proposal.proposer,
            notices.PROPOSAL_DONE,
            {"number": proposal.number, "title": proposal.title},
            proposal,
        )
    return proposal


REMIND_DAYS_BEFORE = 3


def deadline_remind(*, today=None) -> int:
    """Remind the lead unit's contacts of a reply due within 3 days, once per deadline (the
    reminder is its own record: a second run, or the next day's, finds it and sends nothing)."""
    today = today or timezone.localdate()
    sent = 0
    with transaction.atomic():
        due = (
            Proposal.objects.select_for_update(of=("self",))
            .filter(
                state=State.HANDLING,
                deadline__gte=today,
                deadline__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
                lead_unit__isnull=False,
            )
            .select_related("lead_unit")
        )
        for proposal in due:
            key = f"{notices.settles_key(proposal, notices.REPLY_DUE_SOON)}:{proposal.deadline.isoformat()}"
            for contact in proposal.lead_unit.contacts.select_related("user"):
                if Notice.objects.filter(user=contact.user, settles_on=key).exists():
                    continue
                params = {
                    "number": proposal.number,
                    "title": proposal.title,
                    "deadline": proposal.deadline.isoformat(),
                }
                _notify(contact, notices.REPLY_DUE_SOON, params, proposal, settles_on=key)
                sent += 1
    return sent


def overdue_notify(*, today=None) -> int:
    """Flag proposals past their deadline without a reply and tell the branch's secretaries (once a day)."""
    today = today or timezone.localdate()
    sent = 0
    with transaction.atomic():
        overdue = (
            Proposal.objects.select_for_update(of=("self",))
            .overdue(today)
            .exclude(overdue_noticed_on=today)
            .select_related("session__term")
        )
        for proposal in overdue:
            proposal.overdue_noticed_on = today
            proposal.save(update_fields=["overdue_noticed_on"])  # not a change of the proposal's content
            if not proposal.events.filter(kind=Kind.OVERDUE, note=proposal.deadline.isoformat()).exists():
                _event(proposal, Kind.OVERDUE, None, proposal.deadline.isoformat())
            _notify_secretaries(
                proposal.session.term.branch_id,
                notices.PROPOSAL_OVERDUE,
                {
                    "number": proposal.number,
                    "title": proposal.title,
                    "deadline": proposal.deadline.isoformat(),
                },
                proposal.get_absolute_url(),
            )
            sent += 1
    return sent


# --- suggestions -------------------------------------------------------------------------


def suggestion_submit(*, user, title: str, body: str) -> Suggestion:
    """Any member sends a suggestion (意见建议) at any time; the secretaries are told."""
    member = _actor_member(user)
    if not title.strip() or not body.strip():
        raise CongressError(_("请填写标题和内容。"))
    with transaction.atomic():
        suggestion = Suggestion.objects.create(
            branch_id=member.branch_id, author=member, title=title, body=body
        )
        _audit(user, "suggestion.submitted", suggestion, member.branch_id)
        _notify_secretaries(member.branch_id, notices.SUGGESTION_NEW, {"title": title})
    return suggestion


def _lock_suggestion(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_for_update().select_related("author__user").get(pk=suggestion.pk)


def suggestion_answer(*, user, suggestion: Suggestion, answer: str) -> Suggestion:
    with transaction.atomic():
        suggestion = _lock_suggestion(suggestion)
        _require_secretary(user, suggestion.branch_id)
        if not answer.strip():
            raise CongressError(_("请填写答复。"))
        if suggestion.state == Suggestion.State.TAKEN_UP:
            raise CongressError(_("这条意见建议已转为提案。"))
        suggestion.answer = answer
        suggestion.answered_at = timezone.now()
        suggestion.state = Suggestion.State.ANSWERED
        suggestion.save(update_fields=["answer", "answered_at", "state"])
        _audit(user, "suggestion.answered", suggestion, suggestion.branch_id)
        _notify(suggestion.author, notices.SUGGESTION_ANSWERED, {"title": suggestion.title})
    return suggestion


def suggestion_route(*, user, suggestion: Suggestion, unit) -> Suggestion:
    with transaction.atomic():
        suggestion = _lock_suggestion(suggestion)
        _require_secretary(user, suggestion.branch_id)
        if unit.branch_id != suggestion.branch_id:
            raise CongressError(_("承办单位必须属于本分工会。"))
        if suggestion.state not in (Suggestion.State.OPEN, Suggestion.State.ROUTED):
            raise CongressError(_("这条意见建议已处理。"))
        suggestion.unit = unit
        suggestion.state = Suggestion.State.ROUTED
        suggestion.save(update_fields=["unit", "state"])
        _audit(user, "suggestion.routed", suggestion, suggestion.branch_id, unit=unit.pk)
        for contact in unit.contacts.select_related("user"):
            _notify(contact, notices.SUGGESTION_ROUTED_UNIT, {"title": suggestion.title})
        _notify(
            suggestion.author,
            notices.SUGGESTION_ROUTED,
            {"title": suggestion.title, "unit": unit.name},
        )
    return suggestion


def suggestion_take_up(*, user, suggestion: Suggestion, session: Session, data: dict) -> Proposal:
    """A delegate takes a suggestion up as a proposal (a draft linked to it; its author sees it)."""
    with transaction.atomic():
        suggestion = _lock_suggestion(suggestion)
        if suggestion.state == Suggestion.State.TAKEN_UP:
            raise CongressError(_("这条意见建议已转为提案。"))
        proposal = proposal_create(user=user, session=session, data=data, from_suggestion=suggestion)
        suggestion.state = Suggestion.State.TAKEN_UP
        suggestion.save(update_fields=["state"])
        _audit(user, "suggestion.taken_up", suggestion, suggestion.branch_id, proposal=proposal.pk)
        _notify(
            suggestion.author,
            notices.SUGGESTION_TAKEN_UP,
            {"title": suggestion.title},
            proposal,
        )
    return proposal


# --- sessions, attendance and votes ------------------------------------------------------


def majority_needed(delegates: int, *, half_counts: bool) -> int:
    """Yes votes a motion needs: more than half of ALL delegates (过半数), or half of them
    (半数以上) when the setting says half counts; never of those present."""
    return math.ceil(delegates / 2) if half_counts else delegates // 2 + 1


def _lock_session(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("term").get(pk=session.pk)


def session_open(*, user, session: Session) -> Session:
    """Open the session: the number of delegates, the quorum and the votes a motion needs are
    fixed now, so a later change of delegates never rewrites its results or its PDFs."""
    with transaction.atomic():
        session = _lock_session(session)
        _require_secretary(user, session.term.branch_id)
        if session.is_open:
            raise CongressError(
                _("本次会议已开会，应到代表人数已确定为 %(n)s 人。") % {"n": session.delegates_count}
            )
        delegates = access.delegates_of(session.term).count()
        if delegates == 0:
            raise CongressError(_("本届还没有代表，不能开会。"))
        session.opened_at = timezone.now()
        session.delegates_count = delegates
        session.quorum_required = _required_share(delegates, settings.CONGRESS_QUORUM)
        session.majority_required = majority_needed(
            delegates, half_counts=settings.CONGRESS_MAJORITY_HALF_COUNTS
        )
        session.save(update_fields=["opened_at", "delegates_count", "quorum_required", "majority_required"])
        _audit(
            user,
            "session.opened",
            session,
            session.term.branch_id,
            delegates=delegates,
            quorum=session.quorum_required,
            majority=session.majority_required,
        )
    return session


def _require_open(session: Session) -> None:
    if not session.is_open:
        raise CongressError(_("请先开会（确定应到代表人数），再登记出席和表决。"))


def attendance_record(*, user, session: Session, members) -> int:
    """Record who attended (replaces the session's list); only delegates of the term count."""
    with transaction.atomic():
        session = _lock_session(session)
        _require_secretary(user, session.term.branch_id)
        _require_open(session)
        for member in members:
            if not access.is_delegate(member, session.term):
                raise CongressError(_("%(name)s 不是本届代表。") % {"name": member.name})
        if len(members) > session.delegates_count:
            raise CongressError(
                _("出席人数 %(present)s 超过开会时确定的应到代表人数 %(total)s。")
                % {"present": len(members), "total": session.delegates_count}
            )
        Attendance.objects.filter(session=session).exclude(member__in=members).delete()
        existing = set(Attendance.objects.filter(session=session).values_list("member_id", flat=True))
        Attendance.objects.bulk_create(
            [Attendance(session=session, member=m) for m in members if m.pk not in existing]
        )
        _audit(user, "attendance.recorded", session, session.term.branch_id, present=len(members))
    return len(members)


def vote_record(*, user, session: Session, item: str, yes: int, no: int, abstain: int) -> Vote:
    """Record a vote; a session whose attendance is below the quorum may not vote."""
    with transaction.atomic():
        session = _lock_session(session)
        _require_secretary(user, session.term.branch_id)
        _require_open(session)
        if not item.strip():
            raise CongressError(_("请填写表决事项。"))
        if min(yes, no, abstain) < 0:
            raise CongressError(_("票数不能为负数。"))
        present = session.attendances.count()
        if present < session.quorum_required:
            raise CongressError(
                _("出席 %(present)s 人，未达法定人数 %(required)s 人（应到 %(total)s 人），不能表决。")
                % {"present": present, "required": session.quorum_required, "total": session.delegates_count}
            )
        if yes + no + abstain > present:
            raise CongressError(
                _("票数合计 %(total)s 超过出席人数 %(present)s。")
                % {"total": yes + no + abstain, "present": present}
            )
        vote = Vote.objects.create(
            session=session, item=item, yes=yes, no=no, abstain=abstain, present=present
        )
        _audit(user, "vote.recorded", vote, session.term.branch_id, yes=yes, no=no, abstain=abstain)
    return vote


# --- the congress's own records: terms, sessions, delegations, delegates, units, categories ---
# Secretaries keep them in admin; every save and delete comes here, checked and audited.


def _fields(changed) -> list[str]:
    return sorted(changed)


def _check_dates(start, end, field: str, message: str) -> None:
    if start is not None and end is not None and end < start:
        raise CongressError(message, field=field)


def _record_save(actor, record, noun: str, branch_id_of, changed, *, check=None, after=None):
    """The steps every `<record>_save` shares: the secretary of the record's branch (as stored
    and as changed), the stored state locked and checked (`check(stored)`), saved, then
    `after(record)` (it returns extra audit details), audited as created or changed."""
    _require_secretary(actor, branch_id_of(record))
    with transaction.atomic():
        stored = type(record).objects.select_for_update().get(pk=record.pk) if record.pk else None
        if stored is not None:
            _require_secretary(actor, branch_id_of(stored))
            if check is not None:
                check(stored)
        record.save()
        details = after(record) if after is not None else {}
        verb = "created" if stored is None else "changed"
        _audit(actor, f"{noun}.{verb}", record, branch_id_of(record), fields=_fields(changed), **details)
    return record


def _term_branch(record) -> int:
    return record.term.branch_id


def _own_branch(record) -> int:
    return record.branch_id


def _record_delete(actor, record, noun: str, branch_id_of, refusal=None, **details) -> None:
    """The steps every `<record>_delete` shares: locked, the secretary of its branch, refused
    when `refusal(locked)` gives a message, audited, deleted."""
    with transaction.atomic():
        locked = type(record).objects.select_for_update().get(pk=record.pk)
        _require_secretary(actor, branch_id_of(locked))
        message = refusal(locked) if refusal is not None else None
        if message:
            raise CongressError(message)
        _audit(actor, f"{noun}.deleted", locked, branch_id_of(locked), **details)
        locked.delete()


def _refuse_if(condition: bool, message, field: str) -> None:
    if condition:
        raise CongressError(message, field=field)


def term_save(*, actor, term: Term, changed=()) -> Term:
    """Create or change a term (届); its form (教代会 / 教职工大会) is fixed once a session opened."""
    _require_secretary(actor, term.branch_id)
    _check_dates(term.starts_on, term.ends_on, "ends_on", _("结束日期不能早于开始日期。"))

    def check(stored):
        used = stored.sessions.exists() or stored.delegates.exists() or stored.delegations.exists()
        _refuse_if(
            stored.branch_id != term.branch_id and used,
            _("本届已有会议或代表，不能改到别的分工会。"),
            "branch",
        )
        opened = stored.sessions.filter(opened_at__isnull=False).exists()
        _refuse_if(stored.mode != term.mode and opened, _("本届已有会议开会，不能再改变形式。"), "mode")

    return _record_save(actor, term, "term", _own_branch, changed, check=check)


def term_delete(*, actor, term: Term) -> None:
    def refusal(stored):
        return _("本届已有会议，不能删除。") if stored.sessions.exists() else None

    _record_delete(actor, term, "term", _own_branch, refusal, number=term.number)


def session_save(*, actor, session: Session, changed=()) -> Session:
    """Create or change a session (dates, proposal window, reply days); once open it stays in its term."""
    _require_secretary(actor, session.term.branch_id)
    _check_dates(session.starts_on, session.ends_on, "ends_on", _("会议结束日期不能早于开始日期。"))
    if session.collect_from and session.collect_until and session.collect_until <= session.collect_from:
        raise CongressError(_("提案征集截止时间须晚于开始时间。"), field="collect_until")

    def check(stored):
        moved = stored.term_id != session.term_id
        used = stored.is_open or stored.proposals.exists()
        _refuse_if(moved and used, _("会议已开会或已有提案，不能改到别的届。"), "term")

    return _record_save(actor, session, "session", _term_branch, changed, check=check)


def session_delete(*, actor, session: Session) -> None:
    def refusal(stored):
        if stored.is_open or stored.proposals.exists():
            return _("会议已开会或已有提案，不能删除。")
        return None

    _record_delete(actor, session, "session", _term_branch, refusal, number=session.number)


def delegation_save(*, actor, delegation: Delegation, changed=()) -> Delegation:
    def check(stored):
        moved = stored.term_id != delegation.term_id
        _refuse_if(moved and stored.delegates.exists(), _("代表团已有代表，不能改到别的届。"), "term")

    return _record_save(actor, delegation, "delegation", _term_branch, changed, check=check)


def delegation_delete(*, actor, delegation: Delegation) -> None:
    def refusal(stored):
        if stored.delegates.exists():
            return _("代表团“%(name)s”还有代表，不能删除。") % {"name": stored.name}
        return None

    _record_delete(actor, delegation, "delegation", _term_branch, refusal, name=delegation.name)


def delegate_save(*, actor, delegate: Delegate, changed=(), imported: bool = False) -> Delegate:
    """Seat a member as a delegate of a term (by hand or from the delegate import), or change the seat."""
    term = delegate.term
    _require_secretary(actor, term.branch_id)
    _refuse_if(delegate.member.branch_id != term.branch_id, _("代表必须是本分工会会员。"), "member")
    elsewhere = delegate.delegation_id is not None and delegate.delegation.term_id != term.pk
    _refuse_if(elsewhere, _("代表团不属于该届。"), "delegation")
    if imported:
        with transaction.atomic():
            delegate.save()
            _audit(actor, "delegate.imported", delegate, term.branch_id, member=delegate.member_id)
        return delegate
    return _record_save(
        actor, delegate, "delegate", _term_branch, changed, after=lambda d: {"member": d.member_id}
    )


def delegate_delete(*, actor, delegate: Delegate) -> None:
    """Unseat a delegate; sessions already opened keep the number of delegates they had."""
    _record_delete(actor, delegate, "delegate", _term_branch, member=delegate.member_id)


def unit_save(*, actor, unit: Unit, contacts=None, changed=()) -> Unit:
    """Create or change a handling unit and (when given) its contact members, all of its branch."""
    contacts = list(contacts) if contacts is not None else None
    strangers = contacts is not None and any(contact.branch_id != unit.branch_id for contact in contacts)
    _refuse_if(strangers, _("联络人必须是本分工会会员。"), "contacts")

    def check(stored):
        _refuse_if(stored.branch_id != unit.branch_id, _("承办单位不能改到别的分工会。"), "branch")

    def set_contacts(record):
        if contacts is None:
            return {}
        record.contacts.set(contacts)
        return {"contacts": sorted(contact.pk for contact in contacts)}

    return _record_save(actor, unit, "unit", _own_branch, changed, check=check, after=set_contacts)


def unit_delete(*, actor, unit: Unit) -> None:
    def refusal(stored):
        if stored.led_proposals.exists() or stored.supported_proposals.exists() or stored.replies.exists():
            return _("承办单位“%(name)s”已承办提案，不能删除。") % {"name": stored.name}
        return None

    _record_delete(actor, unit, "unit", _own_branch, refusal, name=unit.name)


def _require_superuser(actor) -> None:
    if not (actor is not None and actor.is_authenticated and actor.is_superuser):
        raise CongressError(_("提案类别是全校共用的列表，只有系统管理员可以修改。"))


def proposal_category_save(*, actor, category: ProposalCategory, changed=()) -> ProposalCategory:
    _require_superuser(actor)
    with transaction.atomic():
        created = category.pk is None
        category.save()
        _audit(
            actor,
            "proposal_category.created" if created else "proposal_category.changed",
            category,
            None,
            fields=_fields(changed),
        )
    return category


def proposal_category_delete(*, actor, category: ProposalCategory) -> None:
    _require_superuser(actor)
    with transaction.atomic():
        category = ProposalCategory.objects.select_for_update().get(pk=category.pk)
        if category.proposals.exists():
            raise CongressError(
                _("已有提案使用类别“%(name)s”，不能删除；请改为停用。") % {"name": category.name}
            )
        _audit(actor, "proposal_category.deleted", category, None, name=category.name)
        category.delete()
