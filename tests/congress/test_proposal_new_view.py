from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from congress.models import Proposal

URL = reverse("congress:proposal_new")


def test_it_lets_a_delegate_save_a_draft(client_for, proposer, session, category, unit):
    client = client_for(proposer)
    assert client.get(URL).status_code == 200
    response = client.post(
        URL,
        {
            "title": "案由",
            "reasons": "理由",
            "measures": "措施",
            "category": category.pk,
            "suggested_unit": unit.pk,
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert proposal.state == "draft" and proposal.session == session


def test_it_shows_form_errors_on_the_page(client_for, proposer, session):
    response = client_for(proposer).post(URL, {"title": ""})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Proposal.objects.exists()


def test_it_refuses_a_non_delegate_and_points_to_suggestions(client_for, second_member, session):
    response = client_for(second_member).get(URL)
    assert response.status_code == 403
    assert reverse("congress:suggestion_new") in response.content.decode()
    assert client_for(second_member).post(URL, {"title": "x"}).status_code == 403


def test_it_refuses_outside_the_window(client_for, proposer, session):
    session.collect_until = timezone.now() - timedelta(minutes=1)
    session.save()
    response = client_for(proposer).get(URL)
    assert response.status_code == 403 and "没有正在征集提案的会议" in response.content.decode()
