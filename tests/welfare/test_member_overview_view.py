"""/welfare/members/<id>/: a member's visits, benefits, cases and ledger for the branch's welfare officers."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from unionhome.models import AuditEntry
from welfare import services
from welfare.models import Benefit, CareVisit


def url(member):
    return reverse("welfare:member_overview", args=[member.pk])


def test_it_shows_visits_benefits_cases_and_the_ledger(make_case, mfa_client, welfare_officer, member):
    make_case("reviewed")
    today = datetime.date.today()
    services.care_visit_save(
        actor=welfare_officer.user,
        visit=CareVisit(
            branch=member.branch,
            member=member,
            visited_on=today,
            visitors="林秀英",
            occasion="illness",
            gift="水果",
        ),
    )
    services.benefit_save(
        actor=welfare_officer.user,
        benefit=Benefit(
            branch=member.branch,
            member=member,
            kind="hospital",
            event_date=today,
            amount=Decimal(400),
            payment_form="transfer",
        ),
    )
    html = mfa_client(welfare_officer).get(url(member)).content.decode()
    assert "水果" in html and "住院" in html and "分工会已审核建档" in html
    row = re.search(r"住院</th>(.*?)</tr>", html).group(1)
    # Hospitalisation is capped per event (安徽 2018): no yearly remainder.
    assert re.findall(r"<td>([^<]*)</td>", row) == ["1", "400.00", "每次 1000.00", "—"]
    assert AuditEntry.objects.filter(action="welfare.member.viewed").count() == 1


@pytest.mark.parametrize("persona", ["member", "second_member", "officer", "treasurer"])
def test_it_answers_404_to_everybody_else(mfa_client, member, persona, request):
    assert mfa_client(request.getfixturevalue(persona)).get(url(member)).status_code == 404


def test_it_answers_404_to_a_welfare_officer_of_another_branch(
    mfa_client, member, other_branch_welfare_officer
):
    assert mfa_client(other_branch_welfare_officer).get(url(member)).status_code == 404


def test_it_pins_the_query_count(make_case, mfa_client, welfare_officer, member, django_assert_num_queries):
    make_case("paid")
    client = mfa_client(welfare_officer)
    client.get(url(member))
    with django_assert_num_queries(12):
        client.get(url(member))
