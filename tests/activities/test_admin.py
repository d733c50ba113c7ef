"""Officers' admin screens: activities, registrations (moves, attendance, export), clubs."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Club, Registration
from tests.activities.conftest import signed_up
from unionhome.models import AuditEntry, Notice

REGISTRATIONS = reverse("admin:activities_registration_changelist")
EXPORT = reverse("admin:activities_registration_export")


def register_url(activity):
    return reverse("admin:activities_activity_register", args=[activity.pk])


def activity_form(branch, **overrides):
    starts = timezone.localtime() + timedelta(days=10)
    data = {
        "branch": branch.pk,
        "club": "",
        "title": "冬季长跑接力赛",
        "category": "sports",
        "description": "",
        "status": "published",
        "starts_at_0": starts.strftime("%Y-%m-%d"),
        "starts_at_1": "15:00:00",
        "ends_at_0": starts.strftime("%Y-%m-%d"),
        "ends_at_1": "17:00:00",
        "place": "东区田径场",
        "audience": "all",
        "capacity": "20",
        "signup_opens_at_0": "",
        "signup_opens_at_1": "",
        "signup_closes_at_0": "",
        "signup_closes_at_1": "",
        "cancel_deadline_0": "",
        "cancel_deadline_1": "",
        "results-TOTAL_FORMS": "0",
        "results-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("url_name", ["activity", "registration", "club"])
def test_members_are_sent_to_the_admin_login_and_staff_without_permissions_are_refused(
    client_for, member, staff_without_permissions, url_name
):
    url = reverse(f"admin:activities_{url_name}_changelist")
    assert client_for(member).get(url).status_code == 302
    assert client_for(staff_without_permissions).get(url).status_code == 403


def test_an_officer_creates_an_activity_through_the_service(client_for, officer, branch):
    response = client_for(officer).post(reverse("admin:activities_activity_add"), activity_form(branch))
    assert response.status_code == 302, response.context["adminform"].form.errors
    activity = Activity.objects.get(title="冬季长跑接力赛")
    assert activity.capacity == 20 and activity.confirmed_count == 0
    assert AuditEntry.objects.filter(action="activity.created", actor=officer.user).exists()


def test_the_form_refuses_a_capacity_below_the_sign_ups_and_groups_without_groups(
    client_for, officer, branch, make_activity, member, second_member
):
    activity = make_activity(capacity=5)
    signed_up(activity, member)
    signed_up(activity, second_member)
    url = reverse("admin:activities_activity_change", args=[activity.pk])
    version = activity.version
    response = client_for(officer).post(url, activity_form(branch, capacity="1", version=version))
    assert response.status_code == 200 and "已有 2 人报名" in response.content.decode()
    response = client_for(officer).post(url, activity_form(branch, audience="groups", version=version))
    assert "请至少选择一个小组" in response.content.decode()
    activity.refresh_from_db()
    assert activity.capacity == 5


def test_raising_capacity_in_admin_seats_the_waitlist_in_order(
    client_for, officer, branch, make_activity, make_member
):
    activity = make_activity(capacity=1, title="冬季长跑接力赛")
    people = [make_member(name=name) for name in ("甲", "乙", "丙")]
    for person in people:
        signed_up(activity, person)
    url = reverse("admin:activities_activity_change", args=[activity.pk])
    response = client_for(officer).post(url, activity_form(branch, capacity="2", version=activity.version))
    assert response.status_code == 302
    statuses = dict(activity.registrations.values_list("member__name", "status"))
    assert statuses == {"甲": "confirmed", "乙": "confirmed", "丙": "waitlisted"}


def test_audience_groups_offer_only_the_officers_branch(client_for, officer, group, other_branch_officer):
    form = client_for(officer).get(reverse("admin:activities_activity_add")).context["adminform"].form
    assert list(form.fields["audience_groups"].queryset) == [group]


def test_the_activity_page_links_to_the_registration_tools(client_for, officer, activity):
    content = client_for(officer).get(reverse("admin:activities_activity_change", args=[activity.pk])).content
    content = content.decode()
    assert register_url(activity) in content and reverse("activities:sheet", args=[activity.pk]) in content
    assert f"{EXPORT}?activity={activity.pk}" in content


def test_an_officer_signs_a_member_up_on_their_behalf(client_for, officer, member, make_activity):
    activity = make_activity(signup_closes_at=timezone.now() - timedelta(hours=1))
    client = client_for(officer)
    assert client.get(register_url(activity)).status_code == 200
    response = client.post(register_url(activity), {"member": member.pk}, follow=True)
    assert "已为 李芳 报名成功" in response.content.decode()
    registration = Registration.objects.get(activity=activity, member=member)
    assert registration.status == "confirmed" and registration.registered_by == officer.user


def test_on_behalf_sign_up_explains_a_refusal_on_the_form(client_for, officer, make_member, make_activity):
    man = make_member(name="王强", gender="M")
    activity = make_activity(audience=Activity.Audience.WOMEN)
    response = client_for(officer).post(register_url(activity), {"member": man.pk})
    assert response.status_code == 200 and "本活动仅面向女会员" in response.content.decode()
    assert not Registration.objects.exists()


def test_other_branches_cannot_reach_the_register_page(client_for, other_branch_officer, activity):
    assert client_for(other_branch_officer).get(register_url(activity)).status_code == 404


def _action(client, action, registrations):
    return client.post(
        REGISTRATIONS, {"action": action, "_selected_action": [r.pk for r in registrations]}, follow=True
    )


def test_moving_between_waitlist_and_confirmed_goes_through_the_services(
    client_for, officer, make_activity, make_member
):
    activity = make_activity(capacity=1)
    seated, first, second = (make_member(name=name) for name in ("甲", "乙", "丙"))
    seat = signed_up(activity, seated)
    waiting = signed_up(activity, first)
    signed_up(activity, second)
    client = client_for(officer)
    response = _action(client, "promote", [waiting])
    assert "名额已满" in response.content.decode()
    response = _action(client, "demote", [seat])
    assert "1 人已移到候补" in response.content.decode()
    statuses = dict(activity.registrations.values_list("member__name", "status"))
    assert statuses == {"甲": "waitlisted", "乙": "confirmed", "丙": "waitlisted"}
    assert [r.member.name for r in activity.registrations.waitlist()] == ["丙", "甲"]
    response = _action(client, "cancel", [activity.registrations.get(member=first)])
    assert "已取消 1 条报名" in response.content.decode()
    assert activity.registrations.get(member=second).status == "confirmed"
    activity.refresh_from_db()
    assert activity.confirmed_count == 1


def test_attendance_actions_mark_confirmed_registrations(
    client_for, officer, past_activity, member, second_member
):
    registrations = [
        signed_up(past_activity, person, actor=officer.user) for person in (member, second_member)
    ]
    response = _action(client_for(officer), "mark_present", registrations[:1])
    assert "已登记 1 人" in response.content.decode()
    _action(client_for(officer), "mark_absent", registrations[1:])
    assert dict(Registration.objects.values_list("member__name", "attendance")) == {
        "李芳": "present",
        "王强": "absent",
    }


def test_registrations_cannot_be_added_or_deleted_by_hand(client_for, officer, activity, member):
    registration = signed_up(activity, member)
    client = client_for(officer)
    assert client.get(reverse("admin:activities_registration_add")).status_code == 403
    assert (
        client.get(reverse("admin:activities_registration_delete", args=[registration.pk])).status_code == 403
    )
    change = reverse("admin:activities_registration_change", args=[registration.pk])
    client.post(change, {"note": "行动不便，需要座位", "status": "cancelled"})
    registration.refresh_from_db()
    assert registration.note == "行动不便，需要座位" and registration.status == "confirmed"


def test_officers_see_only_their_branchs_registrations(client_for, other_branch_officer, activity, member):
    signed_up(activity, member)
    response = client_for(other_branch_officer).get(REGISTRATIONS)
    assert response.context["cl"].result_count == 0


def test_the_registrations_list_shows_waitlist_places_with_a_fixed_number_of_queries(
    client_for, officer, make_activity, make_member, django_assert_max_num_queries
):
    activity = make_activity(capacity=2)
    for number in range(12):
        signed_up(activity, make_member(name=f"会员{number}"))
    client = client_for(officer)
    with django_assert_max_num_queries(14):
        response = client.get(REGISTRATIONS, {"activity": activity.pk})
    assert response.context["cl"].result_count == 12


def test_the_export_is_filtered_by_activity_and_formula_safe(client_for, officer, make_activity, make_member):
    activity = make_activity(title="=cmd|' /C calc'!A0")
    other = make_activity(title="别的活动")
    signed_up(activity, make_member(name="+李芳", phone="-13800000000"))
    signed_up(other, make_member(name="王强"))
    client = client_for(officer)
    response = client.post(
        f"{EXPORT}?activity={activity.pk}",
        {
            "format": "1",
            "resource": "0",
            "registrationresource_activity": "on",
            "registrationresource_name": "on",
            "registrationresource_phone": "on",
            "registrationresource_status": "on",
        },
    )
    assert response.status_code == 200, response.content[:400]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["活动", "姓名", "手机", "状态"]
    assert rows[1:] == [["'=cmd|' /C calc'!A0", "'+李芳", "'-13800000000", "已报名"]]
    response = client.post(
        f"{EXPORT}?activity={activity.pk}",
        {"format": "0", "resource": "0", "registrationresource_name": "on"},
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[2]] == ["'+李芳"]


def test_members_without_export_permission_cannot_export(client_for, staff_without_permissions):
    assert client_for(staff_without_permissions).get(EXPORT).status_code == 403


def test_an_officer_manages_clubs_of_their_branch(
    client_for, officer, branch, club, club_leader, other_branch
):
    Club.objects.create(branch=other_branch, name="物理学院篮球队", kind=Club.Kind.SPORTS)
    response = client_for(officer).get(reverse("admin:activities_club_changelist"))
    assert [c.name for c in response.context["cl"].result_list] == ["羽毛球俱乐部"]
    assert response.context["cl"].result_list[0].n_members == 0


def test_the_register_page_offers_only_members_not_yet_registered(
    client_for, officer, member, second_member, make_member, make_activity
):
    from activities.services import registration_cancel

    activity = make_activity()
    signed_up(activity, member)
    registration_cancel(registration=signed_up(activity, second_member), actor=second_member.user)
    signed_up(make_activity(title="别的活动"), second_member)
    form = client_for(officer).get(register_url(activity)).context["form"]
    offered = set(form.fields["member"].queryset)
    assert member not in offered and second_member in offered and officer in offered


def test_the_activity_list_filters_offer_only_the_branchs_clubs(
    client_for, officer, club, other_branch, make_activity
):
    foreign = Club.objects.create(branch=other_branch, name="物理学院篮球队", kind=Club.Kind.SPORTS)
    make_activity(club=club)
    make_activity(club=foreign, branch=other_branch)
    content = client_for(officer).get(reverse("admin:activities_activity_changelist")).content.decode()
    assert "羽毛球俱乐部" in content and "物理学院篮球队" not in content


def test_an_illegal_status_change_is_refused_on_the_form_not_a_500(
    client_for, officer, branch, make_activity
):
    activity = make_activity(status=Activity.Status.CANCELLED, title="冬季长跑接力赛")
    url = reverse("admin:activities_activity_change", args=[activity.pk])
    response = client_for(officer).post(
        url, activity_form(branch, status="published", version=activity.version)
    )
    assert response.status_code == 200
    assert "已取消的活动不能再发布" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == Activity.Status.CANCELLED


def test_a_published_activity_with_sign_ups_stays_published(
    client_for, officer, branch, make_activity, member
):
    activity = make_activity(title="冬季长跑接力赛")
    signed_up(activity, member)
    url = reverse("admin:activities_activity_change", args=[activity.pk])
    response = client_for(officer).post(url, activity_form(branch, status="draft", version=activity.version))
    assert response.status_code == 200 and "不能改回草稿" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PUBLISHED


def test_a_stale_admin_form_is_refused_and_reloaded_with_the_new_values(
    client_for, officer, branch, make_activity
):
    activity = make_activity(title="冬季长跑接力赛")
    url = reverse("admin:activities_activity_change", args=[activity.pk])
    stale = activity.version
    client = client_for(officer)
    assert client.post(url, activity_form(branch, place="体育馆", version=stale)).status_code == 302
    response = client.post(url, activity_form(branch, place="操场", version=stale), follow=True)
    assert "刚刚被其他人修改过" in response.content.decode()
    assert response.context["adminform"].form["place"].value() == "体育馆"
    activity.refresh_from_db()
    assert activity.place == "体育馆"


def test_status_actions_go_through_the_services(client_for, officer, make_activity, member):
    draft = make_activity(status=Activity.Status.DRAFT, title="草稿")
    published = make_activity(title="要取消的")
    signed_up(published, member)
    url = reverse("admin:activities_activity_changelist")
    client = client_for(officer)
    response = client.post(url, {"action": "publish", "_selected_action": [draft.pk]}, follow=True)
    assert "已发布 1 个活动" in response.content.decode()
    response = client.post(
        url, {"action": "cancel_activities", "_selected_action": [published.pk]}, follow=True
    )
    assert "已取消 1 个活动" in response.content.decode()
    assert Notice.objects.filter(user=member.user, message__contains="已取消").exists()
    response = client.post(url, {"action": "publish", "_selected_action": [published.pk]}, follow=True)
    assert "要取消的：已取消的活动不能再发布" in response.content.decode()
    response = client.post(url, {"action": "finish", "_selected_action": [draft.pk]}, follow=True)
    assert "活动开始后才能标记为已结束" in response.content.decode()
    assert dict(Activity.objects.values_list("title", "status")) == {
        "草稿": "published",
        "要取消的": "cancelled",
    }


def test_another_branchs_activity_with_results_is_not_found(client_for, other_branch_officer, activity):
    from activities.models import ActivityResult

    ActivityResult.objects.create(activity=activity, event="团体赛", award="第一名")
    response = client_for(other_branch_officer).get(
        reverse("admin:activities_activity_change", args=[activity.pk])
    )
    assert response.status_code == 404


def test_a_registration_note_goes_through_the_service(client_for, officer, activity, member):
    registration = signed_up(activity, member)
    change = reverse("admin:activities_registration_change", args=[registration.pk])
    client_for(officer).post(change, {"note": "需要座位"})
    assert AuditEntry.objects.filter(action="registration.noted", branch_id=activity.branch_id).exists()
