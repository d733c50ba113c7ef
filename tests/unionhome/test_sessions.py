"""Sessions end when they should: logout, deactivation, password change; members end their own."""

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

LOGIN = reverse("account_login")


def signed_in(member, agent="Firefox"):
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post(LOGIN, {"login": member.staff_number, "password": "pw-123456"})
    assert response.status_code == 302
    return client


def is_signed_in(client):
    return client.get(reverse("members:me")).status_code == 200


def test_it_ends_the_session_on_logout(member):
    client = signed_in(member)
    key = client.session.session_key
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies["sessionid"] = key  # the old cookie, replayed
    assert not is_signed_in(replay)


def test_it_ends_every_session_of_a_deactivated_user(
    member, second_member, django_capture_on_commit_callbacks
):
    phone, laptop, colleague = (
        signed_in(member, "Phone"),
        signed_in(member, "Laptop"),
        signed_in(second_member),
    )
    keys = [phone.session.session_key, laptop.session.session_key]
    with django_capture_on_commit_callbacks(execute=True):
        member.user.is_active = False
        member.user.save()
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not is_signed_in(phone) and not is_signed_in(laptop)
    assert is_signed_in(colleague)


def test_it_ends_the_other_sessions_on_a_password_change(member):
    here, elsewhere = signed_in(member, "Here"), signed_in(member, "Elsewhere")
    response = here.post(
        reverse("account_change_password"),
        {"oldpassword": "pw-123456", "password1": "Quiet-river-2026", "password2": "Quiet-river-2026"},
    )
    assert response.status_code == 302
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)


def test_it_lets_a_member_see_and_end_their_other_sessions(member, second_member):
    here, elsewhere = signed_in(member, "Here-browser"), signed_in(member, "Elsewhere-browser")
    colleague = signed_in(second_member, "Colleague-browser")
    page = here.get(reverse("usersessions_list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Here-browser" in html and "Elsewhere-browser" in html and "Colleague-browser" not in html
    response = here.post(reverse("usersessions_list"))  # "sign out other sessions"
    assert response.status_code == 302
    assert is_signed_in(here) and not is_signed_in(elsewhere) and is_signed_in(colleague)


def test_it_keeps_the_sessions_list_for_signed_in_members(client, db):
    response = client.get(reverse("usersessions_list"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
