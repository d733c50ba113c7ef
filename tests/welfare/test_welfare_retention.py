"""manage.py welfare_retention: anonymise ended cases past the retention period; dry run counts only."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from welfare.models import AidCase, Attachment


def age(case, days):
    AidCase.objects.filter(pk=case.pk).update(ended_at=timezone.now() - datetime.timedelta(days=days))


def run(*args):
    out = io.StringIO()
    call_command("welfare_retention", *args, stdout=out)
    return out.getvalue()


def test_it_counts_without_changing_in_a_dry_run(make_case):
    case = make_case("closed")
    age(case, 11 * 366)
    assert "1 份" in run("--dry-run")
    case.refresh_from_db()
    assert case.member is not None and case.anonymised_at is None


def test_it_anonymises_old_closed_cases_and_keeps_the_figures(
    make_case, second_member, django_capture_on_commit_callbacks
):
    case = make_case("closed", amount="1500", household_members=[second_member])
    path = case.attachments.get().file.path
    age(case, 11 * 366)
    with django_capture_on_commit_callbacks(execute=True):
        assert "已匿名化 1 份" in run()
    case.refresh_from_db()
    assert case.member is None and case.description == "" and case.anonymised_at is not None
    assert case.household_size is None and case.income_per_head is None and case.medical_costs is None
    assert not case.household_members.exists() and not Attachment.objects.filter(case=case).exists()
    assert not case.events.exclude(comment="").exists()
    assert case.events.filter(actor__isnull=False).count() == 0
    assert (case.ground, case.paid_amount, case.round.year, case.state) == (
        "own_illness",
        1500,
        timezone.localdate().year,
        "closed",
    )
    import os

    assert not os.path.exists(path)


def test_it_keeps_recent_and_open_cases(make_case, make_member):
    recent = make_case("closed")
    age(recent, 9 * 365)
    open_case = make_case("reviewed", applicant=make_member(name="甲"))
    run()
    recent.refresh_from_db()
    open_case.refresh_from_db()
    assert recent.member is not None and open_case.member is not None


def test_it_follows_the_setting_and_the_option(make_case, settings):
    case = make_case("closed")
    age(case, 3 * 366)
    settings.WELFARE_RETENTION_YEARS = 2
    assert "1 份" in run("--dry-run")
    assert "0 份" in run("--dry-run", "--years", "5")
