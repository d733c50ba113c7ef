"""CSRF on every POST: every URL of the URL x persona table, allauth's forms and the admin refuse a
POST without the token from a signed-in user, and accept it with the token."""

import re
from collections import defaultdict

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_url_access import ROWS
from tests.url_access import build_world

BY_MODULE = defaultdict(list)
for _module, _entry in ROWS.values():
    BY_MODULE[_module.__name__].append((_module, _entry))

# allauth's and the admin's forms (exempt from the URL table, tested here).
OTHER_POSTS = [
    "account_login",
    "account_logout",
    "account_change_password",
    "account_reset_password",
    "usersessions_list",
    "mfa_activate_totp",
    "admin:members_member_add",
    "admin:logout",
]


def _signed_in(user, *, enforce=True):
    client = Client(enforce_csrf_checks=enforce)
    client.force_login(user)
    return client


@pytest.mark.parametrize("module_name", sorted(BY_MODULE))
def test_it_refuses_a_post_without_the_token_on_every_url_of_the_table(module_name, db):
    world = build_world()
    module = BY_MODULE[module_name][0][0]
    objects = module.objects(world) if hasattr(module, "objects") else {}
    refused = {}
    for persona in ("member", "superuser"):
        client = _signed_in(world.user_of(persona))
        for _module, entry in BY_MODULE[module_name]:
            url = reverse(entry.name, kwargs=entry.kwargs(objects))
            response = client.post(url, {"next": "/"})
            refused[f"{persona} {entry.name}"] = response.status_code
    assert {name: status for name, status in refused.items() if status != 403} == {}


@pytest.mark.parametrize("name", OTHER_POSTS)
def test_it_refuses_a_post_without_the_token_on_account_and_admin_forms(name, superuser):
    response = _signed_in(superuser).post(reverse(name), {"password": "pw-123456"})
    assert response.status_code == 403


def test_it_refuses_an_anonymous_login_post_without_the_token(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "x", "password": "y"})
    assert response.status_code == 403


def test_it_accepts_the_same_post_with_the_token(member):
    client = _signed_in(member.user)
    page = client.get(reverse("home")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(reverse("notices_read"), {"csrfmiddlewaretoken": token, "next": "/"})
    assert response.status_code == 302
