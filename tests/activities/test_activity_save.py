import pytest

from activities.models import Activity, Registration
from activities.services import ActivityError, activity_save
from tests.activities.conftest import signed_up
from unionhome.models import AuditEntry, Notice


def test_it_creates_an_activity_with_an_empty_counter(branch, officer):
    activity = Activity(
        branch=branch,
        title="读书沙龙",
        place="图书馆",
        starts_at="2030-05-01T14:00+08:00",
        ends_at="2030-05-01T16:00+08:00",
        confirmed_count=7,
    )
    activity_save(activity=activity, actor=officer.user)
    activity.refresh_from_db()
    assert activity.confirmed_count == 0
    assert AuditEntry.objects.filter(action="activity.created", target_id=str(activity.pk)).exists()


def test_a_stale_form_never_overwrites_the_seat_counter(activity, member, second_member, officer):
    stale = Activity.objects.get(pk=activity.pk)  # loaded by the officer's form before the sign-ups
    signed_up(activity, member)
    signed_up(activity, second_member)
    stale.place = "体育馆二楼"
    activity_save(activity=stale, actor=officer.user, changed=["place"])
    activity.refresh_from_db()
    assert activity.place == "体育馆二楼" and activity.confirmed_count == 2


def test_capacity_cannot_drop_below_the_confirmed_count(make_activity, member, second_member, officer):
    activity = make_activity(capacity=5)
    signed_up(activity, member)
    signed_up(activity, second_member)
    activity.capacity = 1
    with pytest.raises(ActivityError, match="已有 2 人报名"):
        activity_save(activity=activity, actor=officer.user, changed=["capacity"])
    activity.refresh_from_db()
    assert activity.capacity == 5


def test_added_seats_go_to_the_waitlist_in_order(make_activity, make_member, officer):
    activity = make_activity(capacity=1)
    people = [make_member(name=name) for name in ("甲", "乙", "丙", "丁")]
    for person in people:
        signed_up(activity, person)
    activity.refresh_from_db()
    activity.capacity = 3
    activity_save(activity=activity, actor=officer.user, changed=["capacity"])
    statuses = dict(activity.registrations.values_list("member__name", "status"))
    assert statuses == {"甲": "confirmed", "乙": "confirmed", "丙": "confirmed", "丁": "waitlisted"}
    activity.refresh_from_db()
    assert activity.confirmed_count == 3


def test_cancelling_an_activity_tells_everyone_registered(
    make_activity, member, second_member, make_member, officer
):
    activity = make_activity(capacity=1)
    signed_up(activity, member)
    signed_up(activity, second_member)
    bystander = make_member(name="旁观者")
    activity.status = Activity.Status.CANCELLED
    activity_save(activity=activity, actor=officer.user, changed=["status"])
    assert Notice.objects.filter(user=member.user, message__contains="已取消").exists()
    assert Notice.objects.filter(user=second_member.user, message__contains="已取消").exists()
    assert not Notice.objects.filter(user=bystander.user).exists()
    assert Registration.objects.filter(activity=activity, status="waitlisted").count() == 1  # nobody promoted
