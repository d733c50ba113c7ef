"""Content-Security-Policy on every response: our own origin only, no inline script, no framing."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def policy(response):
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict(response):
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    everything = " ".join(" ".join(values) for values in directives.values())
    assert "unsafe-inline" not in everything and "unsafe-eval" not in everything
    assert "http:" not in everything and "https:" not in everything and "*" not in everything


def assert_no_inline_script(response):
    html = response.content.decode()
    assert not INLINE_SCRIPT.findall(html)
    assert not EVENT_HANDLER.findall(html)
    assert not re.findall(r"<[a-z][^>]*\sstyle=", html)


def test_it_has_no_inline_script_or_handler_in_our_templates():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert not INLINE_SCRIPT.findall(text), template
        assert not EVENT_HANDLER.findall(text), template
        assert not re.findall(r"<[a-z][^>]*\sstyle=", text), template


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password/reset/", "/no-such-page/"])
def test_it_sends_the_policy_to_anonymous_visitors(client, db, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    assert_strict(response)
    assert_no_inline_script(response)


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "members:me",
        "activities:list",
        "activities:club_list",
        "usersessions_list",
        "account_change_password",
        "mfa_index",
    ],
)
def test_it_sends_the_policy_on_portal_and_account_pages(client_for, member, name):
    response = client_for(member).get(reverse(name))
    assert response.status_code == 200
    assert_strict(response)
    assert_no_inline_script(response)


def test_it_sends_the_policy_on_the_authenticator_set_up_whose_qr_code_is_a_data_image(client, member):
    client.post(reverse("account_login"), {"login": "2008001", "password": "pw-123456"})
    reauthenticate = client.get(reverse("mfa_activate_totp"), follow=True)
    assert_strict(reauthenticate)
    assert_no_inline_script(reauthenticate)
    client.post(reauthenticate.redirect_chain[-1][0], {"password": "pw-123456"})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert "data:image/svg+xml;base64," in response.content.decode()
    assert_strict(response)
    assert policy(response)["img-src"] == ["'self'", "data:"]
    assert_no_inline_script(response)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/members/member/",
        "/admin/members/member/add/",
        "/admin/members/member/import/",
        "/admin/members/member/export/",
        "/admin/auth/user/",
    ],
)
def test_it_sends_the_policy_on_admin_pages(client_for, superuser, member, url):
    response = client_for(superuser).get(url)
    assert response.status_code == 200
    assert_strict(response)
    assert_no_inline_script(response)
