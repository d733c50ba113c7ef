"""/congress/sessions/<id>/: quorum (2/3 of delegates) and votes (more than half of ALL delegates)."""

import pytest
from django.urls import reverse

from congress import services
from congress.models import Attendance, Term, Vote
from congress.selectors import VoteOutcome, quorum_of
from congress.services import CongressError


@pytest.fixture
def nine_delegates(proposer, make_delegate):
    return [proposer] + [make_delegate(name=f"代表{i}") for i in range(8)]


def url(session):
    return reverse("congress:session_detail", args=[session.pk])


def test_it_needs_two_thirds_of_the_delegates_for_a_quorum(session, nine_delegates, congress_secretary):
    services.attendance_record(user=congress_secretary.user, session=session, members=nine_delegates[:5])
    quorum = quorum_of(session)
    assert (quorum.delegates, quorum.present, quorum.required, quorum.met) == (9, 5, 6, False)
    services.attendance_record(user=congress_secretary.user, session=session, members=nine_delegates[:6])
    assert quorum_of(session).met


def test_it_reads_the_quorum_share_from_the_settings(settings, session, nine_delegates, congress_secretary):
    settings.CONGRESS_QUORUM = (1, 2)
    services.attendance_record(user=congress_secretary.user, session=session, members=nine_delegates[:5])
    assert quorum_of(session).required == 5 and quorum_of(session).met


def test_it_passes_a_vote_only_with_more_than_half_of_all_delegates(session):
    # 9 delegates, 6 present: 4 yes of 6 present is a majority of those present, not of all.
    assert not VoteOutcome(Vote(session=session, item="x", yes=4, no=2, abstain=0), delegates=9).passed
    assert VoteOutcome(Vote(session=session, item="x", yes=5, no=1, abstain=0), delegates=9).passed
    assert VoteOutcome(Vote(session=session, item="x", yes=5, no=0, abstain=0), delegates=10).needed == 6


def test_it_says_why_a_vote_failed(client_for, session, nine_delegates, congress_secretary):
    secretary = client_for(congress_secretary)
    secretary.post(url(session), {"action": "attendance", "present": [m.pk for m in nine_delegates[:6]]})
    assert Attendance.objects.filter(session=session).count() == 6
    secretary.post(url(session), {"action": "vote", "item": "年度工作报告", "yes": 4, "no": 2, "abstain": 0})
    page = client_for(nine_delegates[0]).get(url(session)).content.decode()
    assert "已达到法定人数" in page and "未通过" in page
    assert "须超过全体代表 9 人的半数，即至少 5 票" in page


def test_it_refuses_more_votes_than_attendees(session, nine_delegates, congress_secretary):
    services.attendance_record(user=congress_secretary.user, session=session, members=nine_delegates[:3])
    with pytest.raises(CongressError, match="超过出席人数"):
        services.vote_record(user=congress_secretary.user, session=session, item="x", yes=3, no=1, abstain=0)


def test_it_refuses_attendance_of_a_non_delegate(session, second_member, congress_secretary):
    with pytest.raises(CongressError, match="不是本届代表"):
        services.attendance_record(user=congress_secretary.user, session=session, members=[second_member])


def test_it_counts_every_active_member_in_assembly_mode(
    term, session, second_member, member, congress_secretary
):
    term.mode = Term.Mode.ASSEMBLY
    term.save()
    services.attendance_record(user=congress_secretary.user, session=session, members=[second_member, member])
    quorum = quorum_of(session)
    assert quorum.delegates == 3 and quorum.present == 2 and quorum.met  # member, second_member, secretary


def test_it_refuses_recording_to_members(client_for, session, second_member):
    response = client_for(second_member).post(
        url(session), {"action": "vote", "item": "x", "yes": 1, "no": 0, "abstain": 0}
    )
    assert response.status_code == 403 and not Vote.objects.exists()


def test_it_lists_the_sessions_proposals_in_a_fixed_number_of_queries(
    client_for, in_review, second_member, session, proposer, proposal_data, django_assert_num_queries
):
    client = client_for(second_member)
    client.get(url(session))
    with django_assert_num_queries(18) as first:
        client.get(url(session))
    for i in range(3):
        extra = services.proposal_create(
            user=proposer.user, session=session, data={**proposal_data, "title": f"x{i}"}
        )
        services.proposal_submit(user=proposer.user, proposal=extra)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url(session))


def test_it_answers_404_to_another_branch(client_for, session, other_branch_officer):
    assert client_for(other_branch_officer).get(url(session)).status_code == 404
