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


@pytest.fixture
def clock(monkeypatch):
    """The rate limits' clock, to be moved forward (allauth's and ours read time.time())."""
    import time as real_time

    from allauth.core.internal import ratelimit

    from unionhome import accounts

    class Clock:
        offset = 0.0

        def time(self):
            return real_time.time() + self.offset

        def __getattr__(self, name):
            return getattr(real_time, name)

        def advance(self, seconds):
            self.offset += seconds

    shifted = Clock()
    monkeypatch.setattr(ratelimit, "time", shifted)
    monkeypatch.setattr(accounts, "time", shifted)
    return shifted


def test_it_keeps_a_stranger_at_one_address_from_locking_a_member_out(member, clock):
    stranger, owner = Client(REMOTE_ADDR="10.66.0.1"), Client(REMOTE_ADDR="10.1.1.1")
    for _round in range(36):  # 5 wrong guesses every 5 minutes, for three hours
        clock.advance(5 * 60)
        pages = [attempt(stranger, "2008001", f"guess-{n}").content.decode() for n in range(5)]
    assert "登录失败次数过多" in pages[-1]  # he is refused at his address...
    response = attempt(owner, "2008001", "pw-123456")
    assert response.status_code == 302  # ...and she signs in at hers


def test_it_stops_a_guess_spread_over_many_addresses_at_the_account_wide_cap(member):
    outcomes = []
    for guess in range(40):
        client = Client(REMOTE_ADDR=f"10.0.{guess}.1")
        outcomes.append(attempt(client, "2008001", f"guess-{guess}").content.decode())
    locked = [html for html in outcomes if "登录失败次数过多" in html]
    assert len(locked) == 10  # 30 guesses an hour, then refused
    assert re.search(r"请 (5[0-9]|60) 分钟后再试", locked[-1])
    # Even the right password is refused while the account is locked, from any address.
    response = attempt(Client(REMOTE_ADDR="10.9.9.9"), "2008001", "pw-123456")
    assert response.status_code == 200 and "登录失败次数过多" in response.content.decode()


def test_it_counts_the_staff_number_and_the_email_of_one_account_together(member):
    client = Client(REMOTE_ADDR="10.2.2.2")
    for guess in range(3):
        attempt(client, "2008001", f"guess-{guess}")
        attempt(client, "2008001@EXAMPLE.edu.cn", f"guess-{guess}")
    assert "登录失败次数过多" in attempt(client, "2008001", "pw-123456").content.decode()


def test_it_lets_a_colleague_sign_in_after_one_client_at_the_nat_failed_sixty_times(department):
    nat = "10.20.30.40"
    noisy = Client(REMOTE_ADDR=nat)
    for n in range(60):
        attempt(noisy, department[n % 4].staff_number if n % 2 else f"nobody{n}", f"wrong-{n}")
    colleague = department[4]
    response = attempt(Client(REMOTE_ADDR=nat), colleague.staff_number, "pw-123456")
    assert response.status_code == 302


def test_it_caps_the_password_reset_mails_to_one_address_a_day(
    member, clock, django_capture_on_commit_callbacks
):
    from django.core import mail

    statuses = []
    for _minute in range(4):
        for _n in range(5):
            client = Client(REMOTE_ADDR=f"10.3.{len(statuses)}.1")
            with django_capture_on_commit_callbacks(execute=True):
                statuses.append(
                    client.post(
                        reverse("account_reset_password"), {"email": "2008001@example.edu.cn"}
                    ).status_code
                )
        clock.advance(61)
    assert statuses.count(302) == 10 and statuses[10:] == [429] * 10
    assert len(mail.outbox) == 10


def test_it_tells_the_wait_in_english_too(member):
    for guess in range(6):
        response = attempt(Client(), "2008001", f"guess-{guess}", HTTP_ACCEPT_LANGUAGE="en")
    assert "try again in 5 minutes" in response.content.decode()


def test_it_answers_a_flood_from_one_address_with_a_chinese_429_page(db):
    client = Client(REMOTE_ADDR="10.1.1.1")
    statuses = [attempt(client, f"x{n}", "y").status_code for n in range(125)]
    assert 429 in statuses
    response = attempt(client, "x", "y")
    assert response.status_code == 429 and "请等待 1 分钟后再试" in response.content.decode()
    # Another address is not affected.
    assert attempt(Client(REMOTE_ADDR="10.1.1.2"), "x", "y").status_code == 200


def test_it_counts_the_real_client_behind_the_trusted_proxy(settings, make_member):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    flood = Client(**proxy)
    for n in range(125):
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
