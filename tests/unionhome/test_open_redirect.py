"""Neither the login, the logout nor the language switch sends anyone to another site."""

import pytest
from django.test import Client
from django.urls import reverse

ELSEWHERE = [
    "https://elsewhere.example/",
    "//elsewhere.example/",
    "/\\elsewhere.example/",
    "https:elsewhere.example",
    "javascript:alert(1)",
    " https://elsewhere.example/",
]


def stays_here(response):
    location = response["Location"]
    return response.status_code == 302 and location.startswith("/") and not location.startswith(("//", "/\\"))


@pytest.mark.parametrize("target", ELSEWHERE)
def test_it_stays_on_the_site_after_login(member, target):
    response = Client().post(
        reverse("account_login") + "?next=" + target, {"login": "2008001", "password": "pw-123456"}
    )
    assert stays_here(response) and response["Location"] == "/"
    response = Client().post(
        reverse("account_login"), {"login": "2008001", "password": "pw-123456", "next": target}
    )
    assert stays_here(response) and response["Location"] == "/"


def test_it_still_follows_a_next_on_the_site(member):
    response = Client().post(
        reverse("account_login") + "?next=/me/", {"login": "2008001", "password": "pw-123456"}
    )
    assert response["Location"] == "/me/"


@pytest.mark.parametrize("target", ELSEWHERE)
def test_it_stays_on_the_site_after_logout(client_for, member, target):
    response = client_for(member).post(reverse("account_logout"), {"next": target})
    assert stays_here(response)


@pytest.mark.parametrize("target", ELSEWHERE)
def test_it_stays_on_the_site_after_switching_the_language(client, db, target):
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert stays_here(response)
    response = client.post(reverse("set_language"), {"language": "en"}, HTTP_REFERER=target)
    assert stays_here(response)


@pytest.mark.parametrize("target", ELSEWHERE)
def test_it_stays_on_the_site_after_marking_notices_read(client_for, member, target):
    assert stays_here(client_for(member).post(reverse("notices_read"), {"next": target}))
