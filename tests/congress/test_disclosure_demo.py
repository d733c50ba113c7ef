from django.core.management import call_command
from django.utils import timezone

from congress.disclosures.services import branch_member_names, personal_names_in
from congress.models import Disclosure, DisclosureLine


def test_the_demo_publishes_seven_quarters_and_one_correction_idempotently(db):
    call_command("demo")
    counts = (Disclosure.objects.count(), DisclosureLine.objects.count())
    call_command("demo")
    assert (Disclosure.objects.count(), DisclosureLine.objects.count()) == counts
    year = timezone.localdate().year
    current = Disclosure.objects.current()
    periods = sorted((d.year, d.period) for d in current)
    assert [p for p in periods if p[0] == year - 1] == [(year - 1, q) for q in ("Q1", "Q2", "Q3", "Q4")]
    assert {p for p in periods if p[0] == year} >= {(year, "Q1"), (year, "Q2")}
    correction = Disclosure.objects.get(revision=2)
    assert correction.reason and correction.supersedes.is_published and correction in current
    for disclosure in current:
        assert disclosure.confirmed_by_id != disclosure.submitted_by_id  # four eyes
    names = branch_member_names(correction.branch_id)
    for line in DisclosureLine.objects.all():
        assert not personal_names_in(f"{line.item} {line.note}", names)
