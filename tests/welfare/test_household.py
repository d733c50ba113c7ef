"""One application per household per round, checked without an oracle (issue 15, hole 3).

Naming a colleague's staff number on /welfare/apply/ used to answer with the household refusal
when she had a case and succeed otherwise. Now the answer is the same either way; the officers
see the clash flagged on both cases, and only one of them can be decided.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from welfare import services
from welfare.models import AidCase, CaseEvent
from welfare.services import WelfareError

URL = reverse("welfare:apply")


def form(staff_numbers):
    return {
        "track": "annual",
        "ground": "low_income",
        "description": "家庭收入低",
        "household_size": "3",
        "income_per_head": "900",
        "amount_requested": "1000",
        "household_staff_numbers": staff_numbers,
        "consent_to_notice": "on",
        "action": "submit",
    }


def answer(client, staff_number):
    """What the applicant sees: status, where she lands, the messages and the page she lands on."""
    response = client.post(URL, form(staff_number))
    case = AidCase.objects.latest("pk")
    landing = client.get(response["Location"])
    page = landing.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    page = page.replace(f"#{case.pk}", "#N").replace(f"/{case.pk}/", "/N/")
    page = re.sub(r"\d\d:\d\d(:\d\d)?", "hh:mm", page)  # the two posts a second apart
    location = response["Location"].replace(str(case.pk), "N")
    messages = [str(m) for m in get_messages(landing.wsgi_request)] + [
        str(m) for m in landing.context["messages"]
    ]
    return response.status_code, location, messages, page


def test_it_answers_the_same_whether_or_not_the_colleague_has_a_case(
    aid_round, client_for, make_member, make_case
):
    with_case = make_member("2009001", name="甲")
    without_case = make_member("2009002", name="乙")
    make_case("submitted", applicant=with_case)
    asks_about_one = make_member("2009101", name="丙")
    asks_about_other = make_member("2009102", name="丙")

    first = answer(client_for(asks_about_one), with_case.staff_number)
    second = answer(client_for(asks_about_other), without_case.staff_number)

    assert first[0] == second[0] == 302
    assert first == second
    assert "帮扶专员会核对您填写的家庭成员" in " ".join(first[2])
    assert AidCase.objects.filter(member=asks_about_one, state="submitted").exists()
    assert AidCase.objects.filter(member=asks_about_other, state="submitted").exists()


def test_it_flags_the_clash_for_the_officers_on_both_cases(
    aid_round, client_for, member, second_member, make_case
):
    first = make_case("submitted", applicant=second_member)
    client_for(member).post(URL, form(second_member.staff_number))
    second = AidCase.objects.get(member=member)
    first.refresh_from_db()
    assert first.household_clash and second.household_clash
    assert CaseEvent.objects.filter(kind="household", case__in=[first, second]).count() == 2
    # The applicant's own page says nothing about it; the officers' says it.
    applicant_page = client_for(member).get(reverse("welfare:case_detail", args=[second.pk])).content.decode()
    assert "另有申请" not in applicant_page


def test_the_applicant_never_sees_the_household_event(
    aid_round, client_for, member, second_member, make_case
):
    make_case("submitted", applicant=second_member)
    client_for(member).post(URL, form(second_member.staff_number))
    case = AidCase.objects.get(member=member)
    page = client_for(member).get(reverse("welfare:case_detail", args=[case.pk])).content.decode()
    assert str(CaseEvent.Kind.HOUSEHOLD.label) not in page


def test_it_decides_only_one_case_of_a_household(
    aid_round, member, second_member, welfare_officer, make_case
):
    first = make_case("reviewed", applicant=second_member, amount="500")
    second = make_case("reviewed", applicant=member, amount="500", household_members=[second_member])
    first.refresh_from_db()
    assert first.household_clash and second.household_clash
    decide = {"decided_on": timezone.localdate(), "reference": "校工〔2026〕2号", "amount": Decimal(500)}
    services.case_record_decision(actor=welfare_officer.user, case=first, **decide)
    with pytest.raises(WelfareError, match="同一家庭在本批次只能获批一次"):
        services.case_record_decision(
            actor=welfare_officer.user, case=second, **decide, override_reason="急需"
        )
    second.refresh_from_db()
    assert second.state == "reviewed"


def test_it_decides_the_other_once_the_first_is_withdrawn(
    aid_round, member, second_member, welfare_officer, make_case
):
    first = make_case("reviewed", applicant=second_member, amount="500")
    second = make_case("reviewed", applicant=member, amount="500", household_members=[second_member])
    services.case_withdraw(actor=second_member.user, case=first)
    services.case_record_decision(
        actor=welfare_officer.user,
        case=second,
        decided_on=timezone.localdate() - datetime.timedelta(days=1),
        reference="校工〔2026〕3号",
        amount=Decimal(500),
    )
    second.refresh_from_db()
    assert second.state == "decided"
