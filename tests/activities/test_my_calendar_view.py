from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from activities.models import Activity
from activities.services import calendar_token_reset, registration_cancel
from members.models import Member
from tests.activities.conftest import signed_up

URL = reverse("activities:my_calendar")


def summaries(response):
    return sorted(str(event["SUMMARY"]) for event in Calendar.from_ical(response.content).walk("VEVENT"))


def test_the_token_alone_opens_the_feed_of_my_confirmed_activities(
    member, second_member, make_member, make_activity
):
    mine = make_activity(title="我的羽毛球")
    full = make_activity(title="候补中的讲座", capacity=1)
    dropped = make_activity(title="已取消报名的合唱")
    not_mine = make_activity(title="别人的活动")
    signed_up(mine, member)
    signed_up(full, second_member)
    signed_up(full, member)  # waitlisted: not in the calendar yet
    registration_cancel(registration=signed_up(dropped, member), actor=member.user)
    signed_up(not_mine, second_member)
    token = calendar_token_reset(member=member, actor=member.user).token
    response = Client().get(URL, {"token": token})  # no session: a calendar app
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert summaries(response) == ["我的羽毛球"]
    calendar = Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] and event["DTSTAMP"] and event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_a_cancelled_activity_stays_in_the_feed_marked_cancelled(member, make_activity):
    activity = make_activity(title="取消的活动")
    signed_up(activity, member)
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.CANCELLED)
    response = Client().get(URL, {"token": calendar_token_reset(member=member, actor=member.user).token})
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"


def test_old_confirmed_activities_drop_out_after_a_year(member, make_activity, officer):
    old = make_activity(title="去年的活动", starts_at=timezone.now() - timedelta(days=400))
    signed_up(old, member, actor=officer.user)
    response = Client().get(URL, {"token": calendar_token_reset(member=member, actor=member.user).token})
    assert summaries(response) == []


def test_a_wrong_missing_or_reset_token_gets_404(member):
    old = calendar_token_reset(member=member, actor=member.user).token
    assert Client().get(URL, {"token": "not-the-token"}).status_code == 404
    assert Client().get(URL).status_code == 404
    calendar_token_reset(member=member, actor=member.user)
    assert Client().get(URL, {"token": old}).status_code == 404


@pytest.mark.parametrize("status", [Member.Status.TRANSFERRED, Member.Status.LEFT])
def test_the_feed_stops_when_the_member_is_transferred_out_or_leaves(member, make_activity, status):
    signed_up(make_activity(), member)
    token = calendar_token_reset(member=member, actor=member.user).token
    assert Client().get(URL, {"token": token}).status_code == 200
    Member.objects.filter(pk=member.pk).update(status=status)
    assert Client().get(URL, {"token": token}).status_code == 404


def test_the_feed_stops_when_the_login_is_deactivated(member):
    token = calendar_token_reset(member=member, actor=member.user).token
    get_user_model().objects.filter(pk=member.user_id).update(is_active=False)
    assert Client().get(URL, {"token": token}).status_code == 404


def test_a_retired_member_keeps_the_feed(member):
    token = calendar_token_reset(member=member, actor=member.user).token
    Member.objects.filter(pk=member.pk).update(status=Member.Status.RETIRED)
    assert Client().get(URL, {"token": token}).status_code == 200
