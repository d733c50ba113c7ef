"""The POST views: each calls its service, says what happened, and refuses whoever may not act."""

from django.urls import reverse

from congress.models import CoSign, Proposal


def post(client, name, proposal, data=None):
    return client.post(reverse(f"congress:{name}", args=[proposal.pk]), data or {})


def state(proposal):
    return Proposal.objects.get(pk=proposal.pk).state


def test_it_walks_a_proposal_from_draft_to_closed(
    client_for, draft, cosigners, congress_secretary, unit, support_unit, unit_contact
):
    proposer = client_for(draft.proposer)
    response = post(proposer, "proposal_submit", draft, {"invitees": [c.pk for c in cosigners]})
    assert response.status_code == 302 and state(draft) == "cosigning"
    for cosigner in cosigners:
        post(client_for(cosigner), "proposal_cosign", draft)
    assert state(draft) == "review"
    secretary = client_for(congress_secretary)
    post(secretary, "proposal_review", draft, {"action": "accept", "reasons": "同意"})
    assert state(draft) == "accepted"
    post(secretary, "proposal_assign", draft, {"lead_unit": unit.pk, "supporting_units": [support_unit.pk]})
    assert state(draft) == "handling"
    post(client_for(unit_contact), "proposal_reply", draft, {"body": "已落实", "grade": "solved"})
    assert state(draft) == "replied"
    response = post(proposer, "proposal_rate", draft, {"rating": "satisfied"})
    assert state(draft) == "closed"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "评价已提交。" in messages


def test_it_shows_the_services_refusal_as_a_message(client_for, draft, second_member):
    post(client_for(draft.proposer), "proposal_submit", draft)
    response = post(client_for(second_member), "proposal_cosign", draft)
    assert response.status_code == 302
    assert "只有本届代表可以附议。" in [str(m) for m in response.wsgi_request._messages]
    assert not CoSign.objects.exists()


def test_it_refuses_staff_actions_to_members(client_for, in_review, second_member, officer, unit):
    for person in (second_member, officer, in_review.proposer):
        assert post(client_for(person), "proposal_review", in_review, {"action": "accept"}).status_code == 403
        assert (
            post(client_for(person), "proposal_assign", in_review, {"lead_unit": unit.pk}).status_code == 403
        )
    assert state(in_review) == "review"


def test_it_answers_404_to_another_branch(client_for, in_review, other_branch_officer):
    assert post(client_for(other_branch_officer), "proposal_cosign", in_review).status_code == 404


def test_it_requires_a_merge_target(client_for, in_review, congress_secretary):
    response = post(client_for(congress_secretary), "proposal_review", in_review, {"action": "merge"})
    assert state(in_review) == "review"
    assert any("并案时请选择" in str(m) for m in response.wsgi_request._messages)


def test_it_lets_the_proposer_withdraw_and_an_invitee_decline(client_for, draft, cosigners):
    post(client_for(draft.proposer), "proposal_submit", draft, {"invitees": [cosigners[0].pk]})
    post(client_for(cosigners[0]), "proposal_decline", draft)
    assert CoSign.objects.get().status == "declined"
    post(client_for(draft.proposer), "proposal_withdraw", draft)
    assert state(draft) == "withdrawn"


def test_it_edits_a_draft_on_the_form(client_for, draft, category):
    client = client_for(draft.proposer)
    edit = reverse("congress:proposal_edit", args=[draft.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit, {"title": "新案由", "reasons": "新理由", "measures": "新措施", "category": category.pk}
    )
    assert response.status_code == 302 and Proposal.objects.get(pk=draft.pk).title == "新案由"


def test_it_refuses_editing_someone_elses_or_a_submitted_proposal(client_for, in_review, cosigners):
    edit = reverse("congress:proposal_edit", args=[in_review.pk])
    assert client_for(in_review.proposer).get(edit).status_code == 403
    assert client_for(cosigners[0]).get(edit).status_code == 403


def test_it_extends_and_reopens(client_for, handling, congress_secretary):
    client = client_for(congress_secretary)
    post(client, "proposal_extend", handling, {"deadline": "2099-01-01"})
    assert str(Proposal.objects.get(pk=handling.pk).deadline) == "2099-01-01"
    post(client, "proposal_reopen", handling, {"reason": "复查"})
    assert Proposal.objects.get(pk=handling.pk).handling_round == 2


def test_it_takes_supporting_input_and_reports_done(client_for, handling, support_contact, unit_contact):
    post(client_for(support_contact), "proposal_input", handling, {"body": "协办意见"})
    assert handling.replies.filter(kind="input").count() == 1
    post(client_for(unit_contact), "proposal_reply", handling, {"body": "答复", "grade": "planned"})
    post(client_for(handling.proposer), "proposal_rate", handling, {"rating": "basic"})
    assert state(handling) == "replied"
    post(client_for(unit_contact), "proposal_done", handling)
    assert state(handling) == "closed"


def test_it_requires_a_follower_when_the_committee_has_members(
    client_for, in_review, congress_secretary, cosigners
):
    from congress.models import Delegate

    Delegate.objects.filter(member=cosigners[0]).update(on_committee=True)
    client = client_for(congress_secretary)
    response = post(client, "proposal_review", in_review, {"action": "accept"})
    assert state(in_review) == "review"
    assert any("包案委员" in str(m) for m in response.wsgi_request._messages)
    post(client, "proposal_review", in_review, {"action": "accept", "follower": cosigners[0].pk})
    assert Proposal.objects.get(pk=in_review.pk).follower == cosigners[0]


def test_it_keeps_the_rating_form_when_the_unit_reports_done_at_once(client_for, handling, unit_contact):
    """The probe's replay (hole 4): the unit replies and at once reports the proposal done."""
    unit = client_for(unit_contact)
    post(unit, "proposal_reply", handling, {"body": "答复", "grade": "solved"})
    response = post(unit, "proposal_done", handling)
    assert state(handling) == "replied"
    assert any("尚未评价" in str(m) for m in response.wsgi_request._messages)
    page = client_for(handling.proposer).get(reverse("congress:proposal_detail", args=[handling.pk]))
    assert page.context["rate_form"] is not None
    assert reverse("congress:proposal_rate", args=[handling.pk]) in page.content.decode()
