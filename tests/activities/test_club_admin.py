"""Clubs in admin: membership rows go through club_join / club_leave, scoped to the branch."""

from django.urls import reverse

from activities.models import ClubMembership
from activities.services import club_join
from unionhome.models import AuditEntry


def club_form(club, rows=(), initial=0, **overrides):
    data = {
        "branch": club.branch_id,
        "name": club.name,
        "kind": club.kind,
        "description": club.description,
        "leader": club.leader_id or "",
        "is_active": "on",
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": str(initial),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"memberships-{index}-{key}"] = value
    data.update(overrides)
    return data


def change_url(club):
    return reverse("admin:activities_club_change", args=[club.pk])


def test_an_officer_adds_a_member_through_club_join(client_for, officer, club, member):
    response = client_for(officer).post(
        change_url(club), club_form(club, [{"member": member.pk, "club": club.pk}])
    )
    assert response.status_code == 302
    assert ClubMembership.objects.filter(club=club, member=member).exists()
    entry = AuditEntry.objects.get(action="club.joined")
    assert entry.actor == officer.user and entry.branch_id == club.branch_id


def test_an_officer_cannot_add_a_member_of_another_branch(client_for, officer, club, other_branch_officer):
    row = {"member": other_branch_officer.pk, "club": club.pk, "joined_on": "2026-01-05"}
    response = client_for(officer).post(change_url(club), club_form(club, [row]))
    assert response.status_code == 200  # "select a valid choice": the member is not offered
    assert not ClubMembership.objects.exists()
    assert not AuditEntry.objects.filter(action="club.joined").exists()


def test_a_refusal_of_the_service_shows_on_the_form_not_a_500(
    client_for, superuser, club, other_branch_officer
):
    response = client_for(superuser).post(
        change_url(club),
        club_form(club, [{"member": other_branch_officer.pk, "club": club.pk}], name="新名字"),
    )
    assert response.status_code == 200
    assert "不是本分工会的会员" in response.content.decode()
    assert not ClubMembership.objects.exists()
    club.refresh_from_db()
    assert club.name == "羽毛球俱乐部"  # the whole save was rolled back


def test_removing_a_row_goes_through_club_leave(client_for, officer, club, member):
    membership = club_join(club=club, member=member, actor=member.user)
    rows = [{"id": membership.pk, "club": club.pk, "member": member.pk, "DELETE": "on"}]
    response = client_for(officer).post(change_url(club), club_form(club, rows, initial=1))
    assert response.status_code == 302
    assert not ClubMembership.objects.exists()
    assert AuditEntry.objects.filter(
        action="club.left", actor=officer.user, branch_id=club.branch_id
    ).exists()


def test_an_existing_row_cannot_be_switched_to_another_member(
    client_for, officer, club, member, second_member
):
    membership = club_join(club=club, member=member, actor=member.user)
    rows = [{"id": membership.pk, "club": club.pk, "member": second_member.pk}]
    assert client_for(officer).post(change_url(club), club_form(club, rows, initial=1)).status_code == 302
    membership.refresh_from_db()
    assert membership.member == member


def test_the_leader_must_belong_to_the_branch(client_for, superuser, club, other_branch_officer):
    response = client_for(superuser).post(change_url(club), club_form(club, leader=other_branch_officer.pk))
    assert response.status_code == 200 and "负责人必须是本分工会的会员" in response.content.decode()
    club.refresh_from_db()
    assert club.leader != other_branch_officer


def test_club_changes_are_audited(client_for, officer, club):
    assert (
        client_for(officer).post(change_url(club), club_form(club, description="每周三活动")).status_code
        == 302
    )
    entry = AuditEntry.objects.get(action="club.changed")
    assert entry.details["fields"] == ["description"] and entry.branch_id == club.branch_id
