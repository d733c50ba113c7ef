"""/congress/sessions/<id>/: quorum (2/3 of delegates) and votes (more than half of ALL delegates)."""

import pytest
from django.urls import reverse

from congress import selectors, services
from congress.models import Attendance, Delegate, Term, Vote
from congress.selectors import VoteOutcome, quorum_of
from congress.services import CongressError
from unionhome.models import AuditEntry


@pytest.fixture
def nine_delegates(proposer, make_delegate):
    return [proposer] + [make_delegate(name=f"代表{i}") for i in range(8)]


@pytest.fixture
def opened(session, nine_delegates, congress_secretary):
    return services.session_open(user=congress_secretary.user, session=session)


def outcome(yes, *, delegates=9, present=6, quorum=6, needed=5):
    vote = Vote(item="x", yes=yes, no=0, abstain=0, present=present)
    return VoteOutcome(vote=vote, delegates=delegates, quorum=quorum, needed=needed)


def url(session):
    return reverse("congress:session_detail", args=[session.pk])


def test_it_needs_two_thirds_of_the_delegates_for_a_quorum(
    opened, session, nine_delegates, congress_secretary
):
    services.attendance_record(user=congress_secretary.user, session=session, members=nine_delegates[:5])
    quorum = quorum_of(session)
    assert (quorum.delegates, quorum.present, quorum.required, quorum.met) == (9, 5, 6, False)
    services.attendance_record(user=congress_secretary.user, session=session, members=nine_delegates[:6])
    assert quorum_of(session).met


def test_it_reads_the_quorum_share_from_the_settings(settings, session, nine_delegates, congress_secretary):
    settings.CONGRESS_QUORUM = (1, 2)
    services.session_open(user=congress_secretary.user, session=session)
    services.attendance_record(user=congress_secretary.user, session=session, members=nine_delegates[:5])
    assert quorum_of(session).required == 5 and quorum_of(session).met


def test_it_passes_a_vote_only_with_more_than_half_of_all_delegates():
    # 9 delegates, 6 present: 4 yes of 6 present is a majority of those present, not of all.
    assert not outcome(4).passed and outcome(4).label == "未通过"
    assert outcome(5).passed and outcome(5).label == "通过"
    assert services.majority_needed(10, half_counts=False) == 6
    assert services.majority_needed(9, half_counts=False) == 5


def test_it_counts_half_of_all_delegates_when_the_setting_says_so(
    settings, session, nine_delegates, make_delegate, congress_secretary
):
    assert services.majority_needed(10, half_counts=True) == 5
    delegates = [*nine_delegates, make_delegate(name="第十位代表")]
    settings.CONGRESS_MAJORITY_HALF_COUNTS = True
    services.session_open(user=congress_secretary.user, session=session)
    services.attendance_record(user=congress_secretary.user, session=session, members=delegates[:7])
    services.vote_record(user=congress_secretary.user, session=session, item="决议", yes=5, no=2, abstain=0)
    session.refresh_from_db()
    assert session.majority_required == 5 and selectors.vote_outcomes(session)[0].passed


def test_it_never_shows_a_vote_below_the_quorum_as_passed():
    below = outcome(9, present=5)
    assert not below.passed and below.status == "no_quorum" and below.label == "未达法定人数"


def test_it_says_why_a_vote_failed(client_for, session, nine_delegates, congress_secretary):
    secretary = client_for(congress_secretary)
    secretary.post(url(session), {"action": "open"})
    secretary.post(url(session), {"action": "attendance", "present": [m.pk for m in nine_delegates[:6]]})
    assert Attendance.objects.filter(session=session).count() == 6
    secretary.post(url(session), {"action": "vote", "item": "年度工作报告", "yes": 4, "no": 2, "abstain": 0})
    page = client_for(nine_delegates[0]).get(url(session)).content.decode()
    assert "已达到法定人数" in page and "未通过" in page
    assert "全体代表 9 人，通过至少须 5 票" in page


def test_it_refuses_more_votes_than_attendees(opened, session, nine_delegates, congress_secretary):
    services.attendance_record(user=congress_secretary.user, session=session, members=nine_delegates[:6])
    with pytest.raises(CongressError, match="超过出席人数"):
        services.vote_record(user=congress_secretary.user, session=session, item="x", yes=6, no=1, abstain=0)


def test_it_refuses_a_vote_below_the_quorum(client_for, opened, session, nine_delegates, congress_secretary):
    services.attendance_record(user=congress_secretary.user, session=session, members=nine_delegates[:5])
    with pytest.raises(CongressError, match="未达法定人数 6 人"):
        services.vote_record(user=congress_secretary.user, session=session, item="x", yes=5, no=0, abstain=0)
    response = client_for(congress_secretary).post(
        url(session), {"action": "vote", "item": "决议", "yes": 5, "no": 0, "abstain": 0}
    )
    assert response.status_code == 200 and not Vote.objects.exists()
    assert "未达法定人数" in response.content.decode()


def test_it_refuses_attendance_and_votes_before_the_session_opens(
    session, nine_delegates, congress_secretary
):
    with pytest.raises(CongressError, match="请先开会"):
        services.attendance_record(user=congress_secretary.user, session=session, members=nine_delegates)
    with pytest.raises(CongressError, match="请先开会"):
        services.vote_record(user=congress_secretary.user, session=session, item="x", yes=1, no=0, abstain=0)


def test_it_opens_a_session_once_and_audits_it(opened, congress_secretary):
    assert (opened.delegates_count, opened.quorum_required, opened.majority_required) == (9, 6, 5)
    entry = AuditEntry.objects.get(action="congress.session.opened")
    assert entry.details == {"delegates": 9, "quorum": 6, "majority": 5}
    with pytest.raises(CongressError, match="已开会"):
        services.session_open(user=congress_secretary.user, session=opened)


def test_it_refuses_opening_to_others(session, nine_delegates, officer):
    with pytest.raises(CongressError, match="教代会秘书"):
        services.session_open(user=officer.user, session=session)


def test_it_keeps_a_past_result_when_delegates_change_later(
    opened, session, nine_delegates, make_delegate, congress_secretary
):
    services.attendance_record(user=congress_secretary.user, session=session, members=nine_delegates[:6])
    services.vote_record(user=congress_secretary.user, session=session, item="决议", yes=5, no=1, abstain=0)
    for i in range(5):
        make_delegate(name=f"新代表{i}")
    Delegate.objects.filter(member=nine_delegates[8]).delete()
    session.refresh_from_db()
    quorum = quorum_of(session)
    (result,) = selectors.vote_outcomes(session)
    assert (quorum.delegates, quorum.required, quorum.met) == (9, 6, True)
    assert result.passed and result.needed == 5


def test_it_refuses_attendance_of_a_non_delegate(opened, session, second_member, congress_secretary):
    with pytest.raises(CongressError, match="不是本届代表"):
        services.attendance_record(user=congress_secretary.user, session=session, members=[second_member])


def test_it_counts_every_active_member_in_assembly_mode(
    term, session, second_member, member, congress_secretary
):
    term.mode = Term.Mode.ASSEMBLY
    term.save()
    services.session_open(user=congress_secretary.user, session=session)
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
    with django_assert_num_queries(17) as first:
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
