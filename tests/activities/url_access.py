from datetime import timedelta

from django.utils import timezone

from activities.models import Activity, CalendarFeed, Club
from tests.url_access import row


def objects(world):
    club = Club.objects.create(
        branch=world.branch, name="羽毛球俱乐部", kind=Club.Kind.SPORTS, leader=world.club_leader
    )
    starts_at = timezone.now() + timedelta(days=7)
    activity = Activity.objects.create(
        branch=world.branch,
        club=club,
        title="教职工羽毛球赛",
        place="体育馆",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        status=Activity.Status.PUBLISHED,
        capacity=10,
    )
    feed = CalendarFeed.objects.create(member=world.member, token="t" * 43)
    return {"club": club, "activity": activity, "feed": feed}


def _activity(objects):
    return {"pk": objects["activity"].pk}


def _club(objects):
    return {"pk": objects["club"].pk}


ROWS = [
    row("activities:list"),
    row("activities:participation", default=403, officer=200, other_branch_officer=200, superuser=200),
    row("activities:detail", _activity, other_branch_officer=404),
    row("activities:ics", _activity, other_branch_officer=404),
    row("activities:signup", _activity, default=405),
    row("activities:cancel", _activity, default=405),
    row(
        "activities:sheet",
        _activity,
        default=403,
        officer=200,
        club_leader=200,
        superuser=200,
        other_branch_officer=404,
    ),
    row("activities:attendance", _activity, default=405),
    row(
        "activities:edit",
        _activity,
        default=403,
        officer=200,
        club_leader=200,
        superuser=200,
        other_branch_officer=404,
    ),
    row("activities:club_list"),
    row("activities:club_detail", _club, other_branch_officer=404),
    row("activities:club_join", _club, default=405),
    row("activities:club_leave", _club, default=405),
    row(
        "activities:club_activity_new",
        _club,
        default=403,
        officer=200,
        club_leader=200,
        superuser=200,
        other_branch_officer=404,
    ),
    # The feed is authenticated by its token alone (calendar apps have no session).
    row("activities:my_calendar", query="token=" + "t" * 43, anonymous=200),
    row("activities:calendar_reset", default=405),
]
