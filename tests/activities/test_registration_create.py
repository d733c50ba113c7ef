from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from activities.models import Activity, Registration
from activities.services import AlreadyRegistered, RegistrationError, registration_create
from members.models import Member
from unionhome.models import AuditEntry


def create(activity, member, actor=None):
    return registration_create(activity=activity, member=member, actor=actor or member.user)


def test_it_confirms_while_seats_remain_and_counts_the_seat(activity, member):
    registration = create(activity, member)
    activity.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.queue_number is None and registration.confirmed_at is not None
    assert activity.confirmed_count == 1
    assert AuditEntry.objects.filter(action="registration.created", target_id=str(registration.pk)).exists()


def test_it_waitlists_in_order_once_the_seats_are_gone(make_activity, make_member):
    activity = make_activity(capacity=2)
    people = [make_member(name=f"会员{n}") for n in range(5)]
    registrations = [create(activity, person) for person in people]
    assert [r.status for r in registrations] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
        "waitlisted",
    ]
    assert [r.waitlist_position() for r in registrations[2:]] == [1, 2, 3]
    activity.refresh_from_db()
    assert activity.confirmed_count == 2


def test_it_confirms_everyone_when_capacity_is_unlimited(make_activity, make_member):
    activity = make_activity(capacity=None)
    for n in range(12):
        assert create(activity, make_member(name=f"会员{n}")).status == Registration.Status.CONFIRMED
    activity.refresh_from_db()
    assert activity.confirmed_count == 12


def test_it_refuses_a_second_registration_with_a_friendly_message(activity, member):
    create(activity, member)
    with pytest.raises(AlreadyRegistered, match="无需重复提交"):
        create(activity, member)
    assert Registration.objects.filter(activity=activity, member=member).count() == 1
    activity.refresh_from_db()
    assert activity.confirmed_count == 1


def test_it_tells_a_waitlisted_member_their_place_when_they_submit_again(
    make_activity, member, second_member
):
    activity = make_activity(capacity=1)
    create(activity, second_member)
    create(activity, member)
    with pytest.raises(AlreadyRegistered, match="第 1 位"):
        create(activity, member)


def test_it_reuses_a_cancelled_registration(activity, member):
    from activities.services import registration_cancel

    first = create(activity, member)
    registration_cancel(registration=first, actor=member.user)
    again = create(activity, member)
    assert (
        again.pk == first.pk and again.status == Registration.Status.CONFIRMED and again.cancelled_at is None
    )
    activity.refresh_from_db()
    assert activity.confirmed_count == 1


def test_it_puts_a_newcomer_behind_those_already_waiting_even_if_a_seat_is_free(
    make_activity, member, second_member, make_member
):
    activity = make_activity(capacity=1)
    create(activity, second_member)
    create(activity, member)  # waiting
    # A seat freed without promotion (as if an officer raised capacity by hand in the database).
    Activity.objects.filter(pk=activity.pk).update(capacity=2)
    newcomer = create(activity, make_member(name="新来者"))
    assert newcomer.status == Registration.Status.WAITLISTED and newcomer.waitlist_position() == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": Activity.Status.DRAFT}, "尚未发布"),
        ({"status": Activity.Status.CANCELLED}, "已取消"),
        ({"status": Activity.Status.FINISHED}, "已结束"),
        ({"signup_opens_at": timezone.now() + timedelta(days=1)}, "开始"),
        ({"signup_closes_at": timezone.now() - timedelta(minutes=1)}, "截止"),
        ({"starts_at": timezone.now() - timedelta(hours=3)}, "已结束"),
    ],
)
def test_it_refuses_outside_the_signup_window(make_activity, member, fields, message):
    activity = make_activity(**fields)
    with pytest.raises(RegistrationError, match=message):
        create(activity, member)
    assert not Registration.objects.exists()
    activity.refresh_from_db()
    assert activity.confirmed_count == 0


def test_it_explains_who_the_activity_is_for(make_activity, make_member, group, second_group):
    man = make_member(name="王强", gender=Member.Gender.MALE)
    with pytest.raises(RegistrationError, match="仅面向女会员"):
        create(make_activity(audience=Activity.Audience.WOMEN), man)
    with pytest.raises(RegistrationError, match="仅面向退休会员"):
        create(make_activity(audience=Activity.Audience.RETIREES), man)
    older = make_member(name="老教师", birth_date=date(1960, 1, 1))
    with pytest.raises(RegistrationError, match="青年教师"):
        create(make_activity(audience=Activity.Audience.YOUNG), older)
    with pytest.raises(RegistrationError, match="学院办公室工会小组"):
        create(make_activity(audience=Activity.Audience.GROUPS, audience_groups=[second_group]), man)
    left = make_member(name="已退会", status=Member.Status.LEFT)
    with pytest.raises(RegistrationError, match="退会"):
        create(make_activity(), left)
    assert not Registration.objects.exists()


def test_it_lets_the_audience_in(make_activity, make_member, group):
    woman = make_member(name="李芳", gender=Member.Gender.FEMALE)
    retiree = make_member(name="退休教师", status=Member.Status.RETIRED, birth_date=date(1958, 3, 1))
    young = make_member(
        name="青年教师", birth_date=timezone.localdate().replace(year=timezone.localdate().year - 30)
    )
    assert create(make_activity(audience=Activity.Audience.WOMEN), woman).status == "confirmed"
    assert create(make_activity(audience=Activity.Audience.RETIREES), retiree).status == "confirmed"
    assert create(make_activity(audience=Activity.Audience.YOUNG), young).status == "confirmed"
    assert (
        create(make_activity(audience=Activity.Audience.GROUPS, audience_groups=[group]), woman).status
        == "confirmed"
    )


def test_it_refuses_a_member_of_another_branch(activity, make_member, other_branch):
    outsider = make_member(name="外院会员", member_branch=other_branch)
    with pytest.raises(RegistrationError, match="其他分工会"):
        create(activity, outsider)


def test_an_officer_signs_a_member_up_on_their_behalf_even_after_the_window(make_activity, member, officer):
    activity = make_activity(signup_closes_at=timezone.now() - timedelta(hours=1))
    registration = create(activity, member, actor=officer.user)
    assert registration.status == "confirmed" and registration.registered_by == officer.user
    entry = AuditEntry.objects.get(action="registration.created")
    assert entry.actor == officer.user and entry.details["on_behalf"] is True


def test_an_officer_on_behalf_still_respects_capacity_and_audience(
    make_activity, member, second_member, officer
):
    activity = make_activity(capacity=1)
    create(activity, second_member)
    assert create(activity, member, actor=officer.user).status == Registration.Status.WAITLISTED
    women_only = make_activity(audience=Activity.Audience.WOMEN)
    with pytest.raises(RegistrationError, match="女会员"):
        create(women_only, second_member, actor=officer.user)


def test_only_officers_of_the_branch_sign_up_someone_else(
    activity, member, second_member, other_branch_officer, staff_without_permissions
):
    for actor in (second_member.user, other_branch_officer.user, staff_without_permissions.user):
        with pytest.raises(RegistrationError, match="工会委员"):
            create(activity, member, actor=actor)
    assert not Registration.objects.exists()


def test_the_database_refuses_more_confirmed_than_capacity(make_activity):
    activity = make_activity(capacity=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(confirmed_count=3)


def test_the_database_refuses_two_registrations_of_one_member(activity, member):
    create(activity, member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(activity=activity, member=member, status=Registration.Status.CANCELLED)


def test_the_database_refuses_two_members_on_one_waitlist_place(activity, member, second_member):
    Registration.objects.create(activity=activity, member=member, status="waitlisted", queue_number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            activity=activity, member=second_member, status="waitlisted", queue_number=1
        )
