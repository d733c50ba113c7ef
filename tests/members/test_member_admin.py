import pytest
from django.urls import reverse

CHANGELIST = reverse("admin:members_member_changelist")


def test_it_lists_and_searches_members_for_an_officer(officer, member, second_member, client_for):
    client = client_for(officer)
    html = client.get(CHANGELIST, {"q": "李芳"}).content.decode()
    assert member.staff_number in html and second_member.staff_number not in html
    html = client.get(CHANGELIST, {"q": "2008002"}).content.decode()
    assert second_member.name in html


def test_it_filters_by_status_group_and_age_band(officer, member, client_for, make_member):
    from datetime import date

    retiree = make_member("R0001", name="退休甲", status="retired", birth_date=date(1958, 1, 1))
    client = client_for(officer)
    html = client.get(CHANGELIST, {"status__exact": "retired"}).content.decode()
    assert retiree.staff_number in html and member.staff_number not in html
    html = client.get(CHANGELIST, {"age_band": "60"}).content.decode()
    assert retiree.staff_number in html and member.staff_number not in html
    html = client.get(CHANGELIST, {"union_group__id__exact": str(member.union_group_id)}).content.decode()
    assert member.staff_number in html


def test_it_shows_an_officer_only_their_branch(officer, other_branch_officer, member, client_for):
    html = client_for(other_branch_officer).get(CHANGELIST).content.decode()
    assert member.staff_number not in html and other_branch_officer.staff_number in html
    change_url = reverse("admin:members_member_change", args=[member.pk])
    assert (
        client_for(other_branch_officer).get(change_url).status_code == 404
    )  # another branch's record: 404, like one that does not exist
    assert client_for(officer).get(change_url).status_code == 200


def test_it_shows_a_superuser_every_branch(superuser, member, other_branch_officer, client_for):
    html = client_for(superuser).get(CHANGELIST).content.decode()
    assert member.staff_number in html and other_branch_officer.staff_number in html


def test_it_gives_403_to_members_and_staff_without_permission(member, staff_without_permissions, client_for):
    # A non-staff member is sent to the admin login, which refuses signed-in non-staff users.
    assert client_for(member).get(CHANGELIST, follow=True).status_code == 403
    assert client_for(staff_without_permissions).get(CHANGELIST).status_code == 403


def test_it_creates_the_login_account_when_an_officer_adds_a_member(officer, group, client_for):
    from members.models import Member

    response = client_for(officer).post(
        reverse("admin:members_member_add"),
        {
            "staff_number": "2020001",
            "name": "新会员",
            "gender": "F",
            "birth_date": "1995-05-05",
            "status": "active",
            "branch": str(officer.branch_id),
            "union_group": str(group.pk),
            "department": "",
            "title": "",
            "joined_union_on": "",
            "phone": "",
            "email": "new1@example.edu.cn",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Member.objects.get(staff_number="2020001")
    assert created.user.username == "2020001" and not created.user.has_usable_password()


def test_it_lists_members_in_a_constant_number_of_queries(
    officer, client_for, make_member, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(officer)
    client.get(CHANGELIST)  # warm up session and content types
    with CaptureQueriesContext(connection) as few:
        client.get(CHANGELIST)
    for number in range(30):
        make_member(f"Q{number:04d}", name=f"会员{number}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(CHANGELIST).status_code == 200
    assert len(many) == len(few)


def change_form_data(member, **changes):
    data = {
        "staff_number": member.staff_number,
        "name": member.name,
        "gender": member.gender,
        "birth_date": member.birth_date.isoformat(),
        "status": member.status,
        "branch": str(member.branch_id),
        "union_group": str(member.union_group_id),
        "department": str(member.department_id or ""),
        "title": member.title,
        "joined_union_on": "",
        "phone": member.phone,
        "email": member.email,
    }
    data.update(changes)
    return data


def change_url(member):
    return reverse("admin:members_member_change", args=[member.pk])


def test_it_shows_an_officer_the_login_email_read_only(officer, member, client_for):
    html = client_for(officer).get(change_url(member)).content.decode()
    assert 'name="email"' not in html and member.email in html


def test_it_shows_an_address_taken_by_another_account_on_the_field(
    superuser, member, second_member, client_for
):
    response = client_for(superuser).post(
        change_url(member), change_form_data(member, email="2008002@EXAMPLE.edu.cn")
    )
    assert response.status_code == 200
    assert "已被其他账号使用" in str(response.context["adminform"].form.errors["email"])
    member.refresh_from_db()
    assert member.email == "2008001@example.edu.cn"


def test_it_deactivates_the_login_when_the_status_becomes_left_and_restores_it(officer, member, client_for):
    admin_client = client_for(officer)
    members_client = client_for(member)
    response = admin_client.post(change_url(member), change_form_data(member, status="left"))
    assert response.status_code == 302
    member.user.refresh_from_db()
    assert not member.user.is_active
    assert members_client.get("/me/").status_code == 302
    member.refresh_from_db()
    assert (
        admin_client.post(change_url(member), change_form_data(member, status="retired")).status_code == 302
    )
    member.user.refresh_from_db()
    assert member.user.is_active


def test_it_reports_a_refusal_that_arises_while_saving_without_a_500(
    officer, member, client_for, monkeypatch
):
    from members import admin as members_admin
    from members.services import MemberError

    def refuse(**kwargs):
        raise MemberError("已被另一位委员修改")

    monkeypatch.setattr(members_admin, "member_save", refuse)
    response = client_for(officer).post(
        change_url(member), change_form_data(member, title="教授"), follow=True
    )
    assert response.status_code == 200 and "已被另一位委员修改" in response.content.decode()
    member.refresh_from_db()
    assert member.title == ""


@pytest.mark.parametrize("value", ["abc", "5", "", "60x", "-1"])
def test_it_ignores_an_age_band_that_names_no_band(value, officer, member, client_for):
    response = client_for(officer).get(CHANGELIST, {"age_band": value})
    assert response.status_code == 200 and member.staff_number in response.content.decode()
