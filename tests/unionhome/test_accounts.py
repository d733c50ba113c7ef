import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

LOGIN = reverse("account_login")


def log_in(client, login, password="pw-123456"):
    return client.post(LOGIN, {"login": login, "password": password})


def test_it_logs_in_with_the_staff_number(client, member):
    response = log_in(client, "2008001")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "李芳" in client.get("/").content.decode()


def test_it_logs_in_with_the_email_address(client, member):
    response = log_in(client, "2008001@example.edu.cn")
    assert response.status_code == 302
    assert client.get(reverse("members:me")).status_code == 200


def test_it_explains_a_wrong_password_on_the_login_page(client, member):
    response = log_in(client, "2008001", "wrong-password")
    assert response.status_code == 200
    assert "不正确" in response.content.decode()
    assert client.get("/").status_code == 302


def test_it_has_no_public_sign_up(client, db):
    response = client.post(
        reverse("account_signup"),
        {"username": "intruder", "email": "i@x.cn", "password1": "Zx9!long-password"},
    )
    assert not get_user_model().objects.filter(username="intruder").exists()
    assert response.status_code in (200, 403)


def test_it_rate_limits_failed_logins_across_clients(client, member):
    for attempt in range(5):
        assert log_in(client, "2008001", f"wrong-{attempt}").status_code == 200
    # The lock-out holds even for the right password, from a fresh client (another worker).
    from django.test import Client

    response = log_in(Client(), "2008001")
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()
    assert Client().get("/").status_code == 302


def test_it_answers_429_to_a_flood_of_login_requests(client, db):
    statuses = {client.post(LOGIN, {"login": f"x{n}", "password": "y"}).status_code for n in range(125)}
    assert 429 in statuses


def test_it_sends_a_password_reset_link_that_sets_a_first_password(client, make_member):
    newcomer = make_member("2021001", name="新人")
    newcomer.user.set_unusable_password()
    newcomer.user.save()
    response = client.post(reverse("account_reset_password"), {"email": "2021001@example.edu.cn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": "Sunny-autumn-2026", "password2": "Sunny-autumn-2026"},
    )
    assert response.status_code == 302
    assert log_in(client, "2021001", "Sunny-autumn-2026").status_code == 302


def test_it_logs_out_by_post(client_for, member):
    client = client_for(member)
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_it_lets_a_member_change_their_password(client_for, member):
    client = client_for(member)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "pw-123456", "password1": "Quiet-river-2026", "password2": "Quiet-river-2026"},
    )
    assert response.status_code == 302
    member.user.refresh_from_db()
    assert member.user.check_password("Quiet-river-2026")


def test_it_sends_the_admin_login_through_allauth(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    response = client.get("/admin/")
    assert response.status_code == 302


def test_it_needs_login_everywhere_but_the_account_pages(client, db):
    for url in ["/", reverse("members:me"), "/admin/members/member/"]:
        response = client.get(url)
        assert response.status_code == 302, url
    for url in [LOGIN, reverse("account_reset_password")]:
        assert client.get(url).status_code == 200, url
