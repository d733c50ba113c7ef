from datetime import timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar


def url(activity):
    return reverse("activities:ics", args=[activity.pk])


def test_anonymous_is_sent_to_login(client, activity):
    response = client.get(url(activity))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_it_is_valid_icalendar_with_the_shanghai_time_zone_and_escaped_text(
    client_for, member, make_activity
):
    starts = timezone.now().replace(microsecond=0) + timedelta(days=3)
    activity = make_activity(
        title="羽毛球赛, 第一轮; 决赛\\预选",
        place="体育馆, 二楼",
        description="第一行\n第二行; 带分号, 逗号",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    response = client_for(member).get(url(activity))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content.decode()
    assert "\r\n" in raw and "SUMMARY:羽毛球赛\\, 第一轮\\; 决赛\\\\预选" in raw
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"activity-{activity.pk}@testserver"
    assert event["DTSTAMP"].dt.tzinfo is not None
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert event["DTSTART"].dt == starts and event["DTSTART"].dt.tzinfo == ZoneInfo("Asia/Shanghai")
    assert event["DTEND"].dt == starts + timedelta(hours=2)
    assert str(event["SUMMARY"]) == "羽毛球赛, 第一轮; 决赛\\预选"
    assert str(event["LOCATION"]) == "体育馆, 二楼"
    assert str(event["DESCRIPTION"]) == "第一行\n第二行; 带分号, 逗号"
    assert str(event["URL"]).endswith(reverse("activities:detail", args=[activity.pk]))


def test_other_branches_activities_are_not_found(client_for, member, make_activity, other_branch):
    assert client_for(member).get(url(make_activity(branch=other_branch))).status_code == 404
