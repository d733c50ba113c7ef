"""Capacity and waitlist order under real concurrency: real threads, real transactions.

On SQLite every transaction is IMMEDIATE, so writers queue on the database lock; on PostgreSQL
the services lock the activity's row. Either way: never more confirmed than seats, the waitlist
in arrival order, and no seat left empty while someone waits.
"""

import threading
from functools import partial

import pytest
from django.db import connection

from activities.models import Registration
from activities.services import AlreadyRegistered, registration_cancel, registration_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_at_once(calls):
    """Start every call in its own thread at the same moment; return results (or exceptions) in order."""
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


def sign_up(activity, member):
    return partial(registration_create, activity=activity, member=member, actor=member.user)


def assert_consistent(activity):
    """The counter matches the rows, the capacity holds and the waitlist is 1..n in order."""
    activity.refresh_from_db()
    confirmed = activity.registrations.filter(status=Registration.Status.CONFIRMED).count()
    waiting = list(activity.registrations.waitlist())
    assert activity.confirmed_count == confirmed
    if activity.capacity is not None:  # unlimited activities have no bound to check
        assert confirmed <= activity.capacity
    assert [registration.waitlist_position() for registration in waiting] == list(range(1, len(waiting) + 1))
    return confirmed, waiting


def test_it_seats_exactly_ten_of_forty_and_queues_thirty_in_order(make_activity, make_member):
    activity = make_activity(capacity=10)
    members = [make_member(f"C{number:03d}", name=f"会员{number}") for number in range(40)]

    results = run_at_once([sign_up(activity, member) for member in members])

    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    confirmed, waiting = assert_consistent(activity)
    assert confirmed == 10 and len(waiting) == 30
    # Each thread was told its own outcome, and it is the stored one.
    stored = dict(activity.registrations.values_list("pk", "status"))
    assert sorted(result.status for result in results) == sorted(stored.values())
    assert all(stored[result.pk] == result.status for result in results)
    # In order: the first ten to arrive hold the seats; the rest wait in the order they came.
    seated_times = activity.registrations.filter(status="confirmed").values_list("created_at", flat=True)
    waiting_times = [registration.created_at for registration in waiting]
    assert max(seated_times) <= min(waiting_times)
    assert waiting_times == sorted(waiting_times)
    assert [registration.queue_number for registration in waiting] == list(range(1, 31))


@pytest.mark.parametrize(("waiting_before", "newcomers"), [(5, 10), (0, 5)])
def test_cancellations_racing_signups_never_leave_a_seat_empty_while_someone_waits(
    make_activity, make_member, waiting_before, newcomers
):
    activity = make_activity(capacity=10)
    seated = [make_member(f"S{number:03d}", name=f"已报名{number}") for number in range(10)]
    queued = [make_member(f"Q{number:03d}", name=f"候补{number}") for number in range(waiting_before)]
    fresh = [make_member(f"N{number:03d}", name=f"新报名{number}") for number in range(newcomers)]
    seats = [registration_create(activity=activity, member=member, actor=member.user) for member in seated]
    for member in queued:
        assert registration_create(activity=activity, member=member, actor=member.user).status == "waitlisted"

    cancels = [partial(registration_cancel, registration=seat, actor=seat.member.user) for seat in seats]
    results = run_at_once(cancels + [sign_up(activity, member) for member in fresh])

    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    confirmed, waiting = assert_consistent(activity)
    remaining = waiting_before + newcomers
    assert confirmed == min(10, remaining)
    assert len(waiting) == remaining - confirmed
    assert not (confirmed < activity.capacity and waiting), "a seat is empty while someone waits"
    # Those who waited before the race were first in line, so all of them got a seat.
    statuses = dict(activity.registrations.values_list("member__staff_number", "status"))
    assert all(statuses[member.staff_number] == "confirmed" for member in queued)
    assert all(statuses[member.staff_number] == "cancelled" for member in seated)


def test_a_double_submit_makes_one_registration(activity, member):
    results = run_at_once([sign_up(activity, member) for _ in range(6)])

    made = [result for result in results if isinstance(result, Registration)]
    refused = [result for result in results if isinstance(result, AlreadyRegistered)]
    assert len(made) == 1 and len(refused) == 5, results
    assert made[0].status == "confirmed" and "无需重复提交" in str(refused[0])
    assert Registration.objects.filter(activity=activity, member=member).count() == 1
    assert assert_consistent(activity) == (1, [])


def test_a_double_submit_on_a_full_activity_makes_one_waitlist_place(make_activity, member, second_member):
    activity = make_activity(capacity=1)
    registration_create(activity=activity, member=second_member, actor=second_member.user)

    results = run_at_once([sign_up(activity, member) for _ in range(6)])

    made = [result for result in results if isinstance(result, Registration)]
    assert len(made) == 1 and made[0].status == "waitlisted"
    assert all(isinstance(result, AlreadyRegistered) for result in results if result is not made[0])
    confirmed, waiting = assert_consistent(activity)
    assert confirmed == 1 and [registration.member for registration in waiting] == [member]
