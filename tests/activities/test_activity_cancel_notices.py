"""Cancelling an activity tells every registrant with one INSERT: the queries do not grow with
the number of registrations (the activity's row lock is held while they run)."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.services import activity_cancel
from tests.activities.conftest import signed_up
from unionhome.models import Notice


def _cancel_with(registrants, make_activity, make_member, officer, title):
    activity = make_activity(title=title, capacity=3)
    for number in range(registrants):
        signed_up(activity, make_member(f"{title[:2]}{number:04d}", name=f"会员{number}"))
    actor = get_user_model().objects.get(pk=officer.user.pk)  # nothing cached from the other run
    with CaptureQueriesContext(connection) as queries:
        activity_cancel(activity=activity, actor=actor)
    return len(queries), Notice.objects.filter(url=activity.get_absolute_url()).count()


def test_it_cancels_with_as_many_queries_for_twelve_registrants_as_for_two(
    make_activity, make_member, officer
):
    few, told_few = _cancel_with(2, make_activity, make_member, officer, "A-羽毛球赛")
    many, told_many = _cancel_with(12, make_activity, make_member, officer, "B-乒乓球赛")

    assert (told_few, told_many) == (2, 12)  # the seated and the waitlisted are all told
    assert many == few
