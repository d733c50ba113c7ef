"""A password reset for an unknown e-mail address looks exactly like one for a member's, and
mails nothing: nobody can make the portal write to strangers."""

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
    # Only the member gets a mail, with her reset link; the unknown address gets none.
    assert [message.to for message in mail.outbox] == [["2008001@example.edu.cn"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
