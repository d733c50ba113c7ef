"""Activities a member cannot join say "仅限…" instead of seats, and the list hides them by default."""

import re
from datetime import date

import pytest
from django.urls import reverse

from activities.models import Activity
from members.models import Member
from tests.html_check import collect_response

LIST = reverse("activities:list")


def card_of(html, activity):
    """The HTML of one activity's card."""
    href = re.escape(activity.get_absolute_url())
    match = re.search(
        rf'<li class="activity-card[^"]*">\s*<a class="activity-link" href="{href}">.*?</li>', html, re.S
    )
    return match.group(0) if match else None


@pytest.fixture
def man(make_member):
    return make_member("2009001", name="王强", gender=Member.Gender.MALE)


@pytest.fixture
def limited(make_activity, second_group):
    return {
        "women": make_activity(title="三八节插花", audience=Activity.Audience.WOMEN),
        "retirees": make_activity(title="重阳秋游", audience=Activity.Audience.RETIREES),
        "other_group": make_activity(
            title="办公室午餐会", audience=Activity.Audience.GROUPS, audience_groups=[second_group]
        ),
    }


def test_it_says_only_for_instead_of_seats_on_the_home_page(client_for, man, limited):
    response = client_for(man).get("/")
    collect_response("member home with limited activities", response)
    html = response.content.decode()
    for activity, words in (
        (limited["women"], "仅限女会员"),
        (limited["retirees"], "仅限退休会员"),
        (limited["other_group"], "仅限学院办公室工会小组"),
    ):
        card = card_of(html, activity)
        assert words in card and "剩余" not in card, card


def test_a_member_inside_the_audience_sees_the_seats(client_for, member, limited):
    html = client_for(member).get(LIST).content.decode()  # 李芳 is a woman
    card = card_of(html, limited["women"])
    assert "剩余 10 个名额" in card and "仅限" not in card


def test_the_list_hides_what_the_member_cannot_join_until_asked(client_for, man, limited, activity, group):
    own_group = limited["other_group"].__class__.objects.create(
        branch=activity.branch,
        title="数学系午餐会",
        place="数学楼",
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        status=Activity.Status.PUBLISHED,
        audience=Activity.Audience.GROUPS,
    )
    own_group.audience_groups.set([group])
    client = client_for(man)
    response = client.get(LIST)
    collect_response("activity list, only what I can join", response)
    shown = {a.title for a in response.context["page"].object_list}
    assert shown == {activity.title, "数学系午餐会"}
    html = response.content.decode()
    assert 'name="mine" id="id_mine" checked' in html and "显示全部活动" in html

    response = client.get(LIST, {"filtered": "1"})  # the form sent with the box unticked
    collect_response("activity list, everything", response)
    assert {a.title for a in response.context["page"].object_list} == {
        activity.title,
        "数学系午餐会",
        "三八节插花",
        "重阳秋游",
        "办公室午餐会",
    }
    assert "仅限女会员" in card_of(response.content.decode(), limited["women"])


@pytest.mark.parametrize(
    "audience, fields, joins",
    [
        (Activity.Audience.WOMEN, {"gender": Member.Gender.FEMALE}, True),
        (Activity.Audience.WOMEN, {"gender": Member.Gender.MALE}, False),
        (Activity.Audience.RETIREES, {"status": Member.Status.RETIRED}, True),
        (Activity.Audience.RETIREES, {}, False),
        (Activity.Audience.YOUNG, {"birth_date": date(2000, 1, 1)}, True),
        (Activity.Audience.YOUNG, {"birth_date": date(1960, 1, 1)}, False),
    ],
)
def test_for_audience_of_matches_audience_reason(make_member, make_activity, audience, fields, joins):
    member = make_member(**fields)
    activity = make_activity(audience=audience)
    found = Activity.objects.for_audience_of(member).filter(pk=activity.pk).exists()
    assert found is joins and (activity.audience_reason(member) is None) is joins
