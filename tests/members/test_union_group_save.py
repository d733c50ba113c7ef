"""Union groups: created, renamed and deleted through members.services, audited, by the branch's officers."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from members import services
from members.models import UnionGroup
from unionhome.models import AuditEntry


def test_it_creates_and_renames_a_group_through_the_admin_with_audit_entries(client_for, officer, branch):
    client = client_for(officer)
    data = {"branch": branch.pk, "name": "统计系工会小组", "sort_order": "3"}
    response = client.post(reverse("admin:members_uniongroup_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    group = UnionGroup.objects.get(name="统计系工会小组")
    created = AuditEntry.objects.get(action="union_group.created")
    assert created.actor == officer.user and created.branch_id == branch.pk
    assert created.details["values"]["name"] == "统计系工会小组"

    data["name"] = "统计与数据科学系工会小组"
    response = client.post(reverse("admin:members_uniongroup_change", args=[group.pk]), data)
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "统计与数据科学系工会小组"
    changed = AuditEntry.objects.get(action="union_group.changed")
    assert changed.details["before"] == {"name": "统计系工会小组"} and changed.branch_id == branch.pk


def test_it_refuses_an_officer_of_another_branch(client_for, other_branch_officer, group):
    url = reverse("admin:members_uniongroup_change", args=[group.pk])
    assert (
        client_for(other_branch_officer).post(url, {"branch": group.branch_id, "name": "改"}).status_code
        == 404
    )
    group.name = "改"
    with pytest.raises(services.MemberError):
        services.union_group_save(group=group, actor=other_branch_officer.user)
    with pytest.raises(services.MemberError):
        services.union_group_save(
            group=UnionGroup(branch_id=group.branch_id, name="新"), actor=other_branch_officer.user
        )
    with pytest.raises(services.MemberError):
        services.union_group_delete(group=group, actor=other_branch_officer.user)
    group.refresh_from_db()
    assert group.name == "数学系工会小组" and not UnionGroup.objects.filter(name="新").exists()
    assert not AuditEntry.objects.filter(action__startswith="union_group.").exists()


def test_it_refuses_moving_a_group_to_a_branch_the_officer_does_not_keep(officer, group, other_branch):
    group.branch = other_branch
    with pytest.raises(services.MemberError):
        services.union_group_save(group=group, actor=officer.user)
    group.refresh_from_db()
    assert group.branch_id != other_branch.pk


def test_it_deletes_an_empty_group_with_an_audit_entry_and_protects_one_in_use(
    client, superuser, officer, branch, group
):
    empty = UnionGroup.objects.create(branch=branch, name="空小组")
    client.force_login(superuser)
    response = client.post(reverse("admin:members_uniongroup_delete", args=[empty.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not UnionGroup.objects.filter(pk=empty.pk).exists()
    entry = AuditEntry.objects.get(action="union_group.deleted")
    assert entry.details["values"]["name"] == "空小组" and entry.branch_id == branch.pk

    assert officer.union_group_id == group.pk
    with pytest.raises(ProtectedError):
        services.union_group_delete(group=group, actor=superuser)
    assert UnionGroup.objects.filter(pk=group.pk).exists()
    assert AuditEntry.objects.filter(action="union_group.deleted").count() == 1
    response = client.post(reverse("admin:members_uniongroup_delete", args=[group.pk]), {"post": "yes"})
    assert response.status_code == 200 and UnionGroup.objects.filter(pk=group.pk).exists()
