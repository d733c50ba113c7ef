"""Who may see and handle hardship cases, visits and benefits: the rules, written once.

A case (with its attachments and timeline) is visible to the welfare officers of the case's
branch, to superusers, and to the applicant; to everybody else it does not exist (404), and
the attempt is logged. Visits and benefits are for the branch's welfare officers only.
"""

from django.http import Http404
from django.utils.translation import gettext as _

from members import access
from unionhome import roles


def is_welfare_officer_of(user, branch_id) -> bool:
    return access.holds_role_in(user, roles.WELFARE_OFFICER, branch_id)


def is_welfare_officer(user) -> bool:
    """Holds the welfare officer role somewhere (a superuser holds every role)."""
    return access.has_role(user, roles.WELFARE_OFFICER)


def is_applicant(user, case) -> bool:
    member = access.member_for(user)
    return member is not None and case.member_id is not None and case.member_id == member.pk


def can_see_case(user, case) -> bool:
    return is_welfare_officer_of(user, case.branch_id) or is_applicant(user, case)


def can_handle_case(user, case) -> bool:
    """Record opinions, reviews, decisions, payments: the branch's welfare officers, never on their
    own application (a welfare officer who applies is an applicant like any other)."""
    return is_welfare_officer_of(user, case.branch_id) and not is_applicant(user, case)


def handled_cases(queryset, user):
    """Cases the user handles as a welfare officer (not their own applications as a member)."""
    if user.is_superuser:
        return queryset
    member = access.member_for(user)
    if member is None or not is_welfare_officer(user):
        return queryset.none()
    return queryset.filter(branch_id=member.branch_id).exclude(member_id=member.pk)


def case_visible_or_404(request, pk, *, via: str = "portal"):
    """The case if the user may see it (and the view is logged), else 404 (and the attempt logged)."""
    from welfare.models import AidCase
    from welfare.services import case_view_denied

    case = AidCase.objects.select_related("round", "member__union_group", "branch").filter(pk=pk).first()
    if case is None or not can_see_case(request.user, case):
        case_view_denied(request=request, case_id=pk, branch_id=case.branch_id if case else None, via=via)
        raise Http404(_("没有找到这个申请。"))
    return case


def member_overview_or_404(request, pk):
    """A member's welfare page (visits, benefits, cases): the welfare officers of their branch."""
    from members.models import Member

    member = Member.objects.select_related("union_group", "branch").filter(pk=pk).first()
    if member is None or not is_welfare_officer_of(request.user, member.branch_id):
        raise Http404(_("没有找到这位会员。"))
    return member
