from django.urls import reverse

from congress.models import Proposal, Suggestion
from unionhome.models import Notice

NEW = reverse("congress:suggestion_new")


def detail(suggestion):
    return reverse("congress:suggestion_detail", args=[suggestion.pk])


def test_it_takes_a_suggestion_from_any_member_and_tells_the_secretaries(
    client_for, second_member, congress_secretary
):
    response = client_for(second_member).post(NEW, {"title": "食堂时间", "body": "希望延长晚餐时间"})
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(suggestion)
    assert suggestion.author == second_member and suggestion.state == "open"
    assert Notice.objects.filter(user=congress_secretary.user, message__contains="食堂时间").exists()


def test_it_shows_form_errors(client_for, second_member):
    response = client_for(second_member).post(NEW, {"title": ""})
    assert response.status_code == 200 and not Suggestion.objects.exists()


def test_it_shows_a_suggestion_to_its_author_and_secretaries_only(
    client_for, second_member, member, congress_secretary, officer, other_branch_officer
):
    client_for(second_member).post(NEW, {"title": "建议", "body": "内容"})
    suggestion = Suggestion.objects.get()
    assert client_for(second_member).get(detail(suggestion)).status_code == 200
    assert client_for(congress_secretary).get(detail(suggestion)).status_code == 200
    for other in (member, officer, other_branch_officer):
        assert client_for(other).get(detail(suggestion)).status_code == 404


def test_it_lets_a_secretary_answer_and_route(
    client_for, second_member, congress_secretary, unit, unit_contact
):
    client_for(second_member).post(NEW, {"title": "建议", "body": "内容"})
    suggestion = Suggestion.objects.get()
    secretary = client_for(congress_secretary)
    secretary.post(detail(suggestion), {"action": "route", "unit": unit.pk})
    suggestion.refresh_from_db()
    assert suggestion.state == "routed" and suggestion.unit == unit
    assert Notice.objects.filter(user=unit_contact.user).exists()
    secretary.post(detail(suggestion), {"action": "answer", "answer": "已安排"})
    suggestion.refresh_from_db()
    assert suggestion.state == "answered" and suggestion.answer == "已安排"
    assert Notice.objects.filter(user=second_member.user, message__contains="已答复").exists()


def test_it_refuses_answers_from_the_author(client_for, second_member):
    client_for(second_member).post(NEW, {"title": "建议", "body": "内容"})
    suggestion = Suggestion.objects.get()
    response = client_for(second_member).post(detail(suggestion), {"action": "answer", "answer": "x"})
    assert response.status_code == 403


def test_it_shows_delegates_the_branchs_suggestions(
    client_for, second_member, proposer, django_assert_num_queries
):
    for n in range(3):
        client_for(second_member).post(NEW, {"title": f"建议{n}", "body": "内容"})
    client = client_for(proposer)
    client.get(reverse("congress:suggestion_list"))
    # session, user, member, current term, delegate seat, count, page, roles
    with django_assert_num_queries(8):
        response = client.get(reverse("congress:suggestion_list"))
    assert len(response.context["page"].object_list) == 3
    assert client.get(detail(Suggestion.objects.first())).status_code == 200


def test_it_lists_only_my_own_for_other_members(client_for, second_member, member):
    client_for(second_member).post(NEW, {"title": "王强的建议", "body": "内容"})
    page = client_for(member).get(reverse("congress:suggestion_list")).content.decode()
    assert "王强的建议" not in page


def test_it_lets_a_delegate_take_it_up_and_the_author_see_it(
    client_for, second_member, proposer, category, session
):
    client_for(second_member).post(NEW, {"title": "体检讲座", "body": "希望组织讲座"})
    suggestion = Suggestion.objects.get()
    take_up = reverse("congress:suggestion_take_up", args=[suggestion.pk])
    assert client_for(second_member).post(take_up).status_code == 403  # the author is no delegate
    assert "转为提案" in client_for(proposer).get(detail(suggestion)).content.decode()
    response = client_for(proposer).post(take_up)
    proposal = Proposal.objects.get()
    assert response["Location"] == reverse("congress:proposal_edit", args=[proposal.pk])
    assert proposal.from_suggestion == suggestion and proposal.proposer == proposer
    suggestion.refresh_from_db()
    assert suggestion.state == "taken_up"
    assert Notice.objects.filter(user=second_member.user, message__contains="转为提案").exists()
