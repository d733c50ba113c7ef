from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from tests.activities.conftest import signed_up

URL = reverse("activities:list")


def titles(response):
    return [activity.title for activity in response.context["page"].object_list]


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_it_lists_the_branchs_published_activities_upcoming_first(
    client_for, member, make_activity, other_branch
):
    now = timezone.now()
    make_activity(title="下周羽毛球", starts_at=now + timedelta(days=7))
    make_activity(title="明天讲座", starts_at=now + timedelta(days=1))
    make_activity(title="上月合唱", starts_at=now - timedelta(days=30), status=Activity.Status.FINISHED)
    make_activity(title="昨天游园", starts_at=now - timedelta(days=1))
    make_activity(title="草稿活动", status=Activity.Status.DRAFT)
    make_activity(title="外院活动", branch=other_branch)
    response = client_for(member).get(URL)
    assert response.status_code == 200
    assert titles(response) == ["明天讲座", "下周羽毛球", "昨天游园", "上月合唱"]


def test_each_card_shows_seats_left_and_my_status(
    client_for, member, second_member, make_member, make_activity
):
    open_one = make_activity(title="有名额", capacity=10)
    full = make_activity(title="已满", capacity=1)
    signed_up(open_one, member)
    signed_up(full, second_member)
    signed_up(full, make_member(name="丙"))
    signed_up(full, member)
    content = client_for(member).get(URL).content.decode()
    assert "剩余 9 个名额" in content and "名额已满，可候补" in content
    assert "✓ 已报名" in content
    assert "候补第 2 位" in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"category": "rights"}, ["法律讲座"]),
        ({"month": "next"}, ["下月合唱"]),
        ({"open": "on"}, ["法律讲座", "俱乐部羽毛球"]),
    ],
)
def test_it_filters(client_for, member, make_activity, club, query, expected):
    now = timezone.now()
    make_activity(title="法律讲座", category=Activity.Category.RIGHTS, starts_at=now + timedelta(days=1))
    make_activity(title="俱乐部羽毛球", club=club, starts_at=now + timedelta(days=2))
    following = (now.date().replace(day=1) + timedelta(days=40)).replace(day=15)
    make_activity(
        title="下月合唱",
        starts_at=timezone.make_aware(timezone.datetime(following.year, following.month, 15, 19)),
        signup_opens_at=now + timedelta(days=3),
    )
    if query.get("month") == "next":
        query = {"month": f"{following:%Y-%m}"}
    assert titles(client_for(member).get(URL, query)) == expected


def test_it_filters_by_club(client_for, member, make_activity, club):
    make_activity(title="分工会活动")
    make_activity(title="俱乐部羽毛球", club=club)
    assert titles(client_for(member).get(URL, {"club": club.pk})) == ["俱乐部羽毛球"]


def test_a_malformed_month_is_explained_and_ignored(client_for, member, activity):
    response = client_for(member).get(URL, {"month": "May"})
    assert response.status_code == 200 and titles(response) == [activity.title]
    assert "2026-05 的格式" in response.content.decode()


def test_it_pages(client_for, member, make_activity):
    for number in range(14):
        make_activity(title=f"活动{number:02d}", starts_at=timezone.now() + timedelta(days=number + 1))
    client = client_for(member)
    assert len(titles(client.get(URL))) == 12
    second = client.get(URL, {"page": 2})
    assert titles(second) == ["活动12", "活动13"]


def _count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_activities_or_registrations(
    client_for, member, make_member, make_activity, group, second_group, club
):
    client = client_for(member)
    make_activity(title="第一个", audience=Activity.Audience.GROUPS, audience_groups=[group])
    few = _count_queries(client)
    people = [make_member(name=f"会员{n}") for n in range(6)]
    for number in range(11):
        activity = make_activity(
            title=f"活动{number}",
            capacity=3,
            club=club if number % 2 else None,
            audience=Activity.Audience.GROUPS if number % 3 == 0 else Activity.Audience.ALL,
            audience_groups=[group, second_group] if number % 3 == 0 else None,
        )
        for person in people[: number % 6]:
            signed_up(activity, person)
        signed_up(activity, member)
    many = _count_queries(client)
    # session, user, member (with its branch), roles; count, cards, their audience groups;
    # the filter's clubs
    assert many == few == 8
