import pytest

from activities.services import RegistrationError, registration_demote
from tests.activities.conftest import signed_up
from unionhome.models import AuditEntry, Notice


def test_it_moves_a_confirmed_member_to_the_end_and_seats_the_first_in_line(
    make_activity, make_member, officer
):
    activity = make_activity(capacity=1)
    seated, first, second = (make_member(name=name) for name in ("甲", "乙", "丙"))
    seat = signed_up(activity, seated)
    signed_up(activity, first)
    signed_up(activity, second)
    registration_demote(registration=seat, actor=officer.user)
    assert activity.registrations.get(member=first).status == "confirmed"
    assert [r.member.name for r in activity.registrations.waitlist()] == ["丙", "甲"]
    activity.refresh_from_db()
    assert activity.confirmed_count == 1
    assert Notice.objects.filter(user=first.user).exists()
    assert AuditEntry.objects.filter(action="registration.demoted").exists()


def test_it_refuses_when_nobody_waits(activity, member, officer):
    seat = signed_up(activity, member)
    with pytest.raises(RegistrationError, match="没有人在候补"):
        registration_demote(registration=seat, actor=officer.user)
    seat.refresh_from_db()
    assert seat.status == "confirmed"


def test_only_officers_demote_and_only_confirmed_ones(make_activity, member, second_member, officer):
    activity = make_activity(capacity=1)
    seat = signed_up(activity, member)
    waiting = signed_up(activity, second_member)
    with pytest.raises(RegistrationError, match="工会委员"):
        registration_demote(registration=seat, actor=member.user)
    with pytest.raises(RegistrationError, match="只有已报名"):
        registration_demote(registration=waiting, actor=officer.user)
