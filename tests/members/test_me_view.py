import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Member
from unionhome.models import AuditEntry

ME_URL = reverse("members:me")


def test_it_sends_anonymous_users_to_the_login(client, db):
    response = client.get(ME_URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "persona", ["member", "officer", "welfare_officer", "congress_secretary", "treasurer"]
)
def test_it_shows_each_member_their_own_profile(persona, request, client_for):
    who = request.getfixturevalue(persona)
    html = client_for(who).get(ME_URL).content.decode()
    assert who.staff_number in html and who.name in html


def test_it_does_not_show_another_members_profile(member, second_member, client_for):
    html = client_for(member).get(ME_URL).content.decode()
    assert second_member.staff_number not in html


def test_it_gives_404_to_an_account_without_a_member_record(superuser, client_for):
    assert client_for(superuser).get(ME_URL).status_code == 404


def test_it_lets_a_member_update_phone_and_email_only(member, client_for):
    client = client_for(member)
    response = client.post(
        ME_URL,
        {
            "phone": "138 0000 1111",
            "email": "new@example.edu.cn",
            "password": "pw-123456",
            "name": "黑客",
            "staff_number": "X1",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.phone == "138 0000 1111" and member.email == "new@example.edu.cn"
    assert member.name == "李芳" and member.staff_number == "2008001"
    assert member.user.email == "new@example.edu.cn"
    entry = AuditEntry.objects.get(action="member.contact_updated", target_id=str(member.pk))
    assert entry.branch_id == member.branch_id and entry.actor == member.user
    assert entry.details == {"before": {"phone": "", "email": "2008001@example.edu.cn"}}
    assert "联系方式已更新" in client.get(ME_URL).content.decode()


def test_it_shows_errors_on_the_same_page_and_saves_nothing(member, second_member, client_for):
    client = client_for(member)
    response = client.post(ME_URL, {"phone": "abc", "email": second_member.email})
    assert response.status_code == 200
    html = response.content.decode()
    assert "手机号码只能包含数字" in html and "已被其他账号使用" in html
    member.refresh_from_db()
    assert member.phone == "" and member.email == "2008001@example.edu.cn"
    assert not AuditEntry.objects.filter(action="member.contact_updated").exists()


def test_it_renders_the_profile_in_an_exact_number_of_queries(member, client_for, django_assert_num_queries):
    client = client_for(member)
    client.get(ME_URL)
    # session, user, member with branch, the sections of the apps (activities: feed, registrations,
    # clubs; welfare: my cases; congress: proposals, co-signatures, suggestions), notices, union group
    with django_assert_num_queries(12):
        assert client.get(ME_URL).status_code == 200


def test_it_writes_nothing_on_get(member, client_for):
    client = client_for(member)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ME_URL).status_code == 200
    assert writes(queries) == []


def test_its_own_part_writes_nothing_on_get(member, client_for, monkeypatch):
    monkeypatch.setattr(apps.get_app_config("activities"), "me_section", lambda request: None)
    client = client_for(member)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ME_URL).status_code == 200
    assert writes(queries) == []


def writes(queries):
    return [
        q["sql"] for q in queries if q["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]


def test_it_changes_the_login_email_with_the_current_password_and_tells_the_old_address(
    welfare_officer, client_for, django_capture_on_commit_callbacks
):
    from tests.members.test_mfa_enrolment import with_totp

    with_totp(welfare_officer.user)
    client = client_for(welfare_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ME_URL, {"phone": "", "email": "lin@example.edu.cn", "password": "pw-123456"})
    assert response.status_code == 302
    welfare_officer.user.refresh_from_db()
    assert welfare_officer.user.email == "lin@example.edu.cn"
    assert [message.to for message in mail.outbox] == [["welfare@example.edu.cn"]]
    assert "lin@example.edu.cn" in mail.outbox[0].body


@pytest.mark.parametrize("password", ["", "wrong-password"])
def test_it_refuses_a_new_login_email_without_the_right_password(password, member, client_for):
    response = client_for(member).post(
        ME_URL, {"phone": "139", "email": "new@example.edu.cn", "password": password}
    )
    assert response.status_code == 200
    assert "密码不正确" in str(response.context["form"].errors["password"])
    member.refresh_from_db()
    member.user.refresh_from_db()
    assert member.email == member.user.email == "2008001@example.edu.cn" and member.phone == ""
    assert not AuditEntry.objects.exists() and mail.outbox == []


def test_it_changes_the_phone_alone_without_the_password(member, client_for):
    response = client_for(member).post(ME_URL, {"phone": "139 1234 5678", "email": member.email})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.phone == "139 1234 5678"


def test_it_refuses_an_address_of_another_account_in_any_case(member, superuser, client_for):
    response = client_for(member).post(
        ME_URL, {"phone": "", "email": "ROOT@example.edu.cn", "password": "pw-123456"}
    )
    assert response.status_code == 200 and "已被其他账号使用" in str(response.context["form"].errors["email"])


@pytest.mark.parametrize("status", ["transferred", "left"])
def test_it_gives_404_to_a_member_who_is_no_longer_in_good_standing(status, member, client_for):
    client = client_for(member)
    Member.objects.filter(pk=member.pk).update(status=status)
    assert client.get(ME_URL).status_code == 404


def test_it_links_to_the_members_own_signed_in_devices(member, client_for):
    client = client_for(member)
    html = client.get(ME_URL).content.decode()
    assert f'href="{reverse("usersessions_list")}"' in html
    sessions = client.get(reverse("usersessions_list"))
    assert sessions.status_code == 200


def test_its_devices_page_marks_this_device_and_fits_a_phone(member, client):
    signed_in = client.post(reverse("account_login"), {"login": member.staff_number, "password": "pw-123456"})
    assert signed_in.status_code == 302
    html = client.get(reverse("usersessions_list")).content.decode()
    assert html.count("这台设备（正在使用）") == 1
    assert "<table" not in html  # cards, not allauth's wide table
