"""Expected GET status of every activities URL for every persona (tests/test_url_access.py).

POST-only views answer 405 to a signed-in GET; anonymous users are sent to the login (302),
except the calendar feed, which answers to its token alone.
"""

from datetime import timedelta

from django.utils import timezone

from activities.models import Activity, CalendarFeed, Club
from tests.url_access import row


def objects(world):
    """A club led by world.club_leader, its published activity and its draft, a branch activity."""
    club = Club.objects.create(
        branch=world.branch, name="羽毛球俱乐部", kind=Club.Kind.SPORTS, leader=world.club_leader
    )
    starts = timezone.now() + timedelta(days=7)
    common = {
        "branch": world.branch,
        "place": "体育馆",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
    }
    return {
        "club": club,
        "club_activity": Activity.objects.create(
            club=club, title="羽毛球友谊赛", status=Activity.Status.PUBLISHED, capacity=10, **common
        ),
        "draft": Activity.objects.create(
            club=club, title="筹备中的比赛", status=Activity.Status.DRAFT, **common
        ),
        "branch_activity": Activity.objects.create(
            title="教职工运动会", status=Activity.Status.PUBLISHED, **common
        ),
        "feed": CalendarFeed.objects.create(member=world.member, token="t" * 43),
    }


def _pk(name):
    return lambda o: {"pk": o[name].pk}


# Signed-in members of the branch (any role) see the branch's pages; the officer of another
# branch gets 404 for this branch's objects; POST-only views answer 405.
SEEN_BY_BRANCH = {"default": 200, "anonymous": 302, "other_branch_officer": 404}
POST_ONLY = {"default": 405, "anonymous": 302}
# Officers of the branch, the club's leader and the superuser plan and take attendance; other
# members of the branch may see the activity but not change it.
CLUB_TOOLS = {
    "default": 403,
    "anonymous": 302,
    "other_branch_officer": 404,
    "officer": 200,
    "club_leader": 200,
    "superuser": 200,
}

ROWS = [
    row("activities:list", lambda o: {}, default=200, anonymous=302),
    row(
        "activities:participation",
        lambda o: {},
        default=403,
        anonymous=302,
        officer=200,
        other_branch_officer=200,  # their own branch's figures
        superuser=200,
    ),
    row("activities:detail", _pk("club_activity"), **SEEN_BY_BRANCH),  # drafts: see the edit row
    row("activities:ics", _pk("branch_activity"), **SEEN_BY_BRANCH),
    row("activities:signup", _pk("club_activity"), **POST_ONLY),
    row("activities:cancel", _pk("club_activity"), **POST_ONLY),
    row(
        "activities:sheet", _pk("club_activity"), **CLUB_TOOLS
    ),  # tests/activities/test_activity_sheet_view.py
    row("activities:attendance", _pk("club_activity"), **POST_ONLY),
    row("activities:edit", _pk("draft"), **{**CLUB_TOOLS, "default": 404}),  # a draft: hidden from others
    row("activities:club_list", lambda o: {}, default=200, anonymous=302),
    row("activities:club_detail", _pk("club"), **SEEN_BY_BRANCH),
    row("activities:club_join", _pk("club"), **POST_ONLY),
    row("activities:club_leave", _pk("club"), **POST_ONLY),
    row("activities:club_activity_new", _pk("club"), **CLUB_TOOLS),
    # The feed answers to its token alone (calendar apps have no session), and to nothing else.
    row("activities:my_calendar", query="token=" + "t" * 43, default=200, anonymous=200),
    row("activities:calendar_reset", lambda o: {}, **POST_ONLY),
]
