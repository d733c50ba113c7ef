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


# --- which steps an officer may take on a case now --------------------------------------------

# The flow a case goes through, as the progress line shows it (seed 000 §2.3): each stage is
# the state the case is in once the stage is done.
FLOW = (
    "submitted",
    "group_opinion",
    "reviewed",
    "decided",
    "approved",
    "notice",
    "paid",
    "closed",
)


class CaseStep:
    """One step of a case: `name` (as welfare.admin.CaseStepForm knows it), whether the user may
    take it now, and, when the four-eyes rule reserves it for someone else, who may."""

    def __init__(self, name, *, reserved_for=None, why=""):
        self.name = name
        self.reserved_for = list(reserved_for or [])
        self.why = why

    @property
    def allowed(self) -> bool:
        return not self.reserved_for and not self.why

    def __repr__(self):
        return f"CaseStep({self.name!r}, allowed={self.allowed})"


def case_steps(user, case, *, today=None) -> list[CaseStep]:
    """The steps `user` may take on `case` now, in the order of the flow, followed by the ones
    shown but not open to her (the approval the four-eyes rule keeps for another officer, the
    payment before the 公示 has ended), each with why.

    Nobody but the branch's welfare officers (never on their own case) has any step. The
    services check the same rules again when the step is taken.
    """
    from django.utils import timezone

    if not can_handle_case(user, case):
        return []
    today = today or timezone.localdate()
    state = case.state
    steps: list[CaseStep] = []
    if state == "draft":
        steps.append(CaseStep("submit"))
    elif state == "submitted":
        steps.append(CaseStep("group_opinion"))
    elif state == "group_opinion":
        steps.append(CaseStep("review"))
    elif state == "reviewed":
        steps.append(CaseStep("decision"))
    elif state == "decided":
        if case.reviewed_by_id is not None and case.reviewed_by_id == user.pk:
            steps.append(CaseStep("approve", reserved_for=second_approvers(case)))
        else:
            steps.append(CaseStep("approve"))
    elif state == "approved":
        if case.consent_to_notice:
            steps.append(CaseStep("notice"))
        if case.no_notice_reason:
            steps.append(CaseStep("pay"))
        else:
            steps.append(CaseStep("no_notice"))
    elif state == "notice":
        if case.notice_ends_on is not None and today > case.notice_ends_on:
            steps.append(CaseStep("pay"))
        else:
            steps.append(
                CaseStep(
                    "pay",
                    why=_("公示到 %(day)s 结束，结束后才能发放。")
                    % {"day": case.notice_ends_on.isoformat() if case.notice_ends_on else "—"},
                )
            )
    elif state == "paid":
        steps.append(CaseStep("close"))
    if state in ("submitted", "group_opinion", "reviewed", "decided", "approved", "notice"):
        steps.append(CaseStep("reject"))
    if state in ("draft", "submitted", "group_opinion", "reviewed", "decided"):
        steps.append(CaseStep("withdraw"))
    steps.append(CaseStep("note"))
    if state in ("reviewed", "decided", "approved", "notice", "paid"):
        steps.append(CaseStep("review_date"))
    return sorted(steps, key=lambda step: not step.allowed)


def second_approvers(case) -> list[str]:
    """The names of the branch's welfare officers who may approve `case` under the four-eyes
    rule: not the one who reviewed it, not the applicant."""
    holders = (
        access.role_holders(case.branch_id, roles.WELFARE_OFFICER)
        .exclude(pk=case.reviewed_by_id)
        .exclude(member__pk=case.member_id)
        .values_list("member__name", flat=True)
    )
    return sorted(set(holders))
