from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    """Kept for crontabs that still name it: the daily reminders are `manage.py remind` now."""

    help = _(
        "每天的提醒（由 cron 每天运行一次）：答复期限前 3 天提醒承办单位联络人，逾期未答复提醒教代会秘书。"
    )

    def handle(self, *args, **options):
        call_command("remind", stdout=self.stdout)
