"""Reads the congress pages, the PDFs and /me/ share: quorum, votes, figures, lists."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import access
from congress.models import CoSign, Proposal, Reply, Session, Suggestion, Verdict, Vote
from congress.services import _required_share

State = Proposal.State


def current_collecting_session(branch_id, now=None):
    """The session of the branch now collecting proposals (the latest if several), or None."""
    now = now or timezone.now()
    return (
        Session.objects.filter(term__branch_id=branch_id, collect_from__lte=now, collect_until__gte=now)
        .select_related("term")
        .order_by("-collect_until")
        .first()
    )


def sessions_of_branch(branch_id):
    return Session.objects.filter(term__branch_id=branch_id).select_related("term")


# --- quorum and votes --------------------------------------------------------------------


@dataclass
class Quorum:
    """Delegates, attendance and quorum of a session: fixed when it opened, provisional before."""

    delegates: int
    present: int
    required: int
    fixed: bool

    @property
    def met(self) -> bool:
        return self.delegates > 0 and self.present >= self.required


def quorum_of(session: Session) -> Quorum:
    present = session.attendances.count()
    if session.is_open:
        return Quorum(
            delegates=session.delegates_count, present=present, required=session.quorum_required, fixed=True
        )
    total = access.delegates_of(session.term).count()
    return Quorum(
        delegates=total,
        present=present,
        required=_required_share(total, settings.CONGRESS_QUORUM),
        fixed=False,
    )


@dataclass
class VoteOutcome:
    """A vote's result from the figures fixed when the session opened and the attendance when it
    was taken: 未达法定人数 (no result) when the attendance was below the quorum, never 通过."""

    vote: Vote
    delegates: int
    quorum: int
    needed: int

    NO_QUORUM = "no_quorum"
    PASSED = "passed"
    FAILED = "failed"

    @property
    def quorate(self) -> bool:
        return self.delegates > 0 and self.vote.present >= self.quorum

    @property
    def passed(self) -> bool:
        return self.quorate and self.vote.yes >= self.needed

    @property
    def status(self) -> str:
        if not self.quorate:
            return self.NO_QUORUM
        return self.PASSED if self.passed else self.FAILED

    @property
    def label(self) -> str:
        return {self.NO_QUORUM: _("未达法定人数"), self.PASSED: _("通过"), self.FAILED: _("未通过")}[
            self.status
        ]


def vote_outcomes(session: Session) -> list[VoteOutcome]:
    if not session.is_open:
        return []
    return [
        VoteOutcome(
            vote=vote,
            delegates=session.delegates_count,
            quorum=session.quorum_required,
            needed=session.majority_required,
        )
        for vote in session.votes.all()
    ]


# --- lists -------------------------------------------------------------------------------


def proposal_list_queryset(user):
    """Proposals the user may see, with what the list shows, in a fixed number of queries."""
    return (
        Proposal.objects.visible_to(user)
        .select_related("session__term", "category", "proposer", "delegation", "lead_unit")
        .annotate(
            n_cosigners=Count("cosigns", filter=Q(cosigns__status=CoSign.Status.ACCEPTED), distinct=True)
        )
        .order_by("-session__starts_on", "sequence", "pk")
    )


def proposals_for_report(session: Session):
    """Every submitted proposal of a session with everything the PDFs print (a fixed number of queries)."""
    return (
        session.proposals.submitted()
        .select_related(
            "category", "proposer", "delegation", "lead_unit", "merged_into", "follower", "suggested_unit"
        )
        .prefetch_related(
            Prefetch(
                "cosigns",
                queryset=CoSign.objects.filter(status=CoSign.Status.ACCEPTED).select_related("member"),
                to_attr="accepted_cosigns",
            ),
            "co_proposers",
            "supporting_units",
            Prefetch(
                "replies",
                queryset=Reply.objects.filter(kind=Reply.Kind.REPLY).select_related("unit"),
                to_attr="unit_replies",
            ),
            Prefetch("verdicts", queryset=Verdict.objects.select_related("member"), to_attr="all_verdicts"),
        )
        .order_by("sequence", "pk")
    )


# --- figures -----------------------------------------------------------------------------


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def session_figures(session: Session) -> dict:
    """The figures universities publish after a session: per stage, per category, rates, satisfaction."""
    proposals = session.proposals.submitted()
    by_state = dict(proposals.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    total = sum(by_state.values())
    accepted = sum(by_state.get(state, 0) for state in Proposal.ACCEPTED_STATES)
    decided = sum(by_state.get(state, 0) for state in Proposal.DECIDED_STATES)
    assigned = proposals.filter(state__in=(State.HANDLING, State.REPLIED, State.CLOSED))
    replied_ids = set(
        Reply.objects.filter(proposal__session=session, kind=Reply.Kind.REPLY).values_list(
            "proposal_id", flat=True
        )
    )
    first_replies = (
        Reply.objects.filter(proposal__session=session, kind=Reply.Kind.REPLY, handling_round=1)
        .order_by("proposal_id", "created_at", "pk")
        .values_list("proposal_id", "on_time")
    )
    on_time_by_proposal = {}
    for proposal_id, on_time in first_replies:
        on_time_by_proposal.setdefault(proposal_id, on_time)
    n_assigned = assigned.count()
    on_time = sum(1 for value in on_time_by_proposal.values() if value)
    late = len(on_time_by_proposal) - on_time
    # The proposer's latest verdict per proposal.
    latest = {}
    for proposal_id, member_id, proposer_id, rating in (
        Verdict.objects.filter(proposal__session=session)
        .order_by("proposal_id", "handling_round", "created_at", "pk")
        .values_list("proposal_id", "member_id", "proposal__proposer_id", "rating")
    ):
        if member_id == proposer_id:
            latest[proposal_id] = rating
    ratings = {
        rating: sum(1 for value in latest.values() if value == rating) for rating in Verdict.Rating.values
    }
    rated = len(latest)
    categories = list(
        proposals.values("category__name").annotate(n=Count("pk")).order_by("-n", "category__name")
    )
    for row in categories:
        row["share"] = _rate(row["n"], total)
    delegations = list(
        proposals.values("delegation__name").annotate(n=Count("pk")).order_by("-n", "delegation__name")
    )
    overdue = proposals.overdue().count()
    return {
        "session": session,
        "quorum": quorum_of(session),
        "votes": vote_outcomes(session),
        "total": total,
        "by_state": [
            {"state": state, "label": label, "n": by_state.get(state, 0)}
            for state, label in State.choices
            if state != State.DRAFT
        ],
        "accepted": accepted,
        "merged": by_state.get(State.MERGED, 0),
        "converted": by_state.get(State.CONVERTED, 0),
        "rejected": by_state.get(State.REJECTED, 0),
        "withdrawn": by_state.get(State.WITHDRAWN, 0),
        "decided": decided,
        "acceptance_rate": _rate(accepted, decided),
        "assigned": n_assigned,
        "replied": len(replied_ids),
        "reply_rate": _rate(len(replied_ids), n_assigned),
        "on_time": on_time,
        "late": late,
        "on_time_rate": _rate(on_time, on_time + late),
        "overdue": overdue,
        "rated": rated,
        "ratings": [
            {"rating": value, "label": label, "n": ratings[value], "share": _rate(ratings[value], rated)}
            for value, label in Verdict.Rating.choices
        ],
        "satisfaction_rate": _rate(ratings["satisfied"] + ratings["basic"], rated),
        "categories": categories,
        "delegations": delegations,
    }


# --- /me/ --------------------------------------------------------------------------------


def my_congress(member):
    proposals = list(
        Proposal.objects.filter(Q(proposer=member) | Q(co_proposers=member))
        .distinct()
        .select_related("session")
        .order_by("-created_at")[:20]
    )
    cosigns = list(
        CoSign.objects.filter(member=member)
        .exclude(status=CoSign.Status.DECLINED)
        .select_related("proposal")
        .order_by("-created_at")[:20]
    )
    suggestions = list(
        Suggestion.objects.filter(author=member)
        .annotate(has_proposal=Exists(Proposal.objects.filter(from_suggestion=OuterRef("pk"))))
        .order_by("-created_at")[:20]
    )
    return {"proposals": proposals, "cosigns": cosigns, "suggestions": suggestions}


# --- the congress secretary's work queue ---------------------------------------------------------


def with_waiting(queryset):
    """Proposals annotated for `proposal_waiting`: the latest reply of this round, and whether
    the proposer has rated it."""
    from django.db.models import F, Max

    return queryset.annotate(
        last_reply=Max(
            "replies__created_at",
            filter=Q(replies__kind=Reply.Kind.REPLY, replies__handling_round=F("handling_round")),
        ),
        rated=Exists(
            Verdict.objects.filter(
                proposal=OuterRef("pk"),
                member_id=OuterRef("proposer_id"),
                handling_round=OuterRef("handling_round"),
            )
        ),
    )


def proposal_waiting(proposal, today=None) -> dict | None:
    """What a proposal (annotated by `with_waiting`) waits for: {proposal, next_step, since,
    due, overdue}, or None. Review by the committee; the lead unit's reply by the deadline; the
    proposer's rating within CONGRESS_RATING_DAYS of the reply."""
    from datetime import timedelta

    today = today or timezone.localdate()
    State = Proposal.State
    since = timezone.localtime(proposal.updated_at).date()
    if proposal.state == State.REVIEW:
        if proposal.submitted_at:
            since = timezone.localtime(proposal.submitted_at).date()
        return {
            "proposal": proposal,
            "next_step": _("审查：立案、退回修改、并案或不予立案"),
            "since": since,
            "due": None,
            "overdue": False,
        }
    if proposal.state == State.HANDLING:
        overdue = proposal.deadline is not None and proposal.deadline < today
        return {
            "proposal": proposal,
            "next_step": _("催办：主办单位答复已逾期") if overdue else _("等待主办单位答复"),
            "since": since,
            "due": proposal.deadline,
            "overdue": overdue,
        }
    if proposal.state == State.REPLIED and not proposal.rated:
        replied = timezone.localtime(proposal.last_reply).date() if proposal.last_reply else since
        due = replied + timedelta(days=settings.CONGRESS_RATING_DAYS)
        return {
            "proposal": proposal,
            "next_step": _("等待提案人评价答复"),
            "since": replied,
            "due": due,
            "overdue": due < today,
        }
    return None


def secretary_queue(user, today=None) -> list[dict]:
    """What waits for the congress secretary of the user's branch: proposals to review, replies
    due and overdue (the lead unit's), ratings pending (the proposer's verdict on this round's
    reply). [{proposal, next_step, since, due, overdue}]; one query."""
    from members.access import branch_id_for

    branch_id = branch_id_for(user)
    if branch_id is None or not access.is_secretary(user, branch_id):
        return []
    State = Proposal.State
    proposals = (
        with_waiting(
            Proposal.objects.filter(
                session__term__branch_id=branch_id, state__in=(State.REVIEW, State.HANDLING, State.REPLIED)
            )
        )
        .only("pk", "number", "title", "state", "deadline", "submitted_at", "updated_at")
        .order_by("pk")
    )
    rows = [proposal_waiting(proposal, today) for proposal in proposals]
    return [row for row in rows if row is not None]
