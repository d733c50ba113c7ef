"""activity_update: edits of a published activity that keep its registrations valid."""

from datetime import timedelta

import pytest

from activities.models import Activity, Registration
from activities.services import ActivityChanged, ActivityError, activity_update
from members.models import Member
from tests.activities.conftest import signed_up
from unionhome.models import AuditEntry, Notice


def update(activity, actor, version=None, **changes):
    groups = changes.pop("audience_groups", None)
    return activity_update(
        activity=activity,
        changes=changes,
        audience_groups=groups,
        version=version if version is not None else Activity.objects.get(pk=activity.pk).version,
        actor=actor.user,
    )


def test_a_stale_form_is_refused_and_nothing_is_written(activity, officer):
    stale_version = activity.version  # the form was loaded...
    update(activity, officer, place="体育馆二楼")  # ...then somebody else saved
    with pytest.raises(ActivityChanged, match="刚刚被其他人修改过"):
        update(activity, officer, version=stale_version, title="被覆盖的标题")
    activity.refresh_from_db()
    assert activity.title == "教职工羽毛球赛" and activity.place == "体育馆二楼"


def test_sign_ups_do_not_make_the_form_stale_and_never_touch_the_counter(
    activity, member, second_member, officer
):
    version = activity.version
    signed_up(activity, member)
    signed_up(activity, second_member)
    update(activity, officer, version=version, place="体育馆二楼")
    activity.refresh_from_db()
    assert activity.place == "体育馆二楼" and activity.confirmed_count == 2


def test_capacity_cannot_drop_below_the_confirmed_count(make_activity, member, second_member, officer):
    activity = make_activity(capacity=5)
    signed_up(activity, member)
    signed_up(activity, second_member)
    with pytest.raises(ActivityError, match="已有 2 人报名"):
        update(activity, officer, capacity=1)
    activity.refresh_from_db()
    assert activity.capacity == 5


def test_added_seats_go_to_the_waitlist_in_order(make_activity, make_member, officer):
    activity = make_activity(capacity=1)
    for name in ("甲", "乙", "丙", "丁"):
        signed_up(activity, make_member(name=name))
    update(activity, officer, capacity=3)
    statuses = dict(activity.registrations.values_list("member__name", "status"))
    assert statuses == {"甲": "confirmed", "乙": "confirmed", "丙": "confirmed", "丁": "waitlisted"}
    activity.refresh_from_db()
    assert activity.confirmed_count == 3


def test_a_published_activity_with_registrations_cannot_go_back_to_draft(activity, member, officer):
    signed_up(activity, member)
    with pytest.raises(ActivityError, match="不能改回草稿"):
        update(activity, officer, status=Activity.Status.DRAFT)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PUBLISHED


def test_a_published_activity_without_registrations_may_go_back_to_draft(activity, officer):
    update(activity, officer, status=Activity.Status.DRAFT)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DRAFT


def test_a_cancelled_activity_cannot_be_published_again(make_activity, officer):
    activity = make_activity(status=Activity.Status.CANCELLED)
    with pytest.raises(ActivityError, match="已取消的活动不能再发布"):
        update(activity, officer, status=Activity.Status.PUBLISHED)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.CANCELLED


def test_an_audience_that_would_shut_out_registered_members_is_refused(
    make_activity, member, second_member, officer, group, second_group
):
    activity = make_activity()
    signed_up(activity, second_member)  # a man
    with pytest.raises(ActivityError, match="新的参加对象不包括已报名的 王强"):
        update(activity, officer, audience=Activity.Audience.WOMEN)
    with pytest.raises(ActivityError, match="王强"):
        update(activity, officer, audience=Activity.Audience.GROUPS, audience_groups=[second_group])
    activity.refresh_from_db()
    assert activity.audience == Activity.Audience.ALL and not activity.audience_groups.exists()
    update(activity, officer, audience=Activity.Audience.GROUPS, audience_groups=[group])  # includes him
    activity.refresh_from_db()
    assert list(activity.audience_groups.all()) == [group]


def test_registered_members_hear_of_a_new_time(activity, member, officer):
    signed_up(activity, member)
    update(
        activity,
        officer,
        starts_at=activity.starts_at + timedelta(hours=1),
        ends_at=activity.ends_at + timedelta(hours=1),
    )
    assert Notice.objects.filter(user=member.user, message__contains="时间或地点有变化").exists()
    entry = AuditEntry.objects.get(action="activity.changed")
    assert entry.details["fields"] == ["starts_at", "ends_at"] and entry.branch_id == activity.branch_id


def test_the_branch_cannot_change_under_registrations(activity, member, superuser, other_branch):
    signed_up(activity, member)
    with pytest.raises(ActivityError, match="不能改到其他分工会"):
        activity_update(
            activity=activity, changes={"branch": other_branch}, version=activity.version, actor=superuser
        )


def test_a_club_leader_edits_only_their_clubs_activities(make_activity, club, club_leader, member):
    own = make_activity(club=club)
    update(own, club_leader, place="羽毛球馆")
    with pytest.raises(ActivityError, match="工会委员或主办俱乐部的负责人"):
        update(make_activity(), club_leader, place="别处")
    with pytest.raises(ActivityError):
        update(own, member, place="别处")


def test_a_member_who_left_does_not_block_an_audience_change(make_activity, make_member, officer):
    activity = make_activity()
    gone = make_member(name="调出者", gender=Member.Gender.FEMALE)
    signed_up(activity, gone)
    Member.objects.filter(pk=gone.pk).update(status=Member.Status.TRANSFERRED)
    update(activity, officer, audience=Activity.Audience.WOMEN)
    assert Registration.objects.get(member=gone).status == "confirmed"
