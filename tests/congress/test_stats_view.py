from django.urls import reverse

from congress import services
from congress.models import Vote

URL = reverse("congress:stats")


def test_it_shows_the_published_figures(
    client_for, replied, second_member, congress_secretary, session, proposer, proposal_data
):
    services.verdict_record(user=replied.proposer.user, proposal=replied, rating="satisfied")
    other = services.proposal_create(user=proposer.user, session=session, data=proposal_data)
    services.proposal_submit(user=proposer.user, proposal=other)
    services.proposal_reject(user=congress_secretary.user, proposal=other, reasons="不属职权")
    response = client_for(second_member).get(URL)
    figures = response.context["figures"][0]
    assert (figures["total"], figures["accepted"], figures["rejected"], figures["decided"]) == (2, 1, 1, 2)
    assert figures["acceptance_rate"] == 50.0
    assert figures["reply_rate"] == 100.0 and figures["on_time"] == 1 and figures["late"] == 0
    assert figures["satisfaction_rate"] == 100.0
    assert figures["categories"] == [{"category__name": "民生保障", "n": 2, "share": 100.0}]
    page = response.content.decode()
    assert "立案率" in page and "50.0%" in page


def test_it_counts_a_late_reply(handling, unit_contact, congress_secretary):
    from datetime import timedelta

    import pytest
    from django.utils import timezone

    from congress.models import Proposal
    from congress.selectors import session_figures
    from congress.services import CongressError

    Proposal.objects.filter(pk=handling.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    with pytest.raises(CongressError):
        services.reply_submit(user=unit_contact.user, proposal=handling, body="迟到", grade="solved")
    reply = services.reply_submit(
        user=congress_secretary.user, proposal=handling, body="代为答复", grade="solved"
    )
    assert not reply.on_time
    figures = session_figures(handling.session)
    assert (figures["on_time"], figures["late"], figures["on_time_rate"]) == (0, 1, 0.0)


def test_it_uses_a_fixed_number_of_queries_per_session(
    client_for, in_review, second_member, django_assert_num_queries
):
    client = client_for(second_member)
    client.get(URL)
    with django_assert_num_queries(14):
        client.get(URL)


def test_it_shows_a_vote_below_the_quorum_as_not_quorate(
    client_for, session, proposer, make_delegate, congress_secretary
):
    delegates = [proposer, *(make_delegate(name=f"代表{i}") for i in range(8))]
    services.session_open(user=congress_secretary.user, session=session)
    services.attendance_record(user=congress_secretary.user, session=session, members=delegates[:6])
    services.vote_record(
        user=congress_secretary.user, session=session, item="年度工作报告", yes=6, no=0, abstain=0
    )
    # Recorded while the quorum held; a later correction of the attendance leaves the vote's own count.
    services.attendance_record(user=congress_secretary.user, session=session, members=delegates[:4])
    Vote.objects.update(present=4)  # a vote taken below the quorum, as an old record could hold
    page = client_for(proposer).get(URL).content.decode()
    assert "年度工作报告" in page and "未达法定人数" in page
    assert ">通过<" not in page
