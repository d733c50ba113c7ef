import pytest

from activities.models import Activity
from activities.services import ActivityError, activity_create
from unionhome.models import AuditEntry


def _new(branch, **fields):
    values = {
        "branch": branch,
        "title": "读书沙龙",
        "place": "图书馆",
        "starts_at": "2030-05-01T14:00+08:00",
        "ends_at": "2030-05-01T16:00+08:00",
    }
    values.update(fields)
    return Activity(**values)


def test_it_creates_an_activity_with_an_empty_counter_and_its_groups(branch, officer, group):
    activity = _new(branch, confirmed_count=7, audience=Activity.Audience.GROUPS)
    activity_create(activity=activity, audience_groups=[group], actor=officer.user)
    activity.refresh_from_db()
    assert activity.confirmed_count == 0
    assert list(activity.audience_groups.all()) == [group]
    entry = AuditEntry.objects.get(action="activity.created", target_id=str(activity.pk))
    assert entry.branch_id == branch.pk


def test_a_new_activity_is_a_draft_or_published(branch, officer):
    with pytest.raises(ActivityError, match="只能保存为草稿或直接发布"):
        activity_create(activity=_new(branch, status=Activity.Status.CANCELLED), actor=officer.user)
    assert not Activity.objects.exists()


def test_members_and_other_branches_cannot_create(branch, member, other_branch_officer):
    for actor in (member.user, other_branch_officer.user):
        with pytest.raises(ActivityError, match="工会委员或主办俱乐部的负责人"):
            activity_create(activity=_new(branch), actor=actor)
    assert not Activity.objects.exists()


def test_groups_of_another_branch_are_refused(branch, officer, other_branch_officer):
    foreign = other_branch_officer.union_group
    with pytest.raises(ActivityError, match="只能选择本分工会的工会小组"):
        activity_create(
            activity=_new(branch, audience=Activity.Audience.GROUPS),
            audience_groups=[foreign],
            actor=officer.user,
        )
    assert not Activity.objects.exists()
