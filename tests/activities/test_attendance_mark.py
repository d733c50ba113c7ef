from datetime import timedelta

import pytest
from django.utils import timezone

from activities.models import Activity, Registration
from activities.services import AttendanceError, attendance_mark, registration_create
from unionhome.models import AuditEntry


@pytest.fixture
def held(past_activity, member, second_member, officer):
    """Held two days ago, with two members the officer signed up (walk-ins may be added afterwards)."""
    regs = [
        registration_create(activity=past_activity, member=m, actor=officer.user)
        for m in (member, second_member)
    ]
    return past_activity, regs


def test_an_officer_records_present_and_absent(held, officer):
    activity, (first, second) = held
    changed = attendance_mark(
        activity=activity, marks={first.pk: "present", second.pk: "absent"}, actor=officer.user
    )
    assert changed == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.attendance == "present" and second.attendance == "absent" and second.attendance_marked_at
    entry = AuditEntry.objects.get(action="attendance.marked")
    assert entry.details["marks"] == {str(first.pk): "present", str(second.pk): "absent"}


def test_marking_the_same_again_changes_nothing(held, officer):
    activity, (first, _second) = held
    attendance_mark(activity=activity, marks={first.pk: "present"}, actor=officer.user)
    assert attendance_mark(activity=activity, marks={first.pk: "present"}, actor=officer.user) == 0
    assert AuditEntry.objects.filter(action="attendance.marked").count() == 1


def test_the_club_leader_may_mark_their_clubs_activity(held, club, club_leader):
    activity, (first, _second) = held
    Activity.objects.filter(pk=activity.pk).update(club=club)
    activity.refresh_from_db()
    assert attendance_mark(activity=activity, marks={first.pk: "present"}, actor=club_leader.user) == 1


def test_members_other_leaders_and_other_branches_may_not(
    held, member, make_member, other_branch_officer, club
):
    activity, (first, _second) = held  # not the club's activity
    for actor in (member.user, club.leader.user, other_branch_officer.user):
        with pytest.raises(AttendanceError):
            attendance_mark(activity=activity, marks={first.pk: "present"}, actor=actor)
    first.refresh_from_db()
    assert first.attendance == "unmarked"


def test_it_waits_for_the_day_of_the_activity(make_activity, member, officer):
    activity = make_activity(starts_at=timezone.now() + timedelta(days=3))
    registration = registration_create(activity=activity, member=member, actor=member.user)
    with pytest.raises(AttendanceError, match="活动当天"):
        attendance_mark(activity=activity, marks={registration.pk: "present"}, actor=officer.user)


def test_it_refuses_registrations_that_are_not_confirmed_or_not_this_activity(
    held, make_activity, officer, member
):
    activity, (first, _second) = held
    Registration.objects.filter(pk=first.pk).update(status="cancelled")
    with pytest.raises(AttendanceError, match="刷新"):
        attendance_mark(activity=activity, marks={first.pk: "present"}, actor=officer.user)
    with pytest.raises(AttendanceError, match="出席、缺席"):
        attendance_mark(activity=activity, marks={_second.pk: "maybe"}, actor=officer.user)
