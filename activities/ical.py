"""iCalendar (RFC 5545) files for one activity and for a member's personal feed."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from activities.models import Activity


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//unionhome//activities//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _event(activity: Activity, request, stamp: datetime) -> Event:
    zone = ZoneInfo(settings.TIME_ZONE)
    event = Event()
    event.add("uid", f"activity-{activity.pk}@{request.get_host().split(':')[0]}")
    event.add("dtstamp", stamp)
    event.add("dtstart", activity.starts_at.astimezone(zone))
    event.add("dtend", activity.ends_at.astimezone(zone))
    event.add("last-modified", activity.updated_at.astimezone(UTC))
    event.add("summary", activity.title)
    event.add("location", activity.place)
    description = activity.description
    if activity.club_id:
        description = f"{activity.club.name}\n{description}".strip()
    event.add("description", description)
    event.add("url", request.build_absolute_uri(activity.get_absolute_url()))
    event.add("status", "CANCELLED" if activity.status == Activity.Status.CANCELLED else "CONFIRMED")
    return event


def ics_bytes(activities, *, name: str, request) -> bytes:
    calendar = _calendar(name)
    stamp = timezone.now().astimezone(UTC)
    for activity in activities:
        calendar.add_component(_event(activity, request, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()
