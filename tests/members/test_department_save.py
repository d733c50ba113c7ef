"""Departments: created, renamed and deleted through members.services, audited, by the branch's officers."""

import pytest
from django.urls import reverse

from members import services
from members.models import Department
from unionhome.models import AuditEntry


def test_it_creates_and_renames_a_department_through_the_admin_with_audit_entries(
    client_for, officer, branch
):
    client = client_for(officer)
    response = client.post(reverse("admin:members_department_add"), {"branch": branch.pk, "name": "统计系"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    department = Department.objects.get(name="统计系")
    assert AuditEntry.objects.get(action="department.created").branch_id == branch.pk
    url = reverse("admin:members_department_change", args=[department.pk])
    assert client.post(url, {"branch": branch.pk, "name": "统计与数据科学系"}).status_code == 302
    entry = AuditEntry.objects.get(action="department.changed")
    assert entry.details["before"] == {"name": "统计系"} and entry.actor == officer.user


def test_it_refuses_an_officer_of_another_branch_and_a_member(other_branch_officer, member, department):
    department.name = "改"
    for actor in (other_branch_officer.user, member.user):
        with pytest.raises(services.MemberError):
            services.department_save(department=department, actor=actor)
        with pytest.raises(services.MemberError):
            services.department_delete(department=department, actor=actor)
    department.refresh_from_db()
    assert department.name == "数学系"
    assert not AuditEntry.objects.filter(action__startswith="department.").exists()


def test_it_deletes_a_department_for_a_superuser_with_an_audit_entry(superuser, branch):
    department = Department.objects.create(branch=branch, name="空部门")
    services.department_delete(department=department, actor=superuser)
    assert not Department.objects.filter(name="空部门").exists()
    assert AuditEntry.objects.get(action="department.deleted").branch_id == branch.pk
