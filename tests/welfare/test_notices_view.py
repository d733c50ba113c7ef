"""/welfare/notices/: name, union group and amount only, members of the branch, between its dates."""

import datetime

from django.urls import reverse
from django.utils import timezone

from welfare.models import AidCase, CaseEvent

URL = reverse("welfare:notices")


def test_it_lists_name_group_and_amount_only(make_case, client_for, second_member, settings):
    settings.WELFARE_SUPERVISION_PHONE = "0551-12345678"
    case = make_case("notice")
    html = client_for(second_member).get(URL).content.decode()
    assert case.member.name in html and str(case.member.union_group) in html and "1000.00" in html
    assert "0551-12345678" in html
    assert "肺部手术" not in html and "本人大病" not in html and case.member.staff_number not in html


def test_it_shows_the_ground_only_when_the_setting_says_so(make_case, client_for, second_member, settings):
    settings.WELFARE_NOTICE_SHOWS_GROUND = True
    make_case("notice")
    assert "本人大病" in client_for(second_member).get(URL).content.decode()


def test_it_hides_the_notice_from_other_branches(make_case, client_for, other_branch_officer):
    case = make_case("notice")
    assert case.member.name not in client_for(other_branch_officer).get(URL).content.decode()


def test_it_shows_only_cases_between_the_notice_dates(make_case, client_for, second_member):
    case = make_case("notice")
    AidCase.objects.filter(pk=case.pk).update(
        notice_starts_on=timezone.localdate() + datetime.timedelta(days=1),
        notice_ends_on=timezone.localdate() + datetime.timedelta(days=8),
    )
    assert case.member.name not in client_for(second_member).get(URL).content.decode()
    AidCase.objects.filter(pk=case.pk).update(
        notice_starts_on=timezone.localdate() - datetime.timedelta(days=9),
        notice_ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert case.member.name not in client_for(second_member).get(URL).content.decode()


def test_it_never_lists_a_case_that_is_not_in_notice(make_case, client_for, second_member):
    case = make_case("approved")
    assert case.member.name not in client_for(second_member).get(URL).content.decode()


def test_it_takes_a_confidential_objection(make_case, client_for, second_member, welfare_officer):
    case = make_case("notice")
    response = client_for(second_member).post(
        reverse("welfare:notice_objection", args=[case.pk]), {"text": "申请人另有房产出租"}
    )
    assert response.status_code == 302
    event = case.events.get(kind=CaseEvent.Kind.OBJECTION)
    assert event.comment == "申请人另有房产出租" and event.actor == second_member.user


def test_it_refuses_an_objection_from_another_branch(make_case, client_for, other_branch_officer):
    case = make_case("notice")
    response = client_for(other_branch_officer).post(
        reverse("welfare:notice_objection", args=[case.pk]), {"text": "异议"}
    )
    assert response.status_code == 404
    assert not case.events.filter(kind=CaseEvent.Kind.OBJECTION).exists()


def test_it_pins_the_query_count(
    make_case, client_for, second_member, make_member, django_assert_num_queries
):
    make_case("notice")
    make_case("notice", applicant=make_member(name="赵敏"))
    client = client_for(second_member)
    client.get(URL)
    with django_assert_num_queries(4):
        client.get(URL)
