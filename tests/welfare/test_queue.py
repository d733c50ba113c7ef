"""The welfare part of the officers' work queue (待办, /admin/queue/): her branch's cases waiting
for her, with next step, waiting since, due and overdue; only with her second factor."""

import datetime

from django.urls import reverse
from django.utils import timezone

from welfare import selectors, services
from welfare.models import AidCase

QUEUE = reverse("admin_queue")


def steps_of(rows, case):
    return [str(row["next_step"]) for row in rows if row["case"].pk == case.pk]


def test_it_lists_what_waits_for_the_welfare_officer(make_case, welfare_officer, second_member):
    submitted = make_case("submitted")
    decided = make_case("decided", applicant=second_member)  # reviewed by welfare_officer
    rows = selectors.officer_queue(welfare_officer.user)
    assert steps_of(rows, submitted) == ["录入工会小组意见"]
    # The four-eyes rule: the approval waits for another officer, not for her who reviewed it.
    assert steps_of(rows, decided) == []


def test_it_gives_the_second_officer_the_approval(make_case, second_welfare_officer):
    decided = make_case("decided")
    rows = selectors.officer_queue(second_welfare_officer.user)
    assert steps_of(rows, decided) == ["批准（四眼原则：由审核建档人以外的帮扶专员）"]


def test_it_shows_the_notice_ending_and_then_the_payment(make_case, welfare_officer):
    case = make_case("notice")
    rows = selectors.officer_queue(welfare_officer.user)
    (row,) = [r for r in rows if r["case"].pk == case.pk]
    assert str(row["next_step"]) == "公示结束后登记发放" and row["due"] == case.notice_ends_on
    later = case.notice_ends_on + datetime.timedelta(days=1)
    (row,) = [
        r for r in selectors.officer_queue(welfare_officer.user, today=later) if r["case"].pk == case.pk
    ]
    assert str(row["next_step"]) == "公示已结束：登记发放"


def test_it_marks_a_yearly_review_overdue(make_case, welfare_officer):
    case = make_case("paid")
    services.case_set_review_date(
        actor=welfare_officer.user, case=case, due_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    rows = [r for r in selectors.officer_queue(welfare_officer.user) if str(r["next_step"]) == "年度复核"]
    assert rows[0]["overdue"] is True


def test_it_never_lists_her_own_case_or_another_branchs(
    make_case, welfare_officer, other_branch_welfare_officer, aid_round
):
    own = make_case("submitted", applicant=welfare_officer)
    assert steps_of(selectors.officer_queue(welfare_officer.user), own) == []
    assert selectors.officer_queue(other_branch_welfare_officer.user) == []


def test_it_shows_the_queue_page_with_overdue_in_words_and_a_class(make_case, mfa_client, welfare_officer):
    case = make_case("paid")
    AidCase.objects.filter(pk=case.pk).update(review_due_on=timezone.localdate() - datetime.timedelta(days=1))
    page = mfa_client(welfare_officer).get(QUEUE).content.decode()
    assert reverse("admin:welfare_aidcase_change", args=[case.pk]) in page
    row = page.split('class="queue-item queue-overdue"')[1].split("</tr>")[0]
    assert "年度复核" in row and "已逾期" in row
    assert "李芳" not in page  # no name: the case number only


def test_it_counts_the_queue_on_the_admin_index(make_case, mfa_client, welfare_officer):
    make_case("submitted")
    page = mfa_client(welfare_officer).get(reverse("admin:index")).content.decode()
    summary = page.split('id="work-queue-summary"')[1].split("</div>")[0]
    assert "待办：1 项" in summary and QUEUE in summary


def test_it_lists_no_welfare_item_without_the_second_factor(make_case, client_for, welfare_officer):
    case = make_case("submitted")
    response = client_for(welfare_officer).get(QUEUE)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="queue-item' not in page
    assert reverse("admin:welfare_aidcase_change", args=[case.pk]) not in page


def test_it_pins_the_query_count(
    make_case, mfa_client, welfare_officer, second_member, django_assert_num_queries
):
    make_case("submitted")
    client = mfa_client(welfare_officer)
    client.get(QUEUE)
    with django_assert_num_queries(9) as captured:
        client.get(QUEUE)
    make_case("reviewed", applicant=second_member)
    with django_assert_num_queries(len(captured.captured_queries)):
        client.get(QUEUE)  # more cases, the same queries


CASES = reverse("admin:welfare_aidcase_changelist")


def test_it_shows_next_step_waiting_since_and_due_in_the_case_list(make_case, mfa_client, welfare_officer):
    case = make_case("notice")
    page = mfa_client(welfare_officer).get(CASES).content.decode()
    assert "公示结束后登记发放" in page and case.notice_ends_on.isoformat() in page
    assert "等待自" in page and "期限" in page


def test_it_filters_the_case_list_to_mine_to_do_and_overdue(
    make_case, mfa_client, welfare_officer, second_member
):
    waiting = make_case("submitted")
    decided = make_case("decided", applicant=second_member)  # she reviewed it: not hers to approve
    client = mfa_client(welfare_officer)
    mine = client.get(CASES, {"todo": "mine"}).context["cl"].result_list
    assert [c.pk for c in mine] == [waiting.pk]
    assert decided.pk not in [c.pk for c in mine]
    AidCase.objects.filter(pk=waiting.pk).update(
        review_due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    late = client.get(CASES, {"todo": "overdue"}).context["cl"].result_list
    assert [c.pk for c in late] == [waiting.pk]
    assert 'class="queue-overdue-label"' in client.get(CASES).content.decode()
