from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from congress.services import deadline_remind, overdue_notify


class Command(BaseCommand):
    help = _(
        "每天的提醒（由 cron 每天运行一次）：答复期限前 3 天提醒承办单位联络人，逾期未答复提醒教代会秘书。"
    )

    def handle(self, *args, **options):
        due = deadline_remind()
        overdue = overdue_notify()
        self.stdout.write(_("答复期限临近：已提醒 %(n)s 人。") % {"n": due})
        self.stdout.write(_("逾期提案：%(n)s 件已提醒。") % {"n": overdue})
