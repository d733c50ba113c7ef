"""A password reset for an unknown e-mail address looks exactly like one for a member's."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse


def reset(email):
    client = Client()
    response = client.post(reverse("account_reset_password"), {"email": email})
    page = client.get(response["Location"]) if response.status_code == 302 else response
    html = re.sub(r'value="[^"]{32,}"', 'value="token"', page.content.decode())
    html = re.sub(r"[0-9a-f]{32}", "request-id", html)
    return response.status_code, response.get("Location"), page.status_code, html


def test_it_answers_an_unknown_address_as_it_answers_a_members(member):
    known = reset("2008001@example.edu.cn")
    unknown = reset("nobody@example.edu.cn")
    assert known[0] == 302
    assert known == unknown
    # Only the member gets a reset link; the unknown address is told it has no account.
    assert len(mail.outbox) == 2
    link = "/accounts/password/reset/key/"
    assert link in mail.outbox[0].body and link not in mail.outbox[1].body
