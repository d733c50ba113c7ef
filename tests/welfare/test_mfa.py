"""Welfare officers set up TOTP (allauth) before a case page or the case admin opens."""

import time

from django.test import Client
from django.urls import reverse

from tests.welfare.conftest import with_totp

SETUP = reverse("mfa_activate_totp")


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now, computed independently of the server's session."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_it_sends_a_welfare_officer_without_totp_to_set_it_up(make_case, client_for, welfare_officer):
    case = make_case()
    client = client_for(welfare_officer)
    for url in (
        reverse("welfare:case_detail", args=[case.pk]),
        reverse("welfare:attachment", args=[case.attachments.get().pk]),
        reverse("welfare:member_overview", args=[case.member_id]),
        reverse("admin:welfare_aidcase_changelist"),
        reverse("admin:welfare_aidcase_change", args=[case.pk]),
        reverse("admin:welfare_benefit_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP), url


def test_it_sends_a_superuser_without_totp_too(make_case, client_for, superuser):
    case = make_case()
    response = client_for(superuser).get(reverse("admin:welfare_aidcase_change", args=[case.pk]))
    assert response["Location"].startswith(SETUP)


def test_it_leaves_the_members_own_pages_open(make_case, client_for, welfare_officer, member, aid_round):
    assert client_for(welfare_officer).get(reverse("welfare:mine")).status_code == 200
    assert client_for(welfare_officer).get(reverse("welfare:notices")).status_code == 200
    case = make_case()
    assert client_for(member).get(reverse("welfare:case_detail", args=[case.pk])).status_code == 200


def test_it_opens_the_case_after_a_real_totp_set_up_and_login(make_case, welfare_officer):
    case = make_case()
    case_url = reverse("welfare:case_detail", args=[case.pk])
    client = Client()
    response = client.post(reverse("account_login"), {"login": "welfare", "password": "pw-123456"})
    assert response.status_code == 302
    assert client.get(case_url)["Location"].startswith(SETUP)

    # allauth asks for the password again before a second factor is added.
    assert client.get(SETUP)["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": "pw-123456"})
    assert client.get(SETUP).status_code == 200
    secret = client.session["mfa.totp.secret"]
    # A welfare officer's set-up is confirmed by a code mailed to her (tests/members/test_mfa_enrolment.py).
    from tests.members.test_mfa_enrolment import mailed_code

    response = client.post(SETUP, {"code": totp_code(secret), "email_code": mailed_code()})
    assert response.status_code == 302
    assert client.get(case_url).status_code == 200

    # A new session: password, then the code from the authenticator, then the case.
    fresh = Client()
    response = fresh.post(reverse("account_login"), {"login": "welfare", "password": "pw-123456"})
    assert response["Location"] == reverse("mfa_authenticate")
    response = fresh.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert fresh.get(case_url).status_code == 200


def test_it_refuses_a_wrong_code(welfare_officer):
    client = Client()
    client.post(reverse("account_login"), {"login": "welfare", "password": "pw-123456"})
    client.post(reverse("account_reauthenticate"), {"password": "pw-123456"})
    assert client.get(SETUP).status_code == 200
    response = client.post(SETUP, {"code": "000000"})
    assert response.status_code == 200
    from allauth.mfa.models import Authenticator

    assert not Authenticator.objects.filter(user=welfare_officer.user).exists()


def test_it_opens_the_admin_with_totp(make_case, client_for, welfare_officer):
    case = make_case()
    with_totp(welfare_officer.user)
    client = client_for(welfare_officer)
    assert client.get(reverse("admin:welfare_aidcase_change", args=[case.pk])).status_code == 200
