import pytest

from activities.models import Activity
from activities.services import RegistrationError, registration_promote
from tests.activities.conftest import signed_up
from unionhome.models import Notice


@pytest.fixture
def queue(make_activity, make_member):
    """Capacity 2, two seated, three waiting (乙1, 丙2, 丁3)."""
    activity = make_activity(capacity=2)
    people = {name: make_member(name=name) for name in ("甲", "戊", "乙", "丙", "丁")}
    registrations = {name: signed_up(activity, person) for name, person in people.items()}
    return activity, people, registrations


def test_it_refuses_when_no_seat_is_free(queue, officer):
    activity, _people, registrations = queue
    with pytest.raises(RegistrationError, match="名额已满"):
        registration_promote(activity=activity, registration=registrations["丙"], actor=officer.user)
    assert activity.registrations.get(pk=registrations["丙"].pk).status == "waitlisted"


def test_an_officer_gives_a_free_seat_to_the_chosen_waiting_member(queue, officer):
    activity, people, registrations = queue
    Activity.objects.filter(pk=activity.pk).update(capacity=3)  # a seat the officer hands out by choice
    promoted = registration_promote(activity=activity, registration=registrations["丙"], actor=officer.user)
    assert promoted.status == "confirmed"
    activity.refresh_from_db()
    assert activity.confirmed_count == 3
    assert [r.member.name for r in activity.registrations.waitlist()] == ["乙", "丁"]
    assert Notice.objects.filter(user=people["丙"].user).exists()


def test_without_a_choice_the_first_in_line_is_promoted(queue, officer):
    activity, _people, _registrations = queue
    Activity.objects.filter(pk=activity.pk).update(capacity=3)
    assert registration_promote(activity=activity, actor=officer.user).member.name == "乙"


def test_only_waitlisted_registrations_can_be_promoted(queue, officer):
    activity, _people, registrations = queue
    with pytest.raises(RegistrationError, match="只有候补"):
        registration_promote(activity=activity, registration=registrations["甲"], actor=officer.user)


def test_members_and_other_branches_cannot_promote(queue, member, other_branch_officer):
    activity, _people, registrations = queue
    Activity.objects.filter(pk=activity.pk).update(capacity=3)
    for actor in (member.user, other_branch_officer.user):
        with pytest.raises(RegistrationError, match="工会委员"):
            registration_promote(activity=activity, registration=registrations["乙"], actor=actor)
