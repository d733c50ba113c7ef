"""Fixtures for the activities tests: activities and clubs in the personas' branch."""

from datetime import timedelta

import pytest
from django.utils import timezone

from activities.models import Activity, Club


@pytest.fixture
def make_activity(branch):
    """An activity a week ahead, published, 10 seats, open for everyone; override any field."""

    def make(**fields):
        starts_at = fields.pop("starts_at", timezone.now() + timedelta(days=7))
        groups = fields.pop("audience_groups", None)
        values = {
            "branch": branch,
            "title": "教职工羽毛球赛",
            "place": "体育馆",
            "category": Activity.Category.SPORTS,
            "starts_at": starts_at,
            "ends_at": fields.pop("ends_at", starts_at + timedelta(hours=2)),
            "status": Activity.Status.PUBLISHED,
            "capacity": 10,
        }
        values.update(fields)
        activity = Activity.objects.create(**values)
        if groups:
            activity.audience_groups.set(groups)
        return activity

    return make


@pytest.fixture
def activity(make_activity):
    return make_activity()


@pytest.fixture
def past_activity(make_activity):
    """Held two days ago (attendance can be marked)."""
    return make_activity(title="中秋游园会", starts_at=timezone.now() - timedelta(days=2), capacity=None)


@pytest.fixture
def club_leader(make_member):
    return make_member("2008100", name="赵磊")


@pytest.fixture
def club(branch, club_leader):
    return Club.objects.create(
        branch=branch,
        name="羽毛球俱乐部",
        kind=Club.Kind.SPORTS,
        leader=club_leader,
        description="每周三下午活动。",
    )


def signed_up(activity, member, actor=None):
    from activities.services import registration_create

    return registration_create(activity=activity, member=member, actor=actor or member.user)
