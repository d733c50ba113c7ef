from django.urls import reverse

from congress.models import Proposal


def test_it_accepts_selected_proposals_through_the_service(client_for, congress_secretary, in_review):
    response = client_for(congress_secretary).post(
        reverse("admin:congress_proposal_changelist"),
        {"action": "accept_selected", "_selected_action": [in_review.pk]},
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get(pk=in_review.pk)
    assert proposal.state == "accepted" and proposal.events.filter(kind="accepted").exists()


def test_it_shows_proposals_read_only(client_for, congress_secretary, in_review):
    client = client_for(congress_secretary)
    page = client.get(reverse("admin:congress_proposal_change", args=[in_review.pk]))
    assert page.status_code == 200
    client.post(reverse("admin:congress_proposal_change", args=[in_review.pk]), {"title": "改掉"})
    assert Proposal.objects.get(pk=in_review.pk).title == in_review.title


def test_it_keeps_the_category_list_to_superusers(client_for, congress_secretary, superuser):
    url = reverse("admin:congress_proposalcategory_changelist")
    assert client_for(congress_secretary).get(url).status_code == 403
    assert client_for(superuser).get(url).status_code == 200


def test_it_lets_the_secretary_manage_sessions_and_units(client_for, congress_secretary, session, unit):
    client = client_for(congress_secretary)
    assert client.get(reverse("admin:congress_session_change", args=[session.pk])).status_code == 200
    assert client.get(reverse("admin:congress_unit_change", args=[unit.pk])).status_code == 200
    assert client.get(reverse("admin:congress_delegate_changelist")).status_code == 200


def test_it_refuses_the_accept_action_without_a_follower_when_the_committee_has_members(
    client_for, congress_secretary, in_review, cosigners
):
    from congress.models import Delegate

    Delegate.objects.filter(member=cosigners[0]).update(on_committee=True)
    response = client_for(congress_secretary).post(
        reverse("admin:congress_proposal_changelist"),
        {"action": "accept_selected", "_selected_action": [in_review.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert Proposal.objects.get(pk=in_review.pk).state == "review"
    assert any("包案委员" in str(m) for m in response.context["messages"])
