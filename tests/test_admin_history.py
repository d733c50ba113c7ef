"""One audit trail in admin: the index shows no "recent actions" (Django's LogEntry) and every
object's history page lists that object's audit entries, scoped as the audit admin scopes them."""

import io

import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from members.services import member_save
from tests.welfare.conftest import with_totp
from unionhome.audit import audit_record


def history_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk])


def test_it_shows_no_recent_actions_on_the_admin_index(client_for, officer, member):
    LogEntry.objects.log_actions(officer.user.pk, [member], CHANGE, change_message="ADMIN-LOG-ONLY")

    page = client_for(officer).get(reverse("admin:index")).content.decode()

    assert 'id="recent-actions-module"' not in page
    assert "ADMIN-LOG-ONLY" not in page


def test_it_shows_the_objects_audit_entries_on_its_history_page(client_for, officer, member):
    member.phone = "13900001111"
    member_save(member=member, actor=officer.user)
    LogEntry.objects.create(
        user=officer.user,
        content_type=ContentType.objects.get_for_model(member),
        object_id=str(member.pk),
        object_repr=str(member),
        action_flag=CHANGE,
        change_message="ADMIN-LOG-ONLY",
    )

    response = client_for(officer).get(history_url(member))

    page = response.content.decode()
    assert response.status_code == 200
    assert "member.changed" in page
    assert "ADMIN-LOG-ONLY" not in page


def test_it_hides_welfare_entries_from_an_officer_without_the_welfare_role(client_for, officer, member):
    audit_record(actor=officer.user, action="welfare.benefit.recorded", target=member)
    audit_record(actor=officer.user, action="member.changed", target=member)

    page = client_for(officer).get(history_url(member)).content.decode()

    assert "member.changed" in page
    assert "welfare.benefit.recorded" not in page


def test_it_answers_404_for_another_branchs_object(client_for, other_branch_officer, member):
    assert client_for(other_branch_officer).get(history_url(member)).status_code == 404


@pytest.fixture
def demo_superuser(db):
    call_command("demo", stdout=io.StringIO())
    user = get_user_model().objects.get(username="admin")
    with_totp(user)  # welfare screens ask for a second factor first
    client = Client()
    client.force_login(user)
    return client


def test_it_uses_the_audit_trail_for_the_history_of_every_admin(demo_superuser):
    problems = []
    for model in admin.site._registry:
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        response = demo_superuser.get(history_url(obj))
        names = [template.name for template in response.templates]
        if response.status_code != 200 or "admin/audit_history.html" not in names:
            problems.append(f"{model._meta.label}: {response.status_code} {names[:1]}")
    assert not problems, "\n".join(problems)
