import pytest
from django.urls import reverse

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
    assert AuditEntry.objects.filter(action="member.contact_updated", target_id=str(member.pk)).count() == 1
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


def test_it_renders_the_profile_in_a_bounded_number_of_queries(
    member, client_for, django_assert_max_num_queries
):
    client = client_for(member)
    client.get(ME_URL)
    with django_assert_max_num_queries(25):
        assert client.get(ME_URL).status_code == 200
