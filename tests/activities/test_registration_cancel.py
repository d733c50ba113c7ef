from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from activities.models import Activity, Registration
from activities.services import RegistrationError, registration_cancel
from tests.activities.conftest import signed_up
from unionhome.models import AuditEntry, Notice


def cancel(registration, actor):
    return registration_cancel(registration=registration, actor=actor)


def test_it_frees_the_seat(activity, member):
    registration = signed_up(activity, member)
    cancel(registration, member.user)
    registration.refresh_from_db()
    activity.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED and registration.cancelled_at
    assert activity.confirmed_count == 0
    assert AuditEntry.objects.filter(action="registration.cancelled").count() == 1


def test_it_promotes_the_first_waiting_member_in_the_same_transaction_and_tells_them(
    make_activity, make_member, django_capture_on_commit_callbacks
):
    activity = make_activity(capacity=1)
    seated, first, second = (make_member(name=name) for name in ("甲", "乙", "丙"))
    seat = signed_up(activity, seated)
    signed_up(activity, first)
    signed_up(activity, second)
    with django_capture_on_commit_callbacks(execute=True):
        cancel(seat, seated.user)
    statuses = dict(activity.registrations.values_list("member__name", "status"))
    assert statuses == {"甲": "cancelled", "乙": "confirmed", "丙": "waitlisted"}
    assert activity.registrations.get(member=second).waitlist_position() == 1
    activity.refresh_from_db()
    assert activity.confirmed_count == 1
    notice = Notice.objects.get(user=first.user)
    assert activity.title in notice.message and notice.url == activity.get_absolute_url()
    assert not Notice.objects.filter(user=second.user).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [first.email]
    assert activity.title in mail.outbox[0].subject
    assert AuditEntry.objects.filter(
        action="registration.promoted", target_id=str(activity.registrations.get(member=first).pk)
    ).exists()


def test_no_mail_is_sent_when_the_transaction_rolls_back(
    make_activity, make_member, django_capture_on_commit_callbacks
):
    activity = make_activity(capacity=1)
    seated, waiting = make_member(name="甲"), make_member(name="乙")
    seat = signed_up(activity, seated)
    signed_up(activity, waiting)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cancel(seat, seated.user)
    assert len(callbacks) == 1 and not mail.outbox  # the e-mail waits for the commit


def test_leaving_the_waitlist_promotes_nobody_and_closes_the_gap(make_activity, make_member):
    activity = make_activity(capacity=1)
    seated, first, second = (make_member(name=name) for name in ("甲", "乙", "丙"))
    signed_up(activity, seated)
    waiting = signed_up(activity, first)
    signed_up(activity, second)
    cancel(waiting, first.user)
    assert activity.registrations.get(member=seated).status == "confirmed"
    assert activity.registrations.get(member=second).waitlist_position() == 1
    activity.refresh_from_db()
    assert activity.confirmed_count == 1


def test_a_member_cannot_cancel_online_after_the_deadline_but_an_officer_can(make_activity, member, officer):
    activity = make_activity(cancel_deadline=timezone.now() + timedelta(minutes=5))
    registration = signed_up(activity, member)
    Activity.objects.filter(pk=activity.pk).update(cancel_deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(RegistrationError, match="取消截止"):
        cancel(registration, member.user)
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    cancel(registration, officer.user)
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_a_member_cannot_cancel_someone_else(activity, member, second_member, other_branch_officer):
    registration = signed_up(activity, member)
    for actor in (second_member.user, other_branch_officer.user):
        with pytest.raises(RegistrationError):
            cancel(registration, actor)
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_cancelling_twice_is_refused_kindly(activity, member):
    registration = signed_up(activity, member)
    cancel(registration, member.user)
    with pytest.raises(RegistrationError, match="已经取消"):
        cancel(registration, member.user)
    activity.refresh_from_db()
    assert activity.confirmed_count == 0


def test_nobody_is_promoted_into_a_cancelled_activity(make_activity, make_member, officer):
    activity = make_activity(capacity=1)
    seated, waiting = make_member(name="甲"), make_member(name="乙")
    seat = signed_up(activity, seated)
    signed_up(activity, waiting)
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.CANCELLED)
    cancel(seat, officer.user)
    assert activity.registrations.get(member=waiting).status == "waitlisted"
