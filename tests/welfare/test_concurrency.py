"""Aid decisions and household checks under real concurrency: real threads, real transactions.

On PostgreSQL the services lock the round's row (and the member's) before they read the
budget, the places, the member's yearly total and the household's other cases, so two
officers deciding at once are served one after the other. On SQLite every transaction is
IMMEDIATE, so the same threads queue on the database lock: the test runs on both and checks
the same outcome (the second attempt sees the first and is refused or flagged).
"""

from decimal import Decimal
from functools import partial

import pytest
from django.utils import timezone

from tests.activities.test_concurrency import run_at_once  # one helper for the threads
from welfare import services
from welfare.models import AidCase, AidRound
from welfare.services import WelfareError

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ATTEMPTS = 8


def decide(officer, case, amount):
    return partial(
        services.case_record_decision,
        actor=officer.user,
        case=case,
        decided_on=timezone.localdate(),
        reference="校工〔2026〕9号",
        amount=Decimal(amount),
    )


def outcomes(results):
    refused = [r for r in results if isinstance(r, WelfareError)]
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, WelfareError)]
    assert not unexpected, unexpected
    return len(results) - len(refused), refused


def decide_pairs_at_once(aid_round, make_case, make_member, officers, *, amount, limit, refusal):
    """ATTEMPTS times: two new reviewed cases, room for one (set by `limit(attempt)`), two
    officers deciding them at the same moment. Returns (decided, refused)."""
    decided = refused = 0
    for attempt in range(ATTEMPTS):
        cases = [
            make_case("reviewed", applicant=make_member(name=f"{n}{attempt}"), amount=amount) for n in "甲乙"
        ]
        AidRound.objects.filter(pk=aid_round.pk).update(**limit(attempt))
        done, refusals = outcomes(
            run_at_once(
                [decide(officer, case, amount) for officer, case in zip(officers, cases, strict=True)]
            )
        )
        assert done == 1 and refusal in str(refusals[0])
        decided, refused = decided + done, refused + len(refusals)
    return decided, refused


def test_two_officers_deciding_at_once_never_overspend_the_round(
    aid_round, make_case, make_member, welfare_officer, second_welfare_officer
):
    def room_for_one(attempt):  # the budget left is 1,000 元, each case asks 600
        return {"budget": services.round_committed(aid_round) + 1000}

    figures = decide_pairs_at_once(
        aid_round,
        make_case,
        make_member,
        (welfare_officer, second_welfare_officer),
        amount="600",
        limit=room_for_one,
        refusal="预算余额",
    )
    aid_round.refresh_from_db()
    assert services.round_committed(aid_round) <= aid_round.budget
    print(f"\nbudget: {2 * ATTEMPTS} decisions at once in pairs, {figures[0]} decided, {figures[1]} refused")
    assert figures == (ATTEMPTS, ATTEMPTS)


def test_two_officers_deciding_at_once_never_exceed_the_places(
    aid_round, make_case, make_member, welfare_officer, second_welfare_officer
):
    def one_more_place(attempt):
        return {"places": attempt + 1, "budget": Decimal("100000")}

    figures = decide_pairs_at_once(
        aid_round,
        make_case,
        make_member,
        (welfare_officer, second_welfare_officer),
        amount="100",
        limit=one_more_place,
        refusal="名额已经用完",
    )
    assert AidCase.objects.filter(round=aid_round, state="decided").count() == ATTEMPTS
    print(f"\nplaces: {2 * ATTEMPTS} decisions at once in pairs, {figures[0]} decided, {figures[1]} refused")
    assert figures == (ATTEMPTS, ATTEMPTS)


def test_two_members_of_one_household_applying_at_once_are_flagged(aid_round, make_member):
    flagged = 0
    for attempt in range(ATTEMPTS):
        wife = make_member(name=f"妻{attempt}")
        husband = make_member(name=f"夫{attempt}")
        calls = [
            partial(
                services.case_create,
                actor=applicant.user,
                member=applicant,
                round=aid_round,
                ground="low_income",
                amount_requested=Decimal("800"),
                household_members=[other],
                submit=True,
            )
            for applicant, other in ((wife, husband), (husband, wife))
        ]
        done, refusals = outcomes(run_at_once(calls))
        assert done == 2 and not refusals  # both accepted: the applicants are told nothing
        cases = AidCase.objects.filter(member__in=[wife, husband])
        assert [case.household_clash for case in cases] == [True, True]
        flagged += sum(case.household_clash for case in cases)
    print(f"\nhousehold: {2 * ATTEMPTS} applications at once in pairs, {flagged} flagged")
    assert flagged == 2 * ATTEMPTS
