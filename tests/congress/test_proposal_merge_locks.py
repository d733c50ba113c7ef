"""proposal_merge locks both proposals in pk order, whoever is merged into whom.

Two secretaries merging A into B and B into A at the same moment must not deadlock: one merge
happens, the other is refused (its survivor is already merged), never a database error. On
PostgreSQL the threads really wait on each other's row locks; on SQLite (one writer at a time)
the order of the locking reads is checked from the queries the service sends, on both.
"""

import re
import threading
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from congress import services
from congress.models import Proposal
from congress.services import CongressError

LOCKED_ID = re.compile(r'FROM "congress_proposal".*WHERE "congress_proposal"\."id" = (\d+)', re.S)


@pytest.fixture
def pair(in_review, in_review_other, cosigners):
    """Two proposals of one session, both waiting for the committee."""
    for cosigner in cosigners:
        services.cosign_accept(user=cosigner.user, proposal=in_review_other)
    in_review_other.refresh_from_db()
    assert in_review_other.state == "review"
    return in_review, in_review_other


def locked_ids(call):
    with CaptureQueriesContext(connection) as queries:
        call()
    return [int(match.group(1)) for query in queries for match in [LOCKED_ID.search(query["sql"])] if match]


def test_it_reads_both_proposals_in_pk_order_whichever_is_merged(pair, congress_secretary):
    low, high = sorted(pair, key=lambda proposal: proposal.pk)
    user = congress_secretary.user
    with transaction.atomic():
        ids = locked_ids(lambda: services.proposal_merge(user=user, proposal=high, into=low))
        transaction.set_rollback(True)
    assert ids[:2] == [low.pk, high.pk]
    ids = locked_ids(lambda: services.proposal_merge(user=user, proposal=low, into=high))
    assert ids[:2] == [low.pk, high.pk]


def blocked_on_locks() -> int:
    """How many other connections wait on a row lock (PostgreSQL); SQLite has no such view."""
    if connection.vendor != "postgresql":
        return 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_lets_crossed_merges_finish_without_a_deadlock(pair, congress_secretary):
    first, second = pair
    user = congress_secretary.user
    held, release = threading.Event(), threading.Event()
    results = [None, None]

    def hold_both():
        # A third transaction holds both rows, so the two merges start waiting at the same time
        # and, once it lets go, both take their first lock together: crossed orders would deadlock.
        try:
            with transaction.atomic():
                list(Proposal.objects.select_for_update().filter(pk__in=[first.pk, second.pk]))
                held.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    def merge(index, proposal, into):
        try:
            results[index] = services.proposal_merge(user=user, proposal=proposal, into=into)
        except Exception as error:  # collected and checked below
            results[index] = error
        finally:
            connection.close()

    holder = threading.Thread(target=hold_both)
    holder.start()
    assert held.wait(timeout=30)
    workers = [
        threading.Thread(target=merge, args=(0, first, second)),
        threading.Thread(target=merge, args=(1, second, first)),
    ]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 20
    while blocked_on_locks() < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.1)
    release.set()
    for thread in (holder, *workers):
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in (holder, *workers)), "a merge hung"

    refused = [result for result in results if isinstance(result, CongressError)]
    merged = [result for result in results if isinstance(result, Proposal)]
    assert len(merged) == 1 and len(refused) == 1, results
    assert "只能并入待审查或已立案的提案" in str(refused[0])
    states = dict(Proposal.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "state"))
    survivor = second if merged[0].pk == first.pk else first
    assert states == {merged[0].pk: "merged", survivor.pk: "review"}
    assert Proposal.objects.get(pk=merged[0].pk).merged_into_id == survivor.pk
