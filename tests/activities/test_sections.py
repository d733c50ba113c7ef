"""The activities sections of the home page (/) and of /me/."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, CalendarFeed
from activities.services import calendar_token_reset, club_join
from tests.activities.conftest import signed_up

# The pages' own queries (session, user, member with its branch, notices) plus this app's.
# /: session, user, member, roles, upcoming cards, their audience groups, my registrations,
#    notices.
HOME_QUERIES = 8
# /me/: session, user, member, calendar feed, registrations, clubs, notices, the contact
#    form's groups, the welfare section's own cases, and the congress section's proposals,
#    co-signatures and suggestions.
ME_QUERIES = 12


def _writes(queries):
    return [q["sql"] for q in queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]


def test_home_shows_upcoming_activities_one_tap_from_signup_and_my_next_events(
    client_for, member, second_member, make_activity
):
    now = timezone.now()
    soon = make_activity(title="明天的讲座", starts_at=now + timedelta(days=1))
    full = make_activity(title="满员的训练营", capacity=1, starts_at=now + timedelta(days=2))
    make_activity(title="草稿活动", status=Activity.Status.DRAFT)
    make_activity(title="上周的活动", starts_at=now - timedelta(days=7))
    signed_up(full, second_member)
    signed_up(full, member)
    response = client_for(member).get("/")
    content = response.content.decode()
    assert "近期活动" in content and "我的近期安排" in content
    assert reverse("activities:detail", args=[soon.pk]) in content
    assert "草稿活动" not in content and "上周的活动" not in content
    assert "候补第 1 位" in content


def test_home_query_count_does_not_grow_with_activities(
    client_for, member, make_activity, django_assert_num_queries
):
    client = client_for(member)
    signed_up(make_activity(title="一"), member)
    with django_assert_num_queries(HOME_QUERIES):
        client.get("/")
    for number in range(8):
        signed_up(make_activity(title=f"活动{number}"), member)
    with django_assert_num_queries(HOME_QUERIES):
        client.get("/")


def test_me_shows_my_registrations_clubs_and_calendar_feed(
    client_for, member, second_member, club, make_activity
):
    confirmed = make_activity(title="已报名的羽毛球")
    full = make_activity(title="候补的讲座", capacity=1)
    signed_up(confirmed, member)
    signed_up(full, second_member)
    signed_up(full, member)
    club_join(club=club, member=member, actor=member.user)
    calendar_token_reset(member=member, actor=member.user)
    content = client_for(member).get("/me/").content.decode()
    assert "已报名的羽毛球" in content and "候补的讲座" in content and "候补第 1 位" in content
    assert "羽毛球俱乐部" in content
    token = CalendarFeed.objects.get(member=member).token
    assert f"{reverse('activities:my_calendar')}?token={token}" in content
    assert f'action="{reverse("activities:calendar_reset")}"' in content and "重置订阅地址" in content


def test_me_writes_nothing_and_offers_to_make_the_feed_address(client_for, member):
    client = client_for(member)
    with CaptureQueriesContext(connection) as queries:
        content = client.get("/me/").content.decode()
    assert _writes(queries.captured_queries) == []
    assert not CalendarFeed.objects.exists()
    assert "生成订阅地址" in content and f'action="{reverse("activities:calendar_reset")}"' in content


def test_me_query_count_does_not_grow_with_registrations(
    client_for, member, make_activity, club, django_assert_num_queries
):
    client = client_for(member)
    calendar_token_reset(member=member, actor=member.user)
    signed_up(make_activity(title="一"), member)
    with django_assert_num_queries(ME_QUERIES):
        client.get("/me/")
    for number in range(8):
        signed_up(make_activity(title=f"活动{number}"), member)
    club_join(club=club, member=member, actor=member.user)
    with django_assert_num_queries(ME_QUERIES):
        client.get("/me/")
