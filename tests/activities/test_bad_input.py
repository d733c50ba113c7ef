"""Bad input never gives a 500: it is ignored or explained (list filters, participation, admin)."""

import pytest
from django.urls import reverse

from tests.activities.conftest import signed_up

LIST = reverse("activities:list")
CLUBS = reverse("activities:club_list")
PARTICIPATION = reverse("activities:participation")

# Non-numbers, out-of-range numbers, years and dates, unknown choices.
JUNK = [
    "abc",
    "-1",
    "1.5",
    "99999999999999999999999",
    "0000-01",
    "9999-12-31",
    "0001-01-01",
    "2026-13-40",
    "%00",
]


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "0000-01", "10000-01", "2026-00"])
def test_an_out_of_range_month_is_explained_not_a_500(client_for, member, activity, month):
    response = client_for(member).get(LIST, {"month": month})
    assert response.status_code == 200
    assert response.context["form"].errors["month"]
    assert activity.title in response.content.decode()  # the other filters still apply


def test_participation_refuses_an_out_of_range_period(client_for, officer):
    response = client_for(officer).get(PARTICIPATION, {"start": "9999-12-31", "end": "9999-12-31"})
    assert response.status_code == 200 and response.context["report"] is None
    assert "请填写 1900 年到 2999 年之间的日期" in response.content.decode()
    response = client_for(officer).get(PARTICIPATION, {"start": "0001-01-01", "end": "0001-01-02"})
    assert response.status_code == 200 and response.context["report"] is None


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999999", ""])
def test_a_superuser_with_a_bad_branch_gets_the_first_branch(client_for, superuser, branch, value):
    response = client_for(superuser).get(PARTICIPATION, {"branch": value})
    assert response.status_code == 200 and response.context["branch"] == branch


@pytest.mark.parametrize("name", ["club", "category", "month", "open", "page"])
def test_junk_in_any_activity_filter_is_ignored(client_for, member, club, activity, name):
    signed_up(activity, member)
    client = client_for(member)
    for value in JUNK:
        response = client.get(LIST, {name: value})
        assert response.status_code == 200, value
        assert activity.title in response.content.decode(), value


def test_junk_on_the_club_list_and_club_page_is_ignored(client_for, member, club):
    client = client_for(member)
    for value in JUNK:
        response = client.get(CLUBS, {"kind": value, "page": value})
        assert response.status_code == 200 and club.name in response.content.decode(), value
        assert client.get(club.get_absolute_url(), {"page": value}).status_code == 200


@pytest.mark.parametrize("name", ["start", "end", "branch", "export"])
def test_junk_in_participation_is_explained_or_ignored(client_for, officer, superuser, name):
    for persona in (officer, superuser):
        client = client_for(persona)
        for value in JUNK:
            response = client.get(PARTICIPATION, {"start": "2026-01-01", "end": "2026-06-30", name: value})
            assert response.status_code == 200, value


# Filters that ignore an unknown value (the list answers 200, maybe empty), and those Django's
# admin refuses with a redirect to ?e=1 ("incorrect lookup parameters").
ADMIN_FILTERS = {
    "activity": {
        "ignored": ["status", "category", "club__id__exact", "q", "o", "p"],
        "refused": ["starts_at__year", "starts_at__month", "starts_at__day"],
    },
    "registration": {"ignored": ["activity", "status", "attendance", "q", "o", "p"], "refused": []},
    "club": {"ignored": ["kind", "q", "o", "p"], "refused": ["is_active__exact"]},
}
# The date hierarchy reads a month only with a year, and a day only with both.
CONTEXT = {
    "starts_at__month": {"starts_at__year": "2026"},
    "starts_at__day": {"starts_at__year": "2026", "starts_at__month": "1"},
}


@pytest.mark.parametrize(
    ("model", "name", "outcome"),
    [
        (model, name, outcome)
        for model, outcomes in ADMIN_FILTERS.items()
        for outcome, names in outcomes.items()
        for name in names
    ],
)
def test_junk_in_admin_filters_is_ignored_or_refused(
    client_for, officer, activity, member, model, name, outcome
):
    signed_up(activity, member)
    client = client_for(officer)
    for value in JUNK:
        response = client.get(
            reverse(f"admin:activities_{model}_changelist"), {**CONTEXT.get(name, {}), name: value}
        )
        if outcome == "ignored":
            assert response.status_code == 200, value
        else:
            assert response.status_code == 302 and response["Location"].endswith("?e=1"), value


@pytest.mark.parametrize("value", ["abc", "99999999999999999999999", "-1", "1 OR 1=1"])
def test_the_registrations_activity_filter_shows_nothing_for_junk(
    client_for, officer, activity, member, value
):
    signed_up(activity, member)
    response = client_for(officer).get(
        reverse("admin:activities_registration_changelist"), {"activity": value}
    )
    assert response.status_code == 200 and response.context["cl"].result_count == 0


@pytest.mark.parametrize(
    "query",
    [
        {"starts_at__year": "9999", "starts_at__month": "12", "starts_at__day": "31"},
        {"starts_at__year": "99999999999999999999999"},
        {"starts_at__year": "1", "starts_at__month": "1", "starts_at__day": "1"},
        {"starts_at__year": "0", "starts_at__month": "1"},
        {"starts_at__year": "2026", "starts_at__month": "13"},
    ],
)
def test_the_date_hierarchy_refuses_a_date_out_of_range(client_for, officer, activity, query):
    response = client_for(officer).get(reverse("admin:activities_activity_changelist"), query)
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
