from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Registration
from activities.services import registration_create


def sheet(activity):
    return reverse("activities:sheet", args=[activity.pk])


def attendance(activity):
    return reverse("activities:attendance", args=[activity.pk])


@pytest.fixture
def held(past_activity, member, second_member, officer, second_group):
    second_member.union_group = second_group
    second_member.save(update_fields=["union_group"])
    for person in (member, second_member):
        registration_create(activity=past_activity, member=person, actor=officer.user)
    return past_activity


def test_anonymous_is_sent_to_login(client, held):
    for response in (client.get(sheet(held)), client.post(attendance(held))):
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_officer_gets_a_printable_sheet_with_names_groups_and_a_signature_column(
    client_for, officer, held
):
    response = client_for(officer).get(sheet(held))
    assert response.status_code == 200
    content = response.content.decode()
    assert "中秋游园会 签到表" in content
    assert "李芳" in content and "王强" in content
    assert "数学系工会小组" in content and "学院办公室工会小组" in content
    assert 'class="signature print-only">签名' in content
    assert content.count('type="radio"') == 6  # 出席/缺席/未登记 for each of the two
    assert "@page" in open("static/css/unionhome.css", encoding="utf-8").read()


def test_the_officer_marks_attendance_and_no_shows(client_for, officer, held, member, second_member):
    mine = Registration.objects.get(member=member)
    theirs = Registration.objects.get(member=second_member)
    response = client_for(officer).post(
        attendance(held), {f"r{mine.pk}": "present", f"r{theirs.pk}": "absent"}, follow=True
    )
    assert "出勤已保存，2 人有变化" in response.content.decode()
    assert response.redirect_chain[-1][0] == sheet(held)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.attendance, theirs.attendance) == ("present", "absent")


def test_an_incomplete_form_changes_nothing(client_for, officer, held, member):
    mine = Registration.objects.get(member=member)
    response = client_for(officer).post(attendance(held), {f"r{mine.pk}": "present"})
    assert response.status_code == 200 and "出勤登记有误" in response.content.decode()
    mine.refresh_from_db()
    assert mine.attendance == "unmarked"


def test_the_club_leader_may_use_the_sheet_of_their_clubs_activity(
    client_for, club, club_leader, held, member, second_member
):
    Activity.objects.filter(pk=held.pk).update(club=club)
    client = client_for(club_leader)
    assert client.get(sheet(held)).status_code == 200
    marks = {f"r{r.pk}": "present" for r in Registration.objects.filter(activity=held)}
    assert client.post(attendance(held), marks).status_code == 302
    assert set(Registration.objects.values_list("attendance", flat=True)) == {"present"}


@pytest.mark.parametrize("persona", ["member", "staff_without_permissions", "club_leader"])
def test_members_and_other_clubs_leaders_are_forbidden(client_for, request, persona, held):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(sheet(held)).status_code == 403
    assert client.post(attendance(held), {}).status_code == 403


def test_another_branchs_officer_gets_404(client_for, other_branch_officer, held):
    assert client_for(other_branch_officer).get(sheet(held)).status_code == 404


def test_before_the_day_the_sheet_prints_but_takes_no_marks(client_for, officer, make_activity, member):
    activity = make_activity(starts_at=timezone.now() + timedelta(days=3))
    registration = registration_create(activity=activity, member=member, actor=member.user)
    content = client_for(officer).get(sheet(activity)).content.decode()
    assert "李芳" in content and 'type="radio"' not in content and "活动当天起才能登记出勤" in content
    response = client_for(officer).post(attendance(activity), {f"r{registration.pk}": "present"}, follow=True)
    assert "活动当天起才能登记出勤" in response.content.decode()
    registration.refresh_from_db()
    assert registration.attendance == "unmarked"


def test_the_query_count_does_not_grow_with_the_registrations(
    client_for, officer, past_activity, make_member
):
    client = client_for(officer)
    registration_create(activity=past_activity, member=make_member(name="甲"), actor=officer.user)
    with CaptureQueriesContext(connection) as few:
        client.get(sheet(past_activity))
    for number in range(15):
        registration_create(
            activity=past_activity, member=make_member(name=f"会员{number}"), actor=officer.user
        )
    with CaptureQueriesContext(connection) as many:
        client.get(sheet(past_activity))
    assert len(many) == len(few)
