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
