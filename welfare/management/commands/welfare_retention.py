"""Anonymise hardship files kept past the retention period (10 years after closing by default).

Under 总工办〔2016〕36号 hardship files are kept 10 years after they close. After that this
command removes the personal part of each ended case (applicant, household, description,
household facts, opinions, reasons, notes, timeline comments, attachments) and keeps what the
statistics need (branch, round and year, ground, track, state, amounts, dates). Run it with
--dry-run first: it then only counts.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare.services import cases_anonymise, cases_due_for_anonymisation


class Command(BaseCommand):
    help = _("匿名化超过保存期限的困难补助档案（默认结案后 10 年）。")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=_("只统计，不修改。"))
        parser.add_argument(
            "--years", type=int, default=None, help=_("保存年限（默认取 WELFARE_RETENTION_YEARS 设置）。")
        )

    def handle(self, *args, dry_run=False, years=None, **options):
        years = years if years is not None else settings.WELFARE_RETENTION_YEARS
        cutoff = timezone.now() - datetime.timedelta(days=round(365.25 * years))
        due = cases_due_for_anonymisation(cutoff)
        count = due.count()
        if dry_run:
            self.stdout.write(
                _("试运行：%(count)s 份结束于 %(day)s 之前的档案将被匿名化。")
                % {"count": count, "day": cutoff.date().isoformat()}
            )
            return
        done = cases_anonymise(cases=due, years=years)
        self.stdout.write(_("已匿名化 %(count)s 份档案。") % {"count": done})
