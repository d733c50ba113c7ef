"""The demo loads a round with cases in every state and ground, visits and benefits; twice is once."""

import io

from django.core.management import call_command

from welfare.models import AidCase, AidRound, Attachment, Benefit, CareVisit, CaseEvent


def test_it_loads_every_state_and_ground_and_is_idempotent(db):
    call_command("demo", stdout=io.StringIO())
    counts = (
        AidCase.objects.count(),
        CareVisit.objects.count(),
        Benefit.objects.count(),
        CaseEvent.objects.count(),
    )
    call_command("demo", stdout=io.StringIO())
    assert (
        AidCase.objects.count(),
        CareVisit.objects.count(),
        Benefit.objects.count(),
        CaseEvent.objects.count(),
    ) == counts
    assert AidRound.objects.count() == 1 and counts[0] >= 12
    assert set(AidCase.objects.values_list("state", flat=True)) == set(AidCase.State.values)
    assert set(AidCase.objects.values_list("ground", flat=True)) == {
        "own_illness",
        "relative_illness",
        "accident",
        "low_income",
        "other",
    }
    assert AidCase.objects.filter(track="emergency").exists()
    assert Attachment.objects.exists()
    approved = AidCase.objects.exclude(approved_by=None)
    assert approved.exists() and all(case.approved_by_id != case.reviewed_by_id for case in approved)


def test_it_leaves_the_welfare_officer_without_totp(db):
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model

    call_command("demo", stdout=io.StringIO())
    welfare = get_user_model().objects.get(username="welfare")
    assert not Authenticator.objects.filter(user=welfare).exists()
