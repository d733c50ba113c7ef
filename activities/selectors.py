"""Reads shared by the views and the home and /me/ sections (activities/apps.py).

Each returns rows the user may see (through the querysets' `visible_to`, i.e. activities.access)
with what the templates show already joined or annotated: a fixed number of queries whatever
the number of rows.
"""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone

from activities.models import Activity, ActivityResult, CalendarFeed, Club, ClubMembership, Registration
from members.access import member_for


def activity_cards(user):
    """Activities shown as cards (list, club page, home): with the viewer's own status and place."""
    return (
        Activity.objects.visible_to(user)
        .listed()
        .select_related("club", "branch")
        .prefetch_related("audience_groups")
        .with_member_status(member_for(user))
    )


def activity_list(user, filters):
    """/activities/: the filtered cards, upcoming first."""
    return filters(activity_cards(user)).upcoming_first()


def upcoming_for(user, limit=5):
    """Home: the next published activities the user may see."""
    return list(activity_cards(user).published().upcoming().order_by("starts_at", "pk")[:limit])


def my_registrations(member, *, upcoming_only: bool, limit: int):
    """A member's registrations with their waitlist places (drafts never show)."""
    queryset = (
        Registration.objects.filter(member=member)
        .exclude(activity__status=Activity.Status.DRAFT)
        .select_related("activity__club")
        .with_position()
    )
    now = timezone.now()
    if upcoming_only:
        return list(
            queryset.active().filter(activity__ends_at__gte=now).order_by("activity__starts_at")[:limit]
        )
    # Upcoming ones first (soonest first), then the last half year's (most recent first).
    recent = list(
        queryset.filter(activity__ends_at__gte=now - timedelta(days=180)).order_by("-activity__starts_at")[
            :limit
        ]
    )
    upcoming = sorted((r for r in recent if r.activity.ends_at >= now), key=lambda r: r.activity.starts_at)
    return upcoming + [r for r in recent if r.activity.ends_at < now]


def my_clubs(member):
    return list(ClubMembership.objects.filter(member=member).select_related("club").order_by("club__name"))


def calendar_feed_of(member) -> CalendarFeed | None:
    """The member's feed, if they made one (made only on an explicit POST, never on a read)."""
    return CalendarFeed.objects.filter(member=member).first()


def _next_activity(field):
    return Subquery(
        Activity.objects.listed()
        .filter(club=OuterRef("pk"), starts_at__gte=timezone.now())
        .exclude(status=Activity.Status.CANCELLED)
        .order_by("starts_at")
        .values(field)[:1]
    )


def club_list(user):
    """/clubs/: active clubs in kind order, with member counts, mine, and the next activity."""
    member = member_for(user)
    return (
        Club.objects.visible_to(user)
        .active()
        .select_related("leader")
        .annotate(
            n_members=Count("memberships", distinct=True),
            is_mine=Exists(ClubMembership.objects.filter(club=OuterRef("pk"), member=member)),
            next_pk=_next_activity("pk"),
            next_title=_next_activity("title"),
            next_starts_at=_next_activity("starts_at"),
        )
        .in_kind_order()
    )


def club_upcoming(user, club):
    return activity_cards(user).filter(club=club, ends_at__gte=timezone.now()).order_by("starts_at")


def club_past(club, limit=10):
    return (
        Activity.objects.listed()
        .filter(club=club, ends_at__lt=timezone.now())
        .exclude(status=Activity.Status.CANCELLED)
        .order_by("-starts_at")[:limit]
    )


def club_results(club):
    return (
        ActivityResult.objects.filter(activity__club=club)
        .exclude(activity__status__in=[Activity.Status.DRAFT, Activity.Status.CANCELLED])
        .select_related("activity")
        .order_by("-activity__starts_at", "sort_order", "pk")
    )


def club_drafts(club):
    return Activity.objects.filter(club=club, status=Activity.Status.DRAFT).order_by("starts_at")


def club_roster(club):
    return club.memberships.select_related("member__union_group").order_by("joined_on", "pk")


def is_club_member(member, club) -> bool:
    return member is not None and ClubMembership.objects.filter(club=club, member=member).exists()


def registration_of(member, activity) -> Registration | None:
    """The member's registration for the activity, with its waitlist place (`position`)."""
    if member is None:
        return None
    return Registration.objects.filter(activity=activity, member=member).with_position().first()


def waitlist_for_sheet(activity):
    return list(activity.registrations.waitlist().select_related("member__union_group"))


def confirmed_for_sheet(activity):
    return list(
        activity.registrations.filter(status=Registration.Status.CONFIRMED)
        .select_related("member__union_group", "member__department")
        .order_by("member__union_group__sort_order", "member__union_group__name", "member__staff_number")
    )


def feed_activities(member, since_days=365):
    """The personal calendar: listed activities the member holds a seat for, from a year back."""
    return (
        Activity.objects.listed()
        .filter(
            registrations__member=member,
            registrations__status=Registration.Status.CONFIRMED,
            starts_at__gte=timezone.now() - timedelta(days=since_days),
        )
        .select_related("club")
        .order_by("starts_at")
    )
