"""Deleting an activity or a club in admin goes through activities.services, audited."""

import pytest
from django.urls import reverse

from activities.models import Activity, Club
from activities.services import ActivityError, activity_delete, club_delete, registration_cancel
from tests.activities.conftest import signed_up
from unionhome.models import AuditEntry


def delete_url(obj):
    return reverse(f"admin:activities_{obj._meta.model_name}_delete", args=[obj.pk])


def test_it_deletes_an_activity_nobody_signed_up_for_with_an_audit_entry(client_for, officer, make_activity):
    activity = make_activity(status=Activity.Status.DRAFT)

    response = client_for(officer).post(delete_url(activity), {"post": "yes"})

    assert response.status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert AuditEntry.objects.filter(action="activity.deleted", target_id=str(activity.pk)).count() == 1


def test_it_keeps_an_activity_with_a_cancelled_registration(officer, activity, member):
    registration_cancel(registration=signed_up(activity, member), actor=member.user)

    with pytest.raises(ActivityError, match="已有报名记录，不能删除"):
        activity_delete(activity=activity, actor=officer.user)

    assert Activity.objects.filter(pk=activity.pk).exists()


def test_it_refuses_another_branchs_officer(other_branch_officer, make_activity):
    activity = make_activity(status=Activity.Status.DRAFT)

    with pytest.raises(ActivityError):
        activity_delete(activity=activity, actor=other_branch_officer.user)

    assert Activity.objects.filter(pk=activity.pk).exists()


def test_it_deletes_a_club_without_activities_and_keeps_one_with(client_for, superuser, club, make_activity):
    empty = Club.objects.create(branch=club.branch, name="书法社", kind=Club.Kind.READING)
    make_activity(club=club)

    client_for(superuser).post(delete_url(empty), {"post": "yes"})
    with pytest.raises(ActivityError, match="办过活动，不能删除"):
        club_delete(club=club, actor=superuser)

    assert not Club.objects.filter(pk=empty.pk).exists()
    assert Club.objects.filter(pk=club.pk).exists()
    assert AuditEntry.objects.filter(action="club.deleted", target_id=str(empty.pk)).count() == 1
