"""Joins, export headers and refusals of the activities app are in both languages."""

from django.utils import translation

from activities.models import Activity
from activities.resources import RegistrationResource


def test_the_audience_groups_are_joined_the_way_the_language_lists_them(make_activity, group, second_group):
    activity = make_activity(audience=Activity.Audience.GROUPS, audience_groups=[second_group, group])
    with translation.override("zh-hans"):
        assert activity.audience_label() == "限数学系工会小组、学院办公室工会小组"
    with translation.override("en"):
        assert "数学系工会小组, 学院办公室工会小组" in str(activity.audience_label())


def test_the_registration_export_headers_follow_the_language():
    with translation.override("zh-hans"):
        assert RegistrationResource().get_export_headers()[:3] == ["活动", "活动时间", "工号"]
    with translation.override("en"):
        headers = RegistrationResource().get_export_headers()
    assert headers[1] == "Activity time" and not any(
        "\u4e00" <= char <= "\u9fff" for h in headers for char in h
    )
