"""Who may see and do what with the congress's objects (built on members.access).

- Members of the branch read its proposals (not other people's drafts), sessions and figures.
- Delegates of the session's term propose and co-sign; in a 教职工大会 term every active member
  of the branch counts as a delegate.
- Congress secretaries of the branch (roles.CONGRESS_SECRETARY) manage: review, assign, record
  attendance and votes, answer suggestions, print the PDFs.
- Contact members of a unit enter that unit's replies (lead unit) or input (supporting units).
- Any member sends suggestions; the author and the secretaries see them.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from members import access
from members.models import Member
from unionhome import roles


def is_secretary(user, branch_id) -> bool:
    return access.holds_role_in(user, roles.CONGRESS_SECRETARY, branch_id)


def is_delegate(member: Member | None, term) -> bool:
    """The member sits in the term's congress (or, in assembly mode, is an active member of the branch)."""
    if member is None or member.branch_id != term.branch_id or not member.holds_membership:
        return False
    if term.is_assembly:
        return member.status == Member.Status.ACTIVE
    return term.delegates.filter(member=member).exists()


def delegates_of(term):
    """The members who count as delegates of a term."""
    if term.is_assembly:
        return Member.objects.filter(branch_id=term.branch_id, status=Member.Status.ACTIVE)
    return Member.objects.filter(delegate_seats__term=term, status__in=Member.GOOD_STANDING)


def committee_of(term):
    """The members of the term's proposal committee (提案工作委员会), who follow accepted proposals."""
    return Member.objects.filter(delegate_seats__term=term, delegate_seats__on_committee=True).distinct()


def delegation_of(member: Member, term):
    if term.is_assembly:
        return None
    seat = term.delegates.filter(member=member).select_related("delegation").first()
    return seat.delegation if seat else None


def proposals_visible_to(queryset, user):
    """Proposals of the user's branch; drafts only to their proposer (and to nobody else)."""
    from congress.models import unsubmitted

    queryset = access.in_branch_of(queryset, user)
    if user.is_superuser:
        return queryset.submitted()
    member = access.member_for(user)
    if member is None:
        return queryset.none()
    return queryset.filter(~unsubmitted() | Q(proposer=member))


def current_term(branch_id):
    from django.utils import timezone

    from congress.models import Term

    today = timezone.localdate()
    return (
        Term.objects.filter(branch_id=branch_id, starts_on__lte=today, ends_on__gte=today)
        .order_by("-number")
        .first()
    )


def is_current_delegate(member: Member | None) -> bool:
    if member is None:
        return False
    term = current_term(member.branch_id)
    return term is not None and is_delegate(member, term)


def suggestions_visible_to(queryset, user):
    """A suggestion is seen by its author, and by the branch's secretaries and current delegates
    (who may take it up as a proposal)."""
    if user.is_superuser:
        return queryset
    member = access.member_for(user)
    if member is None:
        return queryset.none()
    if is_secretary(user, member.branch_id) or is_current_delegate(member):
        return queryset.filter(branch_id=member.branch_id)
    return queryset.filter(author=member)


def can_edit_proposal(user, proposal) -> bool:
    member = access.member_for(user)
    return (
        member is not None
        and proposal.proposer_id == member.pk
        and proposal.state in (proposal.State.DRAFT, proposal.State.RETURNED)
    )


def can_withdraw_proposal(user, proposal) -> bool:
    member = access.member_for(user)
    return member is not None and proposal.proposer_id == member.pk and proposal.state in proposal.OPEN_STATES


def can_cosign(user, proposal) -> bool:
    """Delegates of the term other than the proposer, while co-signatures are collected."""
    member = access.member_for(user)
    return (
        member is not None
        and member.pk != proposal.proposer_id
        and proposal.state in (proposal.State.COSIGNING, proposal.State.REVIEW)
        and is_delegate(member, proposal.session.term)
    )


def can_reply(user, proposal) -> bool:
    """The lead unit's contacts (and the secretaries on its behalf) reply."""
    if proposal.lead_unit_id is None:
        return False
    if is_secretary(user, proposal.branch_id):
        return True
    member = access.member_for(user)
    return member is not None and proposal.lead_unit.contacts.filter(pk=member.pk).exists()


def supporting_unit_for(user, proposal):
    """The supporting unit whose contact the user is, or None."""
    member = access.member_for(user)
    if member is None:
        return None
    return proposal.supporting_units.filter(contacts=member).first()


def can_rate(user, proposal, *, cosigners_may_rate: bool) -> bool:
    member = access.member_for(user)
    if member is None:
        return False
    if member.pk == proposal.proposer_id or proposal.co_proposers.filter(pk=member.pk).exists():
        return True
    return cosigners_may_rate and proposal.cosigns.filter(member=member, status="accepted").exists()


# --- one helper per object type for the views: 404 when not visible, 403 when read-only ------

PROPOSAL_PAGE_RELATIONS = (
    "session__term",
    "category",
    "proposer",
    "delegation",
    "lead_unit",
    "merged_into",
    "follower",
    "suggested_unit",
    "from_suggestion",
)
SECRETARIES_ONLY = _("只有教代会秘书可以办理此事。")


def branch_id_or_404(request) -> int:
    """The user's branch; 404 for an account without a member record."""
    branch_id = access.branch_id_for(request.user)
    if branch_id is None:
        raise Http404(_("这个账号没有会员档案。"))
    return branch_id


def proposal_or_404(request, pk, *, manage: bool = False, edit: bool = False):
    """The proposal if the user may see it (else 404); with `manage`, only for the branch's
    secretaries, with `edit`, only for its proposer while it is a draft or returned (else 403)."""
    from congress.models import Proposal

    queryset = Proposal.objects.visible_to(request.user).select_related(*PROPOSAL_PAGE_RELATIONS)
    proposal = get_object_or_404(queryset, pk=pk)
    if manage and not is_secretary(request.user, proposal.session.term.branch_id):
        raise PermissionDenied(SECRETARIES_ONLY)
    if edit and not can_edit_proposal(request.user, proposal):
        raise PermissionDenied(_("只有提案人可以修改草稿或退回修改的提案。"))
    return proposal


def session_or_404(request, pk, *, manage: bool = False):
    """The session if the user may see it (else 404); with `manage`, the branch's secretaries only (403)."""
    from congress.models import Session

    session = get_object_or_404(Session.objects.visible_to(request.user).select_related("term"), pk=pk)
    if manage and not is_secretary(request.user, session.term.branch_id):
        raise PermissionDenied(SECRETARIES_ONLY)
    return session


def suggestion_or_404(request, pk, *, manage: bool = False):
    """The suggestion if the user may see it (else 404); with `manage`, secretaries only (403)."""
    from congress.models import Suggestion

    queryset = Suggestion.objects.visible_to(request.user).select_related("author", "unit")
    suggestion = get_object_or_404(queryset, pk=pk)
    if manage and not is_secretary(request.user, suggestion.branch_id):
        raise PermissionDenied(SECRETARIES_ONLY)
    return suggestion


def collecting_delegate_or_403(request, branch_id, *, message):
    """The session now collecting proposals, for a delegate of its term (else 403)."""
    from congress import selectors

    member = access.member_or_404(request)
    session = selectors.current_collecting_session(branch_id)
    if session is None or not is_delegate(member, session.term):
        raise PermissionDenied(message)
    return session


def can_rate_now(user, proposal) -> bool:
    """The user may rate this round's reply now (and has not yet)."""
    member = access.member_for(user)
    return (
        proposal.state == proposal.State.REPLIED
        and can_rate(user, proposal, cosigners_may_rate=settings.CONGRESS_COSIGNERS_RATE)
        and not proposal.verdicts.filter(member=member, handling_round=proposal.handling_round).exists()
    )
