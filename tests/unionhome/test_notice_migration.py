"""The data migration gives old notices the kind their text was made from."""

import importlib

from django.apps import apps
from django.utils import translation

from unionhome import notices
from unionhome.models import Notice

migration = importlib.import_module("unionhome.migrations.0005_notice_kinds_from_text")


def test_it_recovers_the_kind_of_an_old_english_notice_and_keeps_an_unknown_text(member):
    old = Notice.objects.create(user=member.user, message="The activity “Autumn hike” was cancelled.")
    unknown = Notice.objects.create(user=member.user, message="一条旧的通知")
    migration.forwards(apps, None)
    old.refresh_from_db()
    unknown.refresh_from_db()
    assert old.kind == notices.ACTIVITY_CANCELLED and old.params == {"title": "Autumn hike"}
    with translation.override("zh-hans"):
        assert old.text == "活动“Autumn hike”已取消。"
        assert unknown.kind == "" and unknown.text == "一条旧的通知"
