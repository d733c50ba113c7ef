"""/welfare/mine/ and the /me/ section: the member's own requests, never the officers' notes."""

from django.urls import reverse

from welfare import services


def test_it_lists_only_my_cases_with_their_state(make_case, client_for, member, second_member):
    make_case("reviewed")
    make_case("submitted", applicant=second_member)
    html = client_for(member).get(reverse("welfare:mine")).content.decode()
    assert html.count("welfare/cases/") == 1 and "分工会已审核建档" in html


def test_it_pins_the_query_count(make_case, client_for, member, django_assert_num_queries):
    make_case("closed")
    client = client_for(member)
    client.get(reverse("welfare:mine"))
    with django_assert_num_queries(4):
        client.get(reverse("welfare:mine"))


def test_it_shows_my_cases_on_me_without_internal_notes(make_case, client_for, member, welfare_officer):
    case = make_case("reviewed")
    services.case_add_note(actor=welfare_officer.user, case=case, text="内部备注：再核实收入")
    html = client_for(member).get(reverse("members:me")).content.decode()
    assert "我的困难补助申请" in html and reverse("welfare:case_detail", args=[case.pk]) in html
    assert "再核实收入" not in html


def test_it_shows_other_members_none_of_my_cases_on_me(make_case, client_for, second_member):
    case = make_case("reviewed")
    html = client_for(second_member).get(reverse("members:me")).content.decode()
    assert reverse("welfare:case_detail", args=[case.pk]) not in html
