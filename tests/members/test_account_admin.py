from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from unionhome.models import AuditEntry


def change_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def account_data(user, **changes):
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": "",
        "last_name": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "08:00:00",
    }
    data.update(changes)
    return data


def test_a_members_username_and_email_are_changed_on_the_member_record_only(
    superuser, welfare_officer, client_for
):
    user = welfare_officer.user
    response = client_for(superuser).post(
        change_url(user), account_data(user, username="x", email="x@example.com")
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.username == "welfare" and user.email == "welfare@example.edu.cn"


def test_a_new_login_email_of_an_account_without_a_member_is_told_to_the_old_address(
    superuser, client_for, django_capture_on_commit_callbacks
):
    other = get_user_model().objects.create_superuser("root2", "root2@example.edu.cn", "pw-123456")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(superuser).post(
            change_url(other), account_data(other, email="admin2@example.edu.cn")
        )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.email == "admin2@example.edu.cn"
    assert [message.to for message in mail.outbox] == [["root2@example.edu.cn"]]
    entry = AuditEntry.objects.get(action="account.saved")
    assert entry.details == {"before": {"email": "root2@example.edu.cn"}} and entry.branch_id is None


def test_it_refuses_an_address_another_account_uses(superuser, member, client_for):
    other = get_user_model().objects.create_superuser("root2", "root2@example.edu.cn", "pw-123456")
    response = client_for(superuser).post(
        change_url(other), account_data(other, email="2008001@EXAMPLE.edu.cn")
    )
    assert response.status_code == 200
    assert "已被其他账号使用" in str(response.context["adminform"].form.errors["email"])


def test_officers_cannot_open_the_accounts(officer, member, client_for):
    assert client_for(officer).get(change_url(member.user)).status_code == 403
