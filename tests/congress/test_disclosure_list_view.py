import re

import pytest
from django.urls import reverse

from congress.disclosures import services
from congress.models import Disclosure

URL = reverse("disclosures:list")


def test_anonymous_is_sent_to_login_by_default(client, disclosure):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_it_lists_current_published_disclosures_of_the_branch(
    client_for, member, make_disclosure, other_branch, treasurer, second_treasurer
):
    q1 = make_disclosure(title="第一季度")
    make_disclosure(title="上年第一季度", year=2024)
    make_disclosure(title="草稿", period=Disclosure.Period.Q2, state=Disclosure.State.DRAFT)
    make_disclosure(title="待复核", period=Disclosure.Period.Q3, state=Disclosure.State.PENDING)
    make_disclosure(title="外院", branch=other_branch)
    corrected = services.disclosure_correct(disclosure=q1, actor=treasurer.user, reason="更正")
    services.disclosure_submit(disclosure=corrected, actor=treasurer.user)
    services.disclosure_confirm(disclosure=corrected, actor=second_treasurer.user)
    response = client_for(member).get(URL)
    assert response.status_code == 200
    listed = [d.pk for _year, items in response.context["years"] for d in items]
    assert listed == [corrected.pk, Disclosure.objects.get(title="上年第一季度").pk]
    content = response.content.decode()
    assert "收入 78,800.50 元" in content and "第 2 版（已更正）" in content


def test_its_query_count_is_fixed(client_for, member, make_disclosure, django_assert_num_queries):
    for year in (2022, 2023, 2024):
        make_disclosure(year=year)
    client = client_for(member)
    # session, user, member with its branch, roles, the list with its totals
    with django_assert_num_queries(5):
        client.get(URL)
    for year in (2019, 2020, 2021):
        make_disclosure(year=year)
    with django_assert_num_queries(5):
        client.get(URL)


def test_when_public_anyone_sees_the_list_without_portal_links(client, settings, disclosure):
    settings.UNIONHOME_DISCLOSURES_PUBLIC = True
    response = client.get(URL)
    assert response.status_code == 200 and disclosure.title in response.content.decode()
    links = set(re.findall(r'href="([^"#]+)"', response.content.decode()))
    assert all(link.startswith(("/disclosures/", "/static/")) for link in links), links


def test_a_member_of_another_branch_sees_nothing_of_ours(client_for, other_branch_officer, disclosure):
    response = client_for(other_branch_officer).get(URL)
    assert response.status_code == 200 and disclosure.title not in response.content.decode()


@pytest.mark.parametrize("name", ["detail", "pdf", "lines", "compare"])
def test_when_public_every_page_of_a_published_disclosure_opens_without_login(
    client, settings, disclosure, name
):
    settings.UNIONHOME_DISCLOSURES_PUBLIC = True
    kwargs = {"pk": disclosure.pk, **({"fmt": "csv"} if name == "lines" else {})}
    assert client.get(reverse(f"disclosures:{name}", kwargs=kwargs)).status_code == 200
    settings.UNIONHOME_DISCLOSURES_PUBLIC = False
    assert client.get(reverse(f"disclosures:{name}", kwargs=kwargs)).status_code == 302
