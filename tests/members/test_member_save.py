from datetime import date

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import translation

from members.models import Member
from members.services import MemberError, member_save
from unionhome.models import AuditEntry


def new_member(branch, group, **fields):
    values = {
        "branch": branch,
        "union_group": group,
        "staff_number": "2020001",
        "name": "新会员",
        "gender": Member.Gender.FEMALE,
        "birth_date": date(1995, 5, 5),
        "email": "new1@example.edu.cn",
    }
    values.update(fields)
    return Member(**values)


def edited(member, **fields):
    """A fresh copy of the member carrying new values, as a form or an import row would."""
    copy = Member.objects.get(pk=member.pk)
    for name, value in fields.items():
        setattr(copy, name, value)
    return copy


def test_it_creates_a_member_with_a_login_and_one_audit_entry(officer, branch, group):
    member = member_save(member=new_member(branch, group), actor=officer.user)
    user = member.user
    assert user.username == "2020001" and user.email == "new1@example.edu.cn"
    assert user.is_active and not user.has_usable_password()
    entry = AuditEntry.objects.get(target_type="members.member", target_id=str(member.pk))
    assert entry.action == "member.created" and entry.branch_id == branch.pk
    assert entry.actor == officer.user


def test_it_records_the_before_values_of_changed_fields_only(officer, member):
    member_save(member=edited(member, title="教授", phone="13900000000"), actor=officer.user)
    entry = AuditEntry.objects.get(action="member.changed")
    assert entry.details == {"before": {"title": "", "phone": ""}}
    assert entry.branch_id == member.branch_id and entry.target_id == str(member.pk)
    member.refresh_from_db()
    assert member.title == "教授"


def test_it_records_nothing_when_nothing_changed(officer, member):
    member_save(member=edited(member), actor=officer.user)
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("persona", ["member", "second_member", "other_branch_officer", "welfare_officer"])
def test_it_refuses_anyone_but_the_branchs_officers(persona, request, member, branch, group):
    actor = request.getfixturevalue(persona).user
    with pytest.raises(MemberError):
        member_save(member=edited(member, title="教授"), actor=actor)
    with pytest.raises(MemberError):
        member_save(member=new_member(branch, group), actor=actor)
    assert Member.objects.get(pk=member.pk).title == ""
    assert not Member.objects.filter(staff_number="2020001").exists()
    assert not AuditEntry.objects.exists()


def test_it_lets_a_superuser_change_any_branch(superuser, other_branch_officer):
    member_save(member=edited(other_branch_officer, title="院长"), actor=superuser)
    assert Member.objects.get(pk=other_branch_officer.pk).title == "院长"


@pytest.mark.parametrize("status", [Member.Status.TRANSFERRED, Member.Status.LEFT])
def test_it_deactivates_the_login_and_ends_the_sessions_of_a_member_who_leaves(
    status, officer, member, client_for
):
    client = client_for(member)
    assert client.get("/me/").status_code == 200
    bystander = client_for(officer)
    member_save(member=edited(member, status=status), actor=officer.user)
    user = get_user_model().objects.get(pk=member.user_id)
    assert not user.is_active
    assert str(member.user_id) not in [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert client.get("/me/").status_code == 302  # signed out: sent to the login
    assert bystander.get("/me/").status_code == 200  # other people's sessions stay
    assert not Client().login(username=member.staff_number, password="pw-123456")


@pytest.mark.parametrize("status", [Member.Status.ACTIVE, Member.Status.RETIRED])
def test_it_restores_the_login_when_the_status_is_restored(status, officer, member):
    member_save(member=edited(member, status=Member.Status.LEFT), actor=officer.user)
    member_save(member=edited(member, status=status), actor=officer.user)
    assert get_user_model().objects.get(pk=member.user_id).is_active
    assert Client().login(username=member.staff_number, password="pw-123456")


@pytest.mark.parametrize(
    "address", ["2008002@example.edu.cn", "2008002@EXAMPLE.edu.cn", "root@example.edu.cn"]
)
def test_it_refuses_an_address_of_another_account(address, officer, member, second_member, superuser):
    with pytest.raises(MemberError) as refused:
        member_save(member=edited(member, email=address), actor=officer.user)
    assert refused.value.field == "email"
    assert Member.objects.get(pk=member.pk).email == "2008001@example.edu.cn"


def test_it_refuses_an_address_another_account_holds_in_allauth(officer, member, second_member):
    EmailAddress.objects.create(user=second_member.user, email="alias@example.edu.cn")
    with pytest.raises(MemberError):
        member_save(member=edited(member, email="Alias@example.edu.cn"), actor=officer.user)


def test_it_refuses_a_staff_number_that_names_another_account(officer, member, superuser):
    with pytest.raises(MemberError) as refused:
        member_save(member=edited(member, staff_number="root"), actor=officer.user)
    assert refused.value.field == "staff_number"


@pytest.mark.parametrize(
    "holder", ["member", "officer", "welfare_officer", "congress_secretary", "treasurer"]
)
def test_an_officer_cannot_change_anyones_login_email(holder, request, officer):
    other_officer = request.getfixturevalue("make_member")(
        "officer2", roles_=("member", "officer"), is_staff=True
    )
    target = request.getfixturevalue(holder)
    with pytest.raises(MemberError) as refused:
        member_save(member=edited(target, email="taken-over@example.edu.cn"), actor=other_officer.user)
    assert refused.value.field == "email"
    assert get_user_model().objects.get(pk=target.user_id).email == target.email


def test_an_officer_may_change_other_fields_of_an_account_with_a_role(officer, welfare_officer):
    member_save(member=edited(welfare_officer, title="副教授"), actor=officer.user)
    assert Member.objects.get(pk=welfare_officer.pk).title == "副教授"


def test_a_superuser_changes_a_protected_login_email_and_the_old_address_is_told(
    superuser, welfare_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member_save(member=edited(welfare_officer, email="lin@example.edu.cn"), actor=superuser)
    assert get_user_model().objects.get(pk=welfare_officer.user_id).email == "lin@example.edu.cn"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["welfare@example.edu.cn"]
    assert "lin@example.edu.cn" in mail.outbox[0].body


def test_a_superuser_changes_a_plain_members_login_email_and_the_old_address_is_told(
    superuser, member, django_capture_on_commit_callbacks
):
    EmailAddress.objects.create(user=member.user, email=member.email, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        member_save(member=edited(member, email="li.fang@example.edu.cn"), actor=superuser)
    user = get_user_model().objects.get(pk=member.user_id)
    assert user.email == "li.fang@example.edu.cn"
    assert not EmailAddress.objects.filter(user=user).exists()  # the old address no longer logs in
    assert [message.to for message in mail.outbox] == [["2008001@example.edu.cn"]]


def test_a_change_of_case_is_not_a_new_address(officer, welfare_officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member_save(member=edited(welfare_officer, email="Welfare@example.edu.cn"), actor=officer.user)
    assert mail.outbox == []


def test_its_messages_are_translated(superuser, member, second_member):
    with translation.override("en"), pytest.raises(MemberError) as refused:
        member_save(member=edited(member, email=second_member.email), actor=superuser)
    assert refused.value.message == "This e-mail address is already used by another account."


@pytest.mark.parametrize("address", ["2008001@example.edu.cn", "2008001@Example.EDU.cn"])
def test_the_database_refuses_two_accounts_with_one_address(address, member):
    with pytest.raises(IntegrityError), transaction.atomic():
        get_user_model().objects.create_user("intruder", email=address)


def test_the_database_allows_many_accounts_without_an_address(db):
    for username in ("a", "b"):
        get_user_model().objects.create_user(username, email="")


def test_the_database_refuses_one_address_twice_in_allauth(member, second_member):
    EmailAddress.objects.create(user=member.user, email="x@example.edu.cn")
    with pytest.raises(IntegrityError), transaction.atomic():
        EmailAddress.objects.create(user=second_member.user, email="X@example.edu.cn")


def test_switching_an_account_off_does_not_open_its_login_email(officer, welfare_officer):
    """Status 退会, then a new e-mail, then 在职 again: the e-mail step is still refused."""
    member_save(member=edited(welfare_officer, status=Member.Status.LEFT), actor=officer.user)
    with pytest.raises(MemberError):
        member_save(member=edited(welfare_officer, email="attacker@example.com"), actor=officer.user)
    member_save(member=edited(welfare_officer, status=Member.Status.ACTIVE), actor=officer.user)
    assert get_user_model().objects.get(pk=welfare_officer.user_id).email == "welfare@example.edu.cn"
