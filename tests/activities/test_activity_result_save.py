"""Results and awards of an activity: saved in admin through activity_result_save/_delete, audited."""

import pytest
from django.urls import reverse

from activities import services
from activities.models import ActivityResult
from tests.activities.test_admin import activity_form
from unionhome.models import AuditEntry


def change_url(activity):
    return reverse("admin:activities_activity_change", args=[activity.pk])


def results_data(rows, initial=0):
    data = {"results-TOTAL_FORMS": str(len(rows)), "results-INITIAL_FORMS": str(initial)}
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"results-{index}-{name}"] = value
    return data


def post(client, activity, branch, rows, initial=0):
    activity.refresh_from_db()
    data = activity_form(branch, version=activity.version)
    data.update(results_data(rows, initial))
    return client.post(change_url(activity), data)


def test_it_adds_changes_and_deletes_a_result_through_the_admin_change_form(
    client_for, officer, branch, activity
):
    client = client_for(officer)
    new = {
        "event": "男子单打",
        "award": "冠军",
        "winners": "王强",
        "sort_order": "1",
        "activity": activity.pk,
    }
    response = post(client, activity, branch, [new])
    assert response.status_code == 302, response.context["adminform"].form.errors
    result = ActivityResult.objects.get(activity=activity)
    assert (result.event, result.award) == ("男子单打", "冠军")
    created = AuditEntry.objects.get(action="activity_result.created")
    assert created.actor == officer.user and created.branch_id == branch.pk
    assert created.details["award"] == "冠军"

    changed = {**new, "id": result.pk, "award": "亚军"}
    response = post(client, activity, branch, [changed], initial=1)
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.award == "亚军"
    entry = AuditEntry.objects.get(action="activity_result.changed")
    assert entry.details["before"] == {"award": "冠军"} and entry.branch_id == branch.pk

    response = post(client, activity, branch, [{**changed, "DELETE": "on"}], initial=1)
    assert response.status_code == 302
    assert not ActivityResult.objects.filter(activity=activity).exists()
    deleted = AuditEntry.objects.get(action="activity_result.deleted")
    assert deleted.details["award"] == "亚军" and deleted.branch_id == branch.pk


def test_it_refuses_an_officer_of_another_branch(client_for, other_branch_officer, branch, activity):
    result = ActivityResult.objects.create(activity=activity, event="女子单打", award="冠军")
    new = {"event": "混双", "award": "季军", "winners": "", "sort_order": "0", "activity": activity.pk}
    response = post(client_for(other_branch_officer), activity, branch, [new])
    assert response.status_code == 404
    with pytest.raises(services.ActivityError):
        services.activity_result_save(
            result=ActivityResult(activity=activity, event="混双", award="季军"),
            actor=other_branch_officer.user,
        )
    result.award = "亚军"
    with pytest.raises(services.ActivityError):
        services.activity_result_save(result=result, actor=other_branch_officer.user)
    with pytest.raises(services.ActivityError):
        services.activity_result_delete(result=result, actor=other_branch_officer.user)
    result.refresh_from_db()
    assert result.award == "冠军"
    assert list(ActivityResult.objects.filter(activity=activity)) == [result]
    assert not AuditEntry.objects.filter(action__startswith="activity_result.").exists()


def test_it_refuses_a_club_leader_who_is_no_officer(club_leader, club, make_activity):
    activity = make_activity(club=club)
    with pytest.raises(services.ActivityError):
        services.activity_result_save(
            result=ActivityResult(activity=activity, event="混双", award="季军"), actor=club_leader.user
        )
    assert not ActivityResult.objects.exists()
