"""Aid decisions and household checks under real concurrency: real threads, real transactions.

On PostgreSQL the services lock the round's row (and the member's) before they read the
budget, the places, the member's yearly total and the household's other cases, so two
officers deciding at once are served one after the other. On SQLite every transaction is
IMMEDIATE, so the same threads queue on the database lock: the test runs on both and checks
the same outcome (the second attempt sees the first and is refused or flagged).
"""

import threading
from decimal import Decimal
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from welfare import services
from welfare.models import AidCase, AidRound
from welfare.services import WelfareError

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ATTEMPTS = 8


def run_at_once(calls):
    """Start every call in its own thread at the same moment; return results (or exceptions)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def work(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as error:  # collected and checked by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a worker hung"
    return results


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


def test_two_officers_deciding_at_once_never_overspend_the_round(
    aid_round, make_case, make_member, welfare_officer, second_welfare_officer
):
    decided = refused = 0
    for attempt in range(ATTEMPTS):
        first = make_case("reviewed", applicant=make_member(name=f"甲{attempt}"), amount="600")
        second = make_case("reviewed", applicant=make_member(name=f"乙{attempt}"), amount="600")
        # Room for one of the two: the budget left is 1,000 元.
        AidRound.objects.filter(pk=aid_round.pk).update(budget=services.round_committed(aid_round) + 1000)
        done, refusals = outcomes(
            run_at_once([decide(welfare_officer, first, 600), decide(second_welfare_officer, second, 600)])
        )
        assert done == 1 and "预算余额" in str(refusals[0])
        decided, refused = decided + done, refused + len(refusals)
        aid_round.refresh_from_db()
        assert services.round_committed(aid_round) <= aid_round.budget
    print(f"\nbudget: {2 * ATTEMPTS} decisions at once in pairs, {decided} decided, {refused} refused")
    assert (decided, refused) == (ATTEMPTS, ATTEMPTS)


def test_two_officers_deciding_at_once_never_exceed_the_places(
    aid_round, make_case, make_member, welfare_officer, second_welfare_officer
):
    decided = refused = 0
    for attempt in range(ATTEMPTS):
        first = make_case("reviewed", applicant=make_member(name=f"丙{attempt}"), amount="100")
        second = make_case("reviewed", applicant=make_member(name=f"丁{attempt}"), amount="100")
        AidRound.objects.filter(pk=aid_round.pk).update(places=attempt + 1, budget=Decimal("100000"))
        done, refusals = outcomes(
            run_at_once([decide(welfare_officer, first, 100), decide(second_welfare_officer, second, 100)])
        )
        assert done == 1 and "名额已经用完" in str(refusals[0])
        decided, refused = decided + done, refused + len(refusals)
        assert AidCase.objects.filter(round=aid_round, state="decided").count() == attempt + 1
    print(f"\nplaces: {2 * ATTEMPTS} decisions at once in pairs, {decided} decided, {refused} refused")
    assert (decided, refused) == (ATTEMPTS, ATTEMPTS)


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
