"""activity_publish, activity_cancel, activity_finish: explicit status changes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from activities.models import Activity, Registration
from activities.services import ActivityError, activity_cancel, activity_finish, activity_publish
from tests.activities.conftest import signed_up
from unionhome.models import AuditEntry, Notice


def test_publishing_a_draft(make_activity, officer):
    draft = make_activity(status=Activity.Status.DRAFT)
    activity_publish(activity=draft, actor=officer.user)
    draft.refresh_from_db()
    assert draft.status == Activity.Status.PUBLISHED
    entry = AuditEntry.objects.get(action="activity.published")
    assert entry.details["before"] == "draft" and entry.branch_id == draft.branch_id


def test_publishing_twice_says_so(activity, officer):
    with pytest.raises(ActivityError, match="已经是“已发布”状态"):
        activity_publish(activity=activity, actor=officer.user)


def test_cancelling_tells_everyone_registered_and_promotes_nobody(
    make_activity, member, second_member, make_member, officer
):
    activity = make_activity(capacity=1)
    signed_up(activity, member)
    signed_up(activity, second_member)
    bystander = make_member(name="旁观者")
    activity_cancel(activity=activity, actor=officer.user)
    assert Notice.objects.filter(user=member.user, message__contains="已取消").exists()
    assert Notice.objects.filter(user=second_member.user, message__contains="已取消").exists()
    assert not Notice.objects.filter(user=bystander.user).exists()
    assert Registration.objects.filter(activity=activity, status="waitlisted").count() == 1


def test_a_cancelled_activity_stays_cancelled(make_activity, officer):
    activity = make_activity(status=Activity.Status.CANCELLED)
    with pytest.raises(ActivityError, match="已取消的活动不能再发布"):
        activity_publish(activity=activity, actor=officer.user)
    with pytest.raises(ActivityError, match="已取消的活动"):
        activity_finish(activity=activity, actor=officer.user)


def test_finishing_only_after_the_start(make_activity, officer):
    upcoming = make_activity()
    with pytest.raises(ActivityError, match="活动开始后才能标记为已结束"):
        activity_finish(activity=upcoming, actor=officer.user)
    held = make_activity(starts_at=timezone.now() - timedelta(days=1))
    activity_finish(activity=held, actor=officer.user)
    held.refresh_from_db()
    assert held.status == Activity.Status.FINISHED


def test_others_cannot_change_the_status(activity, member, other_branch_officer, club_leader):
    for actor in (member.user, other_branch_officer.user, club_leader.user):
        with pytest.raises(ActivityError, match="工会委员或主办俱乐部的负责人"):
            activity_cancel(activity=activity, actor=actor)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PUBLISHED
