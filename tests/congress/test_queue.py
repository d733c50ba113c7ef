"""The congress part of the work queue (待办): the secretary's proposals (review, replies due and
overdue, ratings pending) and the disclosures waiting for the second person."""

import datetime

from django.urls import reverse
from django.utils import timezone

from congress.disclosures.models import Disclosure
from congress.disclosures.selectors import confirm_queue
from congress.models import Proposal
from congress.selectors import secretary_queue

QUEUE = reverse("admin_queue")


def test_it_lists_a_proposal_to_review(in_review, congress_secretary):
    (row,) = secretary_queue(congress_secretary.user)
    assert row["proposal"].pk == in_review.pk and "审查" in str(row["next_step"])


def test_it_lists_a_reply_due_and_marks_it_overdue(handling, congress_secretary):
    (row,) = secretary_queue(congress_secretary.user)
    assert row["due"] == handling.deadline and row["overdue"] is False
    Proposal.objects.filter(pk=handling.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    (row,) = secretary_queue(congress_secretary.user)
    assert row["overdue"] is True and "逾期" in str(row["next_step"])


def test_it_lists_a_rating_pending_with_its_due_day(replied, congress_secretary, settings):
    (row,) = secretary_queue(congress_secretary.user)
    assert "评价" in str(row["next_step"])
    assert row["due"] == timezone.localdate() + datetime.timedelta(days=settings.CONGRESS_RATING_DAYS)


def test_it_lists_nothing_for_other_roles(in_review, unit_contact, treasurer):
    assert secretary_queue(unit_contact.user) == []
    assert secretary_queue(treasurer.user) == []


def test_it_gives_the_disclosure_to_the_second_person_only(make_disclosure, treasurer, second_treasurer):
    pending = make_disclosure(state=Disclosure.State.PENDING)  # submitted by treasurer
    assert confirm_queue(treasurer.user) == []
    (row,) = confirm_queue(second_treasurer.user)
    assert row["disclosure"].pk == pending.pk


def test_it_shows_the_secretarys_queue_page_with_overdue_marked(handling, client_for, congress_secretary):
    Proposal.objects.filter(pk=handling.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=2))
    page = client_for(congress_secretary).get(QUEUE).content.decode()
    row = page.split('class="queue-item queue-overdue"')[1].split("</tr>")[0]
    assert reverse("admin:congress_proposal_change", args=[handling.pk]) in row and "已逾期" in row


def test_it_pins_the_query_count(make_disclosure, client_for, second_treasurer, django_assert_num_queries):
    make_disclosure(state=Disclosure.State.PENDING)
    client = client_for(second_treasurer)
    client.get(QUEUE)
    with django_assert_num_queries(7) as captured:
        client.get(QUEUE)
    make_disclosure(state=Disclosure.State.PENDING, period=Disclosure.Period.Q2)
    with django_assert_num_queries(len(captured.captured_queries)):
        client.get(QUEUE)


def test_it_shows_next_step_and_due_in_the_proposal_list_and_filters_overdue(
    handling, in_review_other, client_for, congress_secretary
):
    Proposal.objects.filter(pk=handling.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=2))
    client = client_for(congress_secretary)
    changelist = reverse("admin:congress_proposal_changelist")
    page = client.get(changelist).content.decode()
    assert "催办：主办单位答复已逾期" in page and 'class="queue-overdue-label"' in page
    late = client.get(changelist, {"todo": "overdue"}).context["cl"].result_list
    assert [p.pk for p in late] == [handling.pk]
    mine = {p.pk for p in client.get(changelist, {"todo": "mine"}).context["cl"].result_list}
    assert mine == {handling.pk}  # the other one still collects co-signatures: not the secretary's


def test_it_filters_the_disclosure_list_to_what_waits_for_me(
    make_disclosure, client_for, treasurer, second_treasurer
):
    pending = make_disclosure(state=Disclosure.State.PENDING)
    make_disclosure(period=Disclosure.Period.Q2)
    changelist = reverse("admin:congress_disclosure_changelist")
    mine = client_for(second_treasurer).get(changelist, {"todo": "mine"}).context["cl"].result_list
    assert [d.pk for d in mine] == [pending.pk]
    assert list(client_for(treasurer).get(changelist, {"todo": "mine"}).context["cl"].result_list) == []
    assert "复核并公开" in client_for(treasurer).get(changelist).content.decode()
