"""Login rate limits fit a campus: many staff behind one address, every request via the proxy."""

import re

import pytest
from django.test import Client
from django.urls import reverse

LOGIN = reverse("account_login")


def attempt(client, login, password, **headers):
    return client.post(LOGIN, {"login": login, "password": password}, **headers)


@pytest.fixture
def department(make_member):
    return [make_member(f"20090{n}", name=f"同事{n}") for n in range(1, 6)]


def test_it_lets_five_colleagues_behind_one_address_sign_in_after_two_typos_each(department):
    clients = [Client(REMOTE_ADDR="10.20.30.40") for _ in department]
    for client, colleague in zip(clients, department, strict=True):
        for typo in ("pw-12345", "pw-1234567"):
            assert attempt(client, colleague.staff_number, typo).status_code == 200
    for client, colleague in zip(clients, department, strict=True):
        response = attempt(client, colleague.staff_number, "pw-123456")
        assert response.status_code == 302, colleague.staff_number
        assert client.get(reverse("members:me")).status_code == 200


def test_it_throttles_twenty_guesses_at_one_account_and_says_how_long_to_wait(member):
    outcomes = []
    for guess in range(20):
        # From changing addresses: the per-account limit does not depend on the address.
        client = Client(REMOTE_ADDR=f"10.0.{guess}.1")
        outcomes.append(attempt(client, "2008001", f"guess-{guess}").content.decode())
    locked = [html for html in outcomes if "登录失败次数过多" in html]
    assert len(locked) == 15  # 5 guesses in 5 minutes, then refused
    assert re.search(r"请 [1-5] 分钟后再试", locked[-1])
    # Even the right password is refused while the account is locked.
    response = attempt(Client(REMOTE_ADDR="10.9.9.9"), "2008001", "pw-123456")
    assert response.status_code == 200 and "登录失败次数过多" in response.content.decode()


def test_it_tells_the_wait_in_english_too(member):
    for guess in range(6):
        response = attempt(Client(), "2008001", f"guess-{guess}", HTTP_ACCEPT_LANGUAGE="en")
    assert "try again in 5 minutes" in response.content.decode()


def test_it_answers_a_flood_from_one_address_with_a_chinese_429_page(db):
    client = Client(REMOTE_ADDR="10.1.1.1")
    statuses = [attempt(client, f"x{n}", "y").status_code for n in range(65)]
    assert 429 in statuses
    response = attempt(client, "x", "y")
    assert response.status_code == 429 and "请等待 1 分钟后再试" in response.content.decode()
    # Another address is not affected.
    assert attempt(Client(REMOTE_ADDR="10.1.1.2"), "x", "y").status_code == 200


def test_it_counts_the_real_client_behind_the_trusted_proxy(settings, make_member):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    flood = Client(**proxy)
    for n in range(65):
        attempt(flood, f"x{n}", "y", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert attempt(flood, "x", "y", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    # A colleague elsewhere, arriving through the same proxy, still signs in; a client cannot
    # escape its limit by sending its own X-Forwarded-For (the proxy appends the real address).
    make_member("2009100")
    other = attempt(Client(**proxy), "2009100", "pw-123456", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert other.status_code == 302
    spoofed = attempt(flood, "x", "y", HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.7")
    assert spoofed.status_code == 429


def test_it_sends_admin_logins_through_the_same_limits(client, superuser):
    # The admin's own login form is replaced by allauth's: posting to it never authenticates.
    response = client.post("/admin/login/", {"username": "root", "password": "pw-123456"})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert client.get("/admin/").status_code == 302
    for guess in range(5):
        client.post(f"{LOGIN}?next=/admin/", {"login": "root", "password": f"guess-{guess}"})
    response = client.post(f"{LOGIN}?next=/admin/", {"login": "root", "password": "pw-123456"})
    assert response.status_code == 200 and "登录失败次数过多" in response.content.decode()
    assert client.get("/admin/").status_code == 302
