"""Who may see and change clubs, activities, registrations and calendar feeds: written once.

Built on `members.access` (who the user is, their branch and roles). Querysets (`visible_to`),
views, admin and services all ask here. The view helpers return 404 for what the user may not
see at all, and 403 (PermissionDenied) for what they may see but not change.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from activities.models import Activity, CalendarFeed, Club, Registration
from members import access
from members.access import member_for
from members.models import Member

# --- rules -------------------------------------------------------------------------------


def can_manage_activities(user, branch_id) -> bool:
    """Officers of the branch (and superusers) run its activities, registrations and clubs."""
    return access.is_officer_of(user, branch_id)


def leads(user, club: Club | None) -> bool:
    """The user is the leader (负责人) of this club and still a member in good standing."""
    member = member_for(user)
    return member is not None and club is not None and club.leader_id == member.pk


def can_plan_club_activities(user, club: Club) -> bool:
    """Officers of the branch, and the club's own leader, create and edit the club's activities."""
    return can_manage_activities(user, club.branch_id) or leads(user, club)


def can_see_roster(user, club: Club) -> bool:
    """The member list of a club: its leader and the branch's officers."""
    return can_plan_club_activities(user, club)


def can_manage_club_members(user, club: Club) -> bool:
    """Adding or removing someone else (admin): officers of the club's branch."""
    return can_manage_activities(user, club.branch_id)


def can_change_activity(user, activity: Activity) -> bool:
    """Edit, publish, cancel or finish: officers of the branch; the leader for their club's activities."""
    if activity.club_id is not None and activity.club is not None:
        return can_plan_club_activities(user, activity.club)
    return can_manage_activities(user, activity.branch_id)


def can_take_attendance(user, activity: Activity) -> bool:
    """Officers of the branch, and the leader of the organising club."""
    return can_manage_activities(user, activity.branch_id) or (
        activity.club_id is not None and leads(user, activity.club)
    )


def can_register_others(user, activity: Activity) -> bool:
    """Sign a member up on their behalf, promote, demote, cancel anyone's: the branch's officers."""
    return can_manage_activities(user, activity.branch_id)


def acts_for_self(user, member: Member) -> bool:
    """The user acts on their own record (the services then check the membership's status)."""
    return user is not None and user.is_authenticated and member.user_id == user.pk


def can_cancel_registration(user, registration: Registration) -> bool:
    return acts_for_self(user, registration.member) or can_register_others(user, registration.activity)


def can_view_participation(user, branch_id) -> bool:
    """Coverage figures of a branch: its officers (and superusers, for any branch)."""
    return can_manage_activities(user, branch_id)


def calendar_feed_answers(feed: CalendarFeed) -> bool:
    """A feed answers while its member is in good standing and their login is active."""
    return feed.member.holds_membership and feed.member.user.is_active


# --- querysets (called by the models' visible_to) -----------------------------------------


def clubs_visible_to(queryset, user):
    """Clubs of the user's branch (every branch for a superuser; none without a membership)."""
    return access.in_branch_of(queryset, user)


def activities_visible_to(queryset, user):
    """Listed activities of the user's branch; drafts too for its officers and their club's leader."""
    if user.is_superuser:
        return queryset
    member = member_for(user)
    if member is None:
        return queryset.none()
    mine = queryset.filter(branch_id=member.branch_id)
    if can_manage_activities(user, member.branch_id):
        return mine
    return mine.filter(~Q(status=Activity.Status.DRAFT) | Q(club__leader=member))


# --- one helper per object type for views --------------------------------------------------


def activity_or_404(user, pk) -> Activity:
    """An activity the user may see (with its club, branch and audience groups), else 404."""
    queryset = (
        Activity.objects.visible_to(user)
        .select_related("club__leader", "branch")
        .prefetch_related("audience_groups")
    )
    return get_object_or_404(queryset, pk=pk)


def club_or_404(user, pk) -> Club:
    return get_object_or_404(Club.objects.visible_to(user).select_related("leader", "branch"), pk=pk)


def require(allowed: bool) -> None:
    """403 for an object the user may see but not change."""
    if not allowed:
        raise PermissionDenied


def calendar_feed_or_404(token: str) -> CalendarFeed:
    """The personal feed of a token, while its member is in good standing and their login active."""
    feed = CalendarFeed.objects.select_related("member__user").filter(token=token).first() if token else None
    if feed is None or not calendar_feed_answers(feed):
        raise Http404
    return feed


def participation_branch(user, requested: str | None):
    """The branch whose coverage the user may see: their own; a superuser picks one (?branch=pk)."""
    from members.models import Branch

    branch = access.branch_for(user)
    if branch is None and user.is_superuser:
        chosen = None
        if requested and requested.isdigit() and len(requested) < 10:
            chosen = Branch.objects.filter(pk=int(requested)).first()
        branch = chosen or Branch.objects.first()
        if branch is None:
            raise Http404
    if branch is None or not can_view_participation(user, branch.pk):
        raise PermissionDenied
    return branch
