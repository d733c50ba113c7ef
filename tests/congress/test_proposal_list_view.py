from datetime import date

from django.urls import reverse

from congress import services
from congress.models import Proposal

URL = reverse("congress:proposal_list")


def _many(draft, proposer, session, proposal_data, n=5):
    services.proposal_submit(user=proposer.user, proposal=draft)
    for i in range(n):
        extra = services.proposal_create(
            user=proposer.user, session=session, data={**proposal_data, "title": f"提案{i}"}
        )
        services.proposal_submit(user=proposer.user, proposal=extra)


def test_it_lists_the_branchs_proposals_in_a_fixed_number_of_queries(
    client_for, second_member, draft, proposer, session, proposal_data, django_assert_num_queries
):
    _many(draft, proposer, session, proposal_data)
    client = client_for(second_member)
    # session, user, member, count, collecting session, roles, the filter's
    # choices (sessions, categories, delegations, units), the page of proposals
    with django_assert_num_queries(11):
        response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 6
    _many(
        services.proposal_create(user=proposer.user, session=session, data=proposal_data),
        proposer,
        session,
        proposal_data,
        n=3,
    )
    with django_assert_num_queries(11):
        client.get(URL)


def test_it_hides_other_peoples_drafts_and_shows_mine(client_for, draft, second_member, proposer):
    assert draft.title not in client_for(second_member).get(URL).content.decode()
    assert draft.title in client_for(proposer).get(URL).content.decode()


def test_it_shows_nothing_of_another_branch(client_for, draft, proposer, other_branch_officer):
    services.proposal_submit(user=proposer.user, proposal=draft)
    response = client_for(other_branch_officer).get(URL)
    assert response.status_code == 200 and draft.title not in response.content.decode()


def test_it_filters_by_state_search_and_overdue(
    client_for, handling, second_member, session, proposer, proposal_data
):
    other = services.proposal_create(
        user=proposer.user, session=session, data={**proposal_data, "title": "停车问题"}
    )
    services.proposal_submit(user=proposer.user, proposal=other)
    client = client_for(second_member)
    page = client.get(URL, {"state": "handling"}).context["page"]
    assert [p.pk for p in page.object_list] == [handling.pk]
    page = client.get(URL, {"q": "停车"}).context["page"]
    assert [p.pk for p in page.object_list] == [other.pk]
    assert list(client.get(URL, {"overdue": "on"}).context["page"].object_list) == []
    Proposal.objects.filter(pk=handling.pk).update(deadline=date(2026, 1, 1))
    response = client.get(URL, {"overdue": "on"})
    assert [p.pk for p in response.context["page"].object_list] == [handling.pk]
    assert "is-overdue" in response.content.decode()


def test_it_filters_by_unit(client_for, handling, support_unit, second_member):
    page = client_for(second_member).get(URL, {"unit": support_unit.pk}).context["page"]
    assert [p.pk for p in page.object_list] == [handling.pk]


def test_it_sends_anonymous_users_to_log_in(client):
    assert client.get(URL).status_code == 302
