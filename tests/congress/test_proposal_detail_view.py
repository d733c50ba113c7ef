from django.urls import reverse

from congress import services


def url(proposal):
    return reverse("congress:proposal_detail", args=[proposal.pk])


def test_it_shows_a_submitted_proposal_and_its_public_timeline_to_any_member(
    client_for, in_review, second_member
):
    response = client_for(second_member).get(url(in_review))
    page = response.content.decode()
    assert response.status_code == 200
    assert "2026-001" in page and in_review.title in page and "周代表" in page
    kinds = [event.kind for event in response.context["events"]]
    assert kinds == ["submitted", "cosigned", "cosigned", "ready"]  # private steps (invitations) hidden
    assert "提案工作委员会审查" not in page  # no staff forms for members


def test_it_shows_the_proposer_private_steps(client_for, in_review):
    kinds = [event.kind for event in client_for(in_review.proposer).get(url(in_review)).context["events"]]
    assert "invited" in kinds and "created" in kinds


def test_it_hides_a_draft_from_everyone_but_its_proposer(
    client_for, draft, second_member, congress_secretary
):
    assert client_for(draft.proposer).get(url(draft)).status_code == 200
    assert client_for(second_member).get(url(draft)).status_code == 404
    assert client_for(congress_secretary).get(url(draft)).status_code == 404


def test_it_answers_404_to_another_branch(client_for, in_review, other_branch_officer):
    assert client_for(other_branch_officer).get(url(in_review)).status_code == 404


def test_it_offers_the_secretary_the_review_form(client_for, in_review, congress_secretary):
    page = client_for(congress_secretary).get(url(in_review)).content.decode()
    assert "提案工作委员会审查" in page and reverse("congress:proposal_review", args=[in_review.pk]) in page


def test_it_offers_an_invited_delegate_accept_and_decline(client_for, draft, cosigners):
    services.proposal_submit(user=draft.proposer.user, proposal=draft, invitees=cosigners)
    page = client_for(cosigners[0]).get(url(draft)).content.decode()
    assert reverse("congress:proposal_decline", args=[draft.pk]) in page
    assert reverse("congress:proposal_cosign", args=[draft.pk]) in page


def test_it_offers_no_cosign_to_a_non_delegate(client_for, draft, second_member):
    services.proposal_submit(user=draft.proposer.user, proposal=draft)
    page = client_for(second_member).get(url(draft)).content.decode()
    assert reverse("congress:proposal_cosign", args=[draft.pk]) not in page


def test_it_offers_the_unit_contact_the_reply_form_and_hides_input_from_members(
    client_for, handling, unit_contact, support_contact, second_member
):
    services.reply_input(user=support_contact.user, proposal=handling, body="人事处内部意见")
    page = client_for(unit_contact).get(url(handling)).content.decode()
    assert reverse("congress:proposal_reply", args=[handling.pk]) in page and "人事处内部意见" in page
    assert "人事处内部意见" not in client_for(second_member).get(url(handling)).content.decode()


def test_it_asks_the_proposer_to_rate_a_reply(client_for, replied):
    page = client_for(replied.proposer).get(url(replied)).content.decode()
    assert reverse("congress:proposal_rate", args=[replied.pk]) in page and "已更换饮水机" in page


def test_it_renders_html_in_a_title_as_text(client_for, in_review, second_member):
    from congress.models import Proposal

    Proposal.objects.filter(pk=in_review.pk).update(title='<img src="file:///etc/passwd">')
    page = client_for(second_member).get(url(in_review)).content.decode()
    assert '<img src="file:///etc/passwd">' not in page and "&lt;img src=" in page
