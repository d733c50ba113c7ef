"""Enrolling TOTP for a role that requires it (welfare officer) takes more than the password: a
code mailed to the account's login address, or one a superuser issues in person; the holder is
told by mail and with a notice when an authenticator is set up."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse

from unionhome.models import AuditEntry, Notice

SETUP = reverse("mfa_activate_totp")
ME_URL = reverse("members:me")


@pytest.fixture(autouse=True)
def _a_code_of_the_previous_period_counts_too(settings):
    """A request that crosses a 30-second boundary must not fail the test (the code is exact)."""
    settings.MFA_TOTP_TOLERANCE = 1


def with_totp(user):
    """Give a user a TOTP authenticator (as allauth stores it); returns the base32 secret."""
    from allauth.mfa.totp.internal.auth import generate_totp_secret
    from allauth.mfa.utils import encrypt

    secret = generate_totp_secret()
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)})
    return secret


def totp_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def signed_in_with_password(login):
    """A client that holds only the password: signed in, re-authenticated, on the set-up page."""
    client = Client()
    assert client.post(reverse("account_login"), {"login": login, "password": "pw-123456"}).status_code == 302
    client.post(reverse("account_reauthenticate"), {"password": "pw-123456"})
    assert client.get(SETUP).status_code == 200
    return client


def mailed_code():
    codes = [re.search(r"确认码：(\d{6})", message.body) for message in mail.outbox]
    return [code.group(1) for code in codes if code][-1]


def test_the_password_alone_does_not_enrol_a_welfare_officer(welfare_officer):
    client = signed_in_with_password("welfare")
    assert [message.to for message in mail.outbox] == [["welfare@example.edu.cn"]]
    secret = client.session["mfa.totp.secret"]
    response = client.post(SETUP, {"code": totp_code(secret)})
    assert response.status_code == 200 and "email_code" in response.context["form"].errors
    response = client.post(SETUP, {"code": totp_code(secret), "email_code": "123456"})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=welfare_officer.user).exists()


def test_the_mailed_code_enrols_her_and_she_is_told(welfare_officer, django_capture_on_commit_callbacks):
    client = signed_in_with_password("welfare")
    client.get(SETUP)  # a reload mails no second code
    assert len(mail.outbox) == 1
    secret = client.session["mfa.totp.secret"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SETUP, {"code": totp_code(secret), "email_code": mailed_code()})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=welfare_officer.user, type="totp").exists()
    told = [message for message in mail.outbox if "已设置两步验证" in message.subject]
    assert [message.to for message in told] == [["welfare@example.edu.cn"]]
    assert Notice.objects.filter(user=welfare_officer.user, message__contains="两步验证").count() == 1
    assert AuditEntry.objects.filter(
        action="account.mfa_activated", target_id=str(welfare_officer.user_id)
    ).exists()


def test_five_wrong_codes_void_the_mailed_one(welfare_officer):
    client = signed_in_with_password("welfare")
    code = mailed_code()
    secret = client.session["mfa.totp.secret"]
    for _attempt in range(5):
        client.post(
            SETUP, {"code": totp_code(secret), "email_code": "000000" if code != "000000" else "111111"}
        )
    response = client.post(SETUP, {"code": totp_code(secret), "email_code": code})
    assert "确认码不正确或已失效" in str(response.context["form"].errors["email_code"])
    assert not Authenticator.objects.filter(user=welfare_officer.user).exists()


def test_a_superuser_issues_the_code_in_person(welfare_officer, superuser, client_for):
    response = client_for(superuser).post(
        reverse("admin:auth_user_changelist"),
        {"action": "issue_mfa_code", "_selected_action": [str(welfare_officer.user_id)]},
        follow=True,
    )
    issued = re.search(r"确认码：(\d{6})", response.content.decode()).group(1)
    welfare_officer.user.email = ""
    welfare_officer.user.save(update_fields=["email"])
    client = Client()
    client.force_login(welfare_officer.user)
    client.post(reverse("account_reauthenticate"), {"password": "pw-123456"})
    assert "系统管理员当面发放" in client.get(SETUP).content.decode()
    secret = client.session["mfa.totp.secret"]
    assert client.post(SETUP, {"code": totp_code(secret), "email_code": issued}).status_code == 302
    assert Authenticator.objects.filter(user=welfare_officer.user).exists()


def test_a_member_without_such_a_role_enrols_with_the_authenticator_alone(member):
    client = signed_in_with_password("2008001")
    assert mail.outbox == []
    secret = client.session["mfa.totp.secret"]
    assert client.post(SETUP, {"code": totp_code(secret)}).status_code == 302


@pytest.mark.parametrize("enrolled", [False, True])
def test_the_address_the_code_goes_to_moves_only_after_enrolment(enrolled, welfare_officer, client_for):
    if enrolled:
        with_totp(welfare_officer.user)
    response = client_for(welfare_officer).post(
        ME_URL, {"phone": "", "email": "thief@example.com", "password": "pw-123456"}
    )
    welfare_officer.user.refresh_from_db()
    assert (welfare_officer.user.email == "thief@example.com") is enrolled
    assert (response.status_code == 302) is enrolled
