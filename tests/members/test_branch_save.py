"""Branches: only a superuser creates, renames or deletes one, through members.services, audited."""

import pytest
from django.urls import reverse

from members import services
from members.models import Branch
from unionhome.models import AuditEntry


def test_it_lets_a_superuser_create_and_rename_a_branch_with_audit_entries(client, superuser):
    client.force_login(superuser)
    response = client.post(reverse("admin:members_branch_add"), {"name": "物理学院分工会", "short_name": ""})
    assert response.status_code == 302, response.context["adminform"].form.errors
    branch = Branch.objects.get(name="物理学院分工会")
    assert AuditEntry.objects.get(action="branch.created").branch_id == branch.pk
    url = reverse("admin:members_branch_change", args=[branch.pk])
    assert client.post(url, {"name": "物理学院分工会", "short_name": "物理分工会"}).status_code == 302
    entry = AuditEntry.objects.get(action="branch.changed")
    assert entry.details["before"] == {"short_name": ""}
    services.branch_delete(branch=branch, actor=superuser)
    assert not Branch.objects.filter(pk=branch.pk).exists()
    assert AuditEntry.objects.filter(action="branch.deleted", branch_id=branch.pk).exists()


def test_it_refuses_an_officer_even_of_that_branch(client_for, officer, branch):
    branch.name = "改名"
    with pytest.raises(services.MemberError):
        services.branch_save(branch=branch, actor=officer.user)
    with pytest.raises(services.MemberError):
        services.branch_save(branch=Branch(name="新分工会"), actor=officer.user)
    response = client_for(officer).post(
        reverse("admin:members_branch_change", args=[branch.pk]), {"name": "改名", "short_name": ""}
    )
    assert response.status_code in (302, 403)
    branch.refresh_from_db()
    assert branch.name == "数学与统计学院分工会"
    assert not Branch.objects.filter(name="新分工会").exists()
    assert not AuditEntry.objects.filter(action__startswith="branch.").exists()
