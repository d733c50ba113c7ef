from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from congress.services import overdue_notify


class Command(BaseCommand):
    help = _("提醒教代会秘书：超过答复期限仍未答复的提案（每天运行一次，例如由 cron 调用）。")

    def handle(self, *args, **options):
        count = overdue_notify()
        self.stdout.write(_("逾期提案：%(n)s 件已提醒。") % {"n": count})
