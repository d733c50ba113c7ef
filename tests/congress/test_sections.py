from django.urls import reverse

from congress import services


def test_it_shows_my_proposals_cosignatures_and_suggestions_on_me(client_for, draft, cosigners):
    services.proposal_submit(user=draft.proposer.user, proposal=draft, invitees=cosigners)
    services.suggestion_submit(user=draft.proposer.user, title="我的建议", body="内容")
    page = client_for(draft.proposer).get(reverse("members:me")).content.decode()
    assert "我的提案与意见建议" in page and draft.title in page and "我的建议" in page
    invited = client_for(cosigners[0]).get(reverse("members:me")).content.decode()
    assert "我的附议" in invited and draft.title in invited and "已邀请" in invited


def test_it_shows_a_merged_proposals_co_proposer_the_survivor(
    client_for, in_review, congress_secretary, make_delegate, session, proposal_data
):
    other_author = make_delegate(name="并案代表")
    other = services.proposal_create(
        user=other_author.user, session=session, data={**proposal_data, "title": "同类提案"}
    )
    services.proposal_submit(user=other_author.user, proposal=other)
    services.proposal_merge(user=congress_secretary.user, proposal=other, into=in_review)
    page = client_for(other_author).get(reverse("members:me")).content.decode()
    assert in_review.title in page and "同类提案" in page
