"""Shared reads: aggregates for the finance disclosures (never a name), ledgers, lists.

`aid_totals` and `benefit_totals` are the only way welfare data leaves this app: counts and
sums per ground or kind and year, with no personal field.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members import ages
from members.ages import years_before
from members.models import Member
from welfare.models import AidCase, Benefit, BenefitCap, BenefitKind, CapBasis, CareVisit, Ground

PAID_STATES = (AidCase.State.PAID, AidCase.State.CLOSED)
CENTS = Decimal("0.01")


def _money(value) -> Decimal:
    """Sums as Decimal with two places on every database (SQLite returns Decimal('400'))."""
    return Decimal(value or 0).quantize(CENTS)


def aid_totals(*, branch, year: int) -> list[dict]:
    """Hardship aid paid in a year's round, per ground: [{ground, label, count, amount}].

    Anonymised cases count too (retention keeps ground, amounts and year).
    """
    rows = {
        row["ground"]: row
        for row in AidCase.objects.filter(branch=branch, round__year=year, state__in=PAID_STATES)
        .values("ground")
        .annotate(count=Count("pk"), amount=Sum("paid_amount"))
        .order_by()
    }
    return [
        {
            "ground": ground.value,
            "label": str(ground.label),
            "count": rows.get(ground.value, {}).get("count", 0),
            "amount": _money(rows.get(ground.value, {}).get("amount")),
        }
        for ground in Ground
    ]


def caps_in_force(year: int) -> dict:
    """The cap per member of each kind in force in a year (per year or per event): {kind: BenefitCap}."""
    caps = {}
    for cap in BenefitCap.objects.filter(effective_from__lte=year).order_by("kind", "-effective_from"):
        caps.setdefault(cap.kind, cap)
    return caps


def benefit_totals(*, branch, year: int) -> list[dict]:
    """Condolence benefits of a year (by event date), per kind:
    [{kind, label, count, recipients, amount, cap}] — `recipients` counts distinct members and
    `cap` is the cap per member in force (None without one), `cap_per` whether it counts per
    year ("year") or per event ("event"): figures, never a name."""
    rows = {
        row["kind"]: row
        for row in Benefit.objects.filter(branch=branch, event_date__year=year)
        .values("kind")
        .annotate(count=Count("pk"), recipients=Count("member", distinct=True), amount=Sum("amount"))
        .order_by()
    }
    caps = caps_in_force(year)
    return [
        {
            "kind": kind.value,
            "label": str(kind.label),
            "count": rows.get(kind.value, {}).get("count", 0),
            "recipients": rows.get(kind.value, {}).get("recipients", 0),
            "amount": _money(rows.get(kind.value, {}).get("amount")),
            "cap": caps[kind.value].cap if kind.value in caps else None,
            "cap_per": caps[kind.value].per if kind.value in caps else None,
        }
        for kind in BenefitKind
    ]


def care_visit_totals(*, branch, year: int) -> list[dict]:
    """Care visits of a year, per occasion: [{occasion, label, count, amount}]."""
    rows = {
        row["occasion"]: row
        for row in CareVisit.objects.filter(branch=branch, visited_on__year=year)
        .values("occasion")
        .annotate(count=Count("pk"), amount=Sum("amount"))
        .order_by()
    }
    return [
        {
            "occasion": occasion.value,
            "label": str(occasion.label),
            "count": rows.get(occasion.value, {}).get("count", 0),
            "amount": _money(rows.get(occasion.value, {}).get("amount")),
        }
        for occasion in CareVisit.Occasion
    ]


def round_totals(round_) -> dict:
    """Approved and paid totals of a round against its budget (the round's page)."""
    sums = AidCase.objects.filter(round=round_).aggregate(
        approved=Sum("amount_approved", filter=Q(state__in=AidCase.COMMITTED_STATES)),
        paid=Sum("paid_amount", filter=Q(state__in=PAID_STATES)),
        cases=Count("pk", filter=~Q(state=AidCase.State.DRAFT)),
    )
    approved = _money(sums["approved"])
    return {
        "budget": round_.budget,
        "approved": approved,
        "paid": _money(sums["paid"]),
        "remaining": round_.budget - approved,
        "cases": sums["cases"],
    }


def member_ledger(member, year: int) -> list[dict]:
    """What a member received in a year per kind, against the caps in force (what remains is
    shown for the caps per year; a cap per event applies to each event anew)."""
    received = {
        row["kind"]: row
        for row in Benefit.objects.filter(member=member, event_date__year=year)
        .values("kind")
        .annotate(count=Count("pk"), amount=Sum("amount"))
        .order_by()
    }
    caps = caps_in_force(year)
    rows = []
    for kind in BenefitKind:
        amount = _money(received.get(kind.value, {}).get("amount"))
        cap = caps.get(kind.value)
        rows.append(
            {
                "kind": kind.value,
                "label": kind.label,
                "count": received.get(kind.value, {}).get("count", 0),
                "amount": amount,
                "cap": cap.cap if cap else None,
                "cap_per": cap.per if cap else None,
                "remaining": (cap.cap - amount) if cap and cap.per == CapBasis.PER_YEAR else None,
            }
        )
    return rows


def my_cases(member):
    """The member's own cases, newest first (for /welfare/mine/ and /me/)."""
    return AidCase.objects.filter(member=member).select_related("round").order_by("-created_at", "-pk")


def notices_for(member, day: datetime.date | None = None):
    """Cases in public notice today, for the members of the same branch."""
    day = day or timezone.localdate()
    return (
        AidCase.objects.filter(
            branch_id=member.branch_id,
            state=AidCase.State.NOTICE,
            notice_starts_on__lte=day,
            notice_ends_on__gte=day,
            member__isnull=False,
        )
        .select_related("member__union_group")
        .order_by("member__union_group__sort_order", "member__name", "pk")
    )


def reviews_due(queryset, day: datetime.date | None = None):
    day = day or timezone.localdate()
    return queryset.filter(review_due_on__lte=day).exclude(state__in=AidCase.ENDED_STATES)


def _in_next_month(day: datetime.date, today: datetime.date) -> bool:
    return today < day <= today + datetime.timedelta(days=31)


def _on_year(born: datetime.date, year: int) -> datetime.date:
    try:
        return born.replace(year=year)
    except ValueError:
        return born.replace(year=year, day=28)


def coming_birthdays(branch, today: datetime.date | None = None) -> list[dict]:
    """Members of the branch whose birthday falls in the next 31 days: [{member, date}]."""
    today = today or timezone.localdate()
    rows = []
    for member in Member.objects.in_good_standing().filter(branch=branch).select_related("union_group"):
        for year in (today.year, today.year + 1):
            day = _on_year(member.birth_date, year)
            if _in_next_month(day, today):
                rows.append({"member": member, "date": day})
                break
    return sorted(rows, key=lambda row: (row["date"], row["member"].name))


def coming_retirements(branch, today: datetime.date | None = None) -> list[dict]:
    """Active members who reach the legal retirement age in the next 31 days (the 2025 reform's
    tables by birth month, members.ages)."""
    today = today or timezone.localdate()
    rows = []
    oldest = years_before(today, ages.OLDEST_RETIREMENT_AGE + 1)
    for member in Member.objects.filter(
        status=Member.Status.ACTIVE, branch=branch, birth_date__gte=oldest
    ).select_related("union_group"):
        day = member.retirement_date
        if _in_next_month(day, today):
            rows.append({"member": member, "date": day})
    return sorted(rows, key=lambda row: (row["date"], row["member"].name))


# --- where a case is ---------------------------------------------------------------------------

# The flow's stages, each with the label of the progress line and how a case shows it has
# reached it (a stage may be passed without its own state, e.g. the 公示 of a case without consent).
FLOW_STAGES = (
    ("submitted", AidCase.State.SUBMITTED.label, "submitted_at"),
    ("group_opinion", _("工会小组意见"), "group_opinion"),
    ("reviewed", _("分工会审核"), "review_meeting_on"),
    ("decided", _("校工会决定"), "decided_on"),
    ("approved", _("批准"), "approved_at"),
    ("notice", _("公示"), "notice_starts_on"),
    ("paid", _("发放"), "paid_on"),
    ("closed", _("结案"), None),
)


def case_progress(case) -> list[dict]:
    """The progress line of a case: [{key, label, status}] with status "done", "current" (the
    next stage to reach) or "todo"; a rejected or withdrawn case ends with its state ("ended")."""
    reached = [
        bool(getattr(case, attr)) if attr else case.state == AidCase.State.CLOSED
        for _key, _label, attr in FLOW_STAGES
    ]
    if case.state == AidCase.State.NOTICE:
        reached[5] = True
    last = max((i for i, done in enumerate(reached) if done), default=-1)
    ended = case.state in (AidCase.State.REJECTED, AidCase.State.WITHDRAWN)
    line = []
    for i, (key, label, _attr) in enumerate(FLOW_STAGES):
        if i <= last:
            status = "done"
        elif i == last + 1 and not ended:
            status = "current"
        else:
            status = "todo"
        if key == "notice" and status == "todo" and case.no_notice_reason and last >= 4:
            status = "skipped"
        line.append({"key": key, "label": label, "status": status})
    if ended:
        line = [step for step in line if step["status"] == "done"]
        line.append({"key": case.state, "label": case.get_state_display(), "status": "ended"})
    return line


def working_days_between(first: datetime.date, last: datetime.date) -> int:
    """How many working days (China's official calendar) from `first` to `last`, both counted."""
    from unionhome import workdays

    count, day = 0, first
    while day <= last:
        count += workdays.is_working_day(day)
        day += datetime.timedelta(days=1)
    return count


def round_caps(round_) -> list[dict]:
    """The caps of a round per ground, as the application form shows them: [{label, text}]
    (the budget and what is left of it are the officers' and are not here)."""
    from welfare.forms import cap_text

    caps = {cap.ground: cap for cap in round_.caps.all()}
    return [
        {"ground": value, "label": label, "text": cap_text(caps.get(value)) or _("没有单独的上限")}
        for value, label in Ground.choices
    ]


def next_for_applicant(case, today: datetime.date | None = None) -> dict | None:
    """What happens next to the applicant's case and roughly when: {what, when} (None when the
    case has ended). The dates are the round's closing day and the 公示's working days; the
    other stages have no fixed time and say so."""
    from unionhome import workdays
    from welfare.services import notice_working_days

    today = today or timezone.localdate()
    State = AidCase.State
    state = case.state
    annual = case.track == AidCase.Track.ANNUAL
    if annual and case.round.closes_on >= today:
        review_when = _("年度补助在申请截止（%(day)s）后由分工会集中审核。") % {
            "day": case.round.closes_on.isoformat()
        }
    elif annual:
        review_when = _("申请已截止，分工会正在集中审核。")
    else:
        review_when = _("临时救助随时受理，帮扶专员会尽快办理。")
    if state == State.DRAFT:
        return {"what": _("您的申请还是草稿：提交后帮扶专员才会收到。"), "when": ""}
    if state == State.SUBMITTED:
        return {
            "what": _("接下来：您所在的工会小组核实情况并出具意见，再由分工会集体审核。"),
            "when": review_when,
        }
    if state == State.GROUP_OPINION:
        return {"what": _("接下来：分工会集体审核并建档。"), "when": review_when}
    if state == State.REVIEWED:
        return {"what": _("接下来：校工会决定补助金额。"), "when": review_when}
    if state == State.DECIDED:
        return {"what": _("接下来：另一位帮扶专员复核批准。"), "when": ""}
    days = notice_working_days()
    if state == State.APPROVED and case.consent_to_notice:
        return {
            "what": _("接下来：在本分工会会员范围内公示，公示结束后发放。"),
            "when": _("公示 %(days)s 个工作日。") % {"days": days},
        }
    if state == State.APPROVED:
        return {"what": _("接下来：发放补助（您没有同意公示，不公示）。"), "when": ""}
    if state == State.NOTICE and case.notice_ends_on:
        first = case.notice_ends_on + datetime.timedelta(days=1)
        pay_from = workdays.add_working_days(first, 1)
        return {
            "what": _("公示中：公示结束后发放。"),
            "when": _("公示到 %(ends)s 结束，最早 %(day)s 发放。")
            % {"ends": case.notice_ends_on.isoformat(), "day": pay_from.isoformat()},
        }
    if state == State.PAID:
        return {"what": _("补助已发放，帮扶专员核对后结案。"), "when": ""}
    return None


# --- the welfare officer's work queue ------------------------------------------------------------


def officer_queue(user, today: datetime.date | None = None) -> list[dict]:
    """What waits for a welfare officer in her branch: [{case, next_step, since, due, overdue}].

    Applications to take further (group opinion, review, decision), approvals waiting for a
    second officer (not the ones she reviewed: the four-eyes rule), 公示 to start or ending,
    payments pending, yearly reviews due. Never her own application; no name (the title is the
    case number). One query.
    """
    from members.access import branch_id_for
    from welfare import access as welfare_access

    today = today or timezone.localdate()
    State = AidCase.State

    branch_id = branch_id_for(user)
    if branch_id is None:
        return []
    cases = welfare_access.handled_cases(AidCase.objects.all(), user).filter(branch_id=branch_id)
    cases = cases.filter(
        Q(state__in=AidCase.OPEN_STATES) & ~Q(state=State.DRAFT) | Q(review_due_on__lte=today)
    ).order_by("pk")
    rows = []
    for case in cases.only(
        "pk",
        "state",
        "track",
        "consent_to_notice",
        "no_notice_reason",
        "reviewed_by_id",
        "notice_ends_on",
        "review_due_on",
        "updated_at",
        "submitted_at",
        "member_id",
        "branch_id",
    ):
        rows.extend(case_waiting(case, user, today))
    return rows


def case_waiting(case, user, today: datetime.date | None = None) -> list[dict]:
    """What a case waits for from `user` (a welfare officer who handles it): zero, one or two
    rows {case, next_step, since, due, overdue} (the step of its state, the yearly review)."""
    today = today or timezone.localdate()
    State = AidCase.State
    rows = []
    since = timezone.localtime(case.updated_at).date()
    step, due, overdue = None, None, False
    if case.state == State.SUBMITTED:
        step = _("录入工会小组意见")
        since = timezone.localtime(case.submitted_at).date() if case.submitted_at else since
    elif case.state == State.GROUP_OPINION:
        step = _("分工会审核建档")
    elif case.state == State.REVIEWED:
        step = _("录入校工会决定")
    elif case.state == State.DECIDED:
        if case.reviewed_by_id != user.pk:
            step = _("批准（四眼原则：由审核建档人以外的帮扶专员）")
    elif case.state == State.APPROVED:
        if case.no_notice_reason:
            step = _("登记发放")
        elif case.consent_to_notice:
            step = _("开始公示")
        else:
            step = _("不公示并记录原因")
    elif case.state == State.NOTICE and case.notice_ends_on:
        due = case.notice_ends_on
        if today > case.notice_ends_on:
            step = _("公示已结束：登记发放")
            since = case.notice_ends_on + datetime.timedelta(days=1)
        else:
            step = _("公示结束后登记发放")
    elif case.state == State.PAID:
        step = _("结案")
    if step is not None:
        rows.append({"case": case, "next_step": step, "since": since, "due": due, "overdue": overdue})
    if case.review_due_on is not None and case.review_due_on <= today:
        rows.append(
            {
                "case": case,
                "next_step": _("年度复核"),
                "since": case.review_due_on,
                "due": case.review_due_on,
                "overdue": case.review_due_on < today,
            }
        )
    return rows
