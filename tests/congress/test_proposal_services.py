"""congress.services for proposals: every transition and every refusal."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from congress import services
from congress.models import CoSign, Delegate, Proposal, Suggestion, Term
from congress.services import CongressError
from unionhome.models import AuditEntry, Notice


def test_it_lets_a_delegate_draft_in_the_window(draft, proposer):
    assert draft.state == "draft" and draft.number == ""
    assert draft.proposer == proposer and draft.delegation.name == "数学系代表团"
    assert AuditEntry.objects.filter(action="congress.proposal.created").count() == 1


def test_it_refuses_a_non_delegate(second_member, session, proposal_data):
    with pytest.raises(CongressError, match="只有本届代表"):
        services.proposal_create(user=second_member.user, session=session, data=proposal_data)
    assert not Proposal.objects.exists()


def test_it_refuses_a_draft_outside_the_window(proposer, session, proposal_data):
    session.collect_until = timezone.now() - timedelta(hours=1)
    session.save()
    with pytest.raises(CongressError, match="征集期未开放"):
        services.proposal_create(user=proposer.user, session=session, data=proposal_data)


def test_it_numbers_proposals_per_session_on_submission(draft, proposer, session, proposal_data):
    second = services.proposal_create(user=proposer.user, session=session, data=proposal_data)
    services.proposal_submit(user=proposer.user, proposal=second)
    services.proposal_submit(user=proposer.user, proposal=draft)
    second.refresh_from_db()
    draft.refresh_from_db()
    assert (second.number, draft.number) == ("2026-001", "2026-002")
    assert draft.state == "cosigning"


def test_it_turns_a_submission_after_the_window_into_a_suggestion(draft, session, congress_secretary):
    session.collect_until = timezone.now() - timedelta(minutes=1)
    session.save()
    proposal = services.proposal_submit(user=draft.proposer.user, proposal=draft)
    assert proposal.state == "converted" and proposal.number == ""
    suggestion = Suggestion.objects.get(from_proposal=proposal)
    assert suggestion.author == draft.proposer and suggestion.title == draft.title
    assert Notice.objects.filter(user=congress_secretary.user, message__contains=draft.title).exists()


def test_it_invites_cosigners_and_tells_them(draft, cosigners):
    services.proposal_submit(user=draft.proposer.user, proposal=draft, invitees=cosigners)
    assert set(CoSign.objects.filter(proposal=draft, status="invited").values_list("member", flat=True)) == {
        c.pk for c in cosigners
    }
    assert Notice.objects.filter(user=cosigners[0].user, message__contains="邀请您附议").exists()


def test_it_waits_for_the_required_cosigners(draft, cosigners):
    proposal = services.proposal_submit(user=draft.proposer.user, proposal=draft, invitees=cosigners)
    services.cosign_accept(user=cosigners[0].user, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.state == "cosigning"  # 1 of 2
    services.cosign_accept(user=cosigners[1].user, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.state == "review" and not proposal.is_collective


def test_it_accepts_a_cosigner_who_was_not_invited(draft, make_delegate):
    proposal = services.proposal_submit(user=draft.proposer.user, proposal=draft)
    volunteer = make_delegate(name="自愿附议")
    cosign = services.cosign_accept(user=volunteer.user, proposal=proposal)
    assert cosign.status == "accepted" and not cosign.invited


def test_it_refuses_a_cosign_by_a_non_delegate(draft, second_member):
    proposal = services.proposal_submit(user=draft.proposer.user, proposal=draft)
    with pytest.raises(CongressError, match="只有本届代表可以附议"):
        services.cosign_accept(user=second_member.user, proposal=proposal)


def test_it_refuses_inviting_a_non_delegate(draft, second_member):
    with pytest.raises(CongressError, match="不是本届代表"):
        services.proposal_submit(user=draft.proposer.user, proposal=draft, invitees=[second_member])
    draft.refresh_from_db()
    assert draft.state == "draft" and draft.number == ""  # nothing half-written


def test_it_refuses_self_cosign_and_double_cosign(draft, cosigners):
    proposal = services.proposal_submit(user=draft.proposer.user, proposal=draft)
    with pytest.raises(CongressError, match="不能附议自己"):
        services.cosign_accept(user=draft.proposer.user, proposal=proposal)
    services.cosign_accept(user=cosigners[0].user, proposal=proposal)
    with pytest.raises(CongressError, match="已附议"):
        services.cosign_accept(user=cosigners[0].user, proposal=proposal)


def test_it_lets_an_invitee_decline_and_tells_the_proposer(draft, cosigners):
    proposal = services.proposal_submit(user=draft.proposer.user, proposal=draft, invitees=cosigners)
    services.cosign_decline(user=cosigners[0].user, proposal=proposal)
    assert CoSign.objects.get(member=cosigners[0]).status == "declined"
    assert Notice.objects.filter(user=draft.proposer.user, message__contains="谢绝附议").exists()
    with pytest.raises(CongressError, match="没有待答复"):
        services.cosign_decline(user=cosigners[0].user, proposal=proposal)


def test_it_takes_a_delegations_collective_proposal_at_two_thirds(
    settings, make_member, term, session, proposal_data
):
    settings.CONGRESS_REQUIRED_COSIGNERS = 5
    from congress.models import Delegation

    small = Delegation.objects.create(term=term, name="办公室代表团")
    people = [make_member(name=f"代表{i}") for i in range(3)]
    for person in people:
        Delegate.objects.create(term=term, member=person, delegation=small)
    proposal = services.proposal_create(user=people[0].user, session=session, data=proposal_data)
    services.proposal_submit(user=people[0].user, proposal=proposal)
    services.cosign_accept(user=people[1].user, proposal=proposal)  # 2 of 3 = two thirds
    proposal.refresh_from_db()
    assert proposal.state == "review" and proposal.is_collective


def test_it_counts_every_active_member_in_assembly_mode(term, session, second_member, proposal_data):
    term.mode = Term.Mode.ASSEMBLY
    term.save()
    proposal = services.proposal_create(user=second_member.user, session=session, data=proposal_data)
    assert proposal.delegation is None


def test_it_lets_the_proposer_withdraw_before_the_decision(draft):
    proposal = services.proposal_submit(user=draft.proposer.user, proposal=draft)
    services.proposal_withdraw(user=draft.proposer.user, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.state == "withdrawn"


def test_it_refuses_a_withdrawal_after_review(accepted):
    with pytest.raises(CongressError, match="审查之前撤销"):
        services.proposal_withdraw(user=accepted.proposer.user, proposal=accepted)


def test_it_refuses_withdrawal_by_someone_else(in_review, cosigners):
    with pytest.raises(CongressError):
        services.proposal_withdraw(user=cosigners[0].user, proposal=in_review)


def test_it_accepts_with_a_follower_and_tells_the_proposer(in_review, congress_secretary, cosigners):
    Delegate.objects.filter(member=cosigners[0]).update(on_committee=True)
    proposal = services.proposal_accept(
        user=congress_secretary.user, proposal=in_review, reasons="符合立案条件", follower=cosigners[0]
    )
    assert proposal.state == "accepted" and proposal.follower == cosigners[0]
    assert Notice.objects.filter(user=in_review.proposer.user, message__contains="已立案").exists()
    assert AuditEntry.objects.filter(action="congress.proposal.accepted").exists()


def test_it_refuses_review_by_a_non_secretary(in_review, officer):
    with pytest.raises(CongressError, match="教代会秘书"):
        services.proposal_accept(user=officer.user, proposal=in_review)


def test_it_refuses_accepting_twice(accepted, congress_secretary):
    with pytest.raises(CongressError, match="不能这样处理"):
        services.proposal_accept(user=congress_secretary.user, proposal=accepted)


def test_it_merges_keeping_text_and_making_co_proposers(
    in_review, congress_secretary, make_delegate, session, proposal_data
):
    other_author = make_delegate(name="并案代表")
    other = services.proposal_create(
        user=other_author.user, session=session, data={**proposal_data, "title": "饮水机问题"}
    )
    services.proposal_submit(user=other_author.user, proposal=other)
    services.proposal_merge(user=congress_secretary.user, proposal=other, into=in_review, reasons="内容相近")
    other.refresh_from_db()
    assert other.state == "merged" and other.merged_into == in_review and other.title == "饮水机问题"
    assert list(in_review.co_proposers.all()) == [other_author]
    assert in_review.events.filter(kind="merged").exists() and other.events.filter(kind="merged").exists()


def test_it_refuses_merging_into_itself(in_review, congress_secretary):
    with pytest.raises(CongressError, match="另一件提案"):
        services.proposal_merge(user=congress_secretary.user, proposal=in_review, into=in_review)


def test_it_converts_to_a_suggestion(in_review, congress_secretary):
    services.proposal_convert(user=congress_secretary.user, proposal=in_review, reasons="属日常工作")
    in_review.refresh_from_db()
    assert in_review.state == "converted"
    assert in_review.as_suggestion.author == in_review.proposer


def test_it_returns_for_revision_and_takes_it_back(in_review, congress_secretary):
    services.proposal_return(user=congress_secretary.user, proposal=in_review, reasons="请补充措施")
    in_review.refresh_from_db()
    assert in_review.state == "returned"
    services.proposal_update(user=in_review.proposer.user, proposal=in_review, data={"measures": "新措施"})
    services.proposal_submit(user=in_review.proposer.user, proposal=in_review)
    in_review.refresh_from_db()
    assert in_review.state == "review" and in_review.number == "2026-001" and in_review.measures == "新措施"


def test_it_requires_reasons_to_return_or_reject(in_review, congress_secretary):
    with pytest.raises(CongressError, match="理由"):
        services.proposal_return(user=congress_secretary.user, proposal=in_review, reasons=" ")
    with pytest.raises(CongressError, match="理由"):
        services.proposal_reject(user=congress_secretary.user, proposal=in_review, reasons="")


def test_it_rejects_with_reasons(in_review, congress_secretary):
    services.proposal_reject(user=congress_secretary.user, proposal=in_review, reasons="不属于职权范围")
    in_review.refresh_from_db()
    assert in_review.state == "rejected" and in_review.decision_reasons == "不属于职权范围"


def test_it_refuses_editing_after_submission(in_review):
    with pytest.raises(CongressError):
        services.proposal_update(user=in_review.proposer.user, proposal=in_review, data={"title": "x"})


def test_it_assigns_with_the_sessions_deadline_and_tells_the_units(handling, unit_contact, support_contact):
    assert handling.state == "handling" and handling.handling_round == 1
    assert handling.deadline == timezone.localdate() + timedelta(days=30)
    assert Notice.objects.filter(user=unit_contact.user, message__contains="交贵单位办理").exists()
    assert Notice.objects.filter(user=support_contact.user).exists()


def test_it_refuses_assigning_another_branchs_unit(accepted, congress_secretary, other_branch):
    from congress.models import Unit

    foreign = Unit.objects.create(branch=other_branch, name="外院单位")
    with pytest.raises(CongressError, match="本分工会"):
        services.proposal_assign(user=congress_secretary.user, proposal=accepted, lead_unit=foreign)


def test_it_takes_supporting_input_then_the_lead_reply(handling, support_contact, unit_contact):
    services.reply_input(user=support_contact.user, proposal=handling, body="人事处意见")
    with pytest.raises(CongressError, match="协办单位"):
        services.reply_input(user=unit_contact.user, proposal=handling, body="x")
    reply = services.reply_submit(user=unit_contact.user, proposal=handling, body="已解决", grade="solved")
    handling.refresh_from_db()
    assert handling.state == "replied" and reply.on_time and reply.unit.name == "后勤保障处"


def test_it_refuses_a_reply_from_a_supporting_unit_or_a_member(handling, support_contact, second_member):
    for person in (support_contact, second_member):
        with pytest.raises(CongressError, match="主办单位"):
            services.reply_submit(user=person.user, proposal=handling, body="x", grade="solved")


def test_it_lets_the_secretary_reply_on_the_units_behalf(handling, congress_secretary):
    reply = services.reply_submit(
        user=congress_secretary.user, proposal=handling, body="代为答复", grade="planned"
    )
    assert reply.unit == handling.lead_unit and reply.author == congress_secretary


def test_it_locks_replies_after_the_deadline_until_extended(handling, unit_contact, congress_secretary):
    Proposal.objects.filter(pk=handling.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    with pytest.raises(CongressError, match="已锁定"):
        services.reply_submit(user=unit_contact.user, proposal=handling, body="迟到", grade="solved")
    services.proposal_extend_deadline(
        user=congress_secretary.user, proposal=handling, deadline=timezone.localdate() + timedelta(days=7)
    )
    reply = services.reply_submit(
        user=unit_contact.user, proposal=handling, body="延期后答复", grade="solved"
    )
    assert reply.pk


def test_it_flags_overdue_and_tells_the_secretaries_once_a_day(handling, congress_secretary):
    Proposal.objects.filter(pk=handling.pk).update(deadline=date(2026, 1, 1))
    assert Proposal.objects.overdue().count() == 1
    assert services.overdue_notify() == 1
    assert services.overdue_notify() == 0
    assert Notice.objects.filter(user=congress_secretary.user, message__contains="超过答复期限").count() == 1


def test_it_lets_the_unit_update_its_reply(replied, unit_contact):
    services.reply_submit(user=unit_contact.user, proposal=replied, body="进展：已全部更换", grade="solved")
    assert replied.replies.filter(kind="reply").count() == 2
    assert replied.events.filter(kind="replied").count() == 2


def test_it_closes_on_satisfied(replied):
    services.verdict_record(user=replied.proposer.user, proposal=replied, rating="satisfied")
    replied.refresh_from_db()
    assert replied.state == "closed" and replied.closed_at


def test_it_keeps_basic_satisfaction_open_until_the_unit_reports_done(replied, unit_contact):
    services.verdict_record(user=replied.proposer.user, proposal=replied, rating="basic")
    replied.refresh_from_db()
    assert replied.state == "replied"
    services.proposal_report_done(user=unit_contact.user, proposal=replied)
    replied.refresh_from_db()
    assert replied.state == "closed"


def test_it_sends_an_unsatisfied_verdict_back_once_then_closes(replied, unit_contact):
    with pytest.raises(CongressError, match="理由"):
        services.verdict_record(user=replied.proposer.user, proposal=replied, rating="unsatisfied")
    services.verdict_record(
        user=replied.proposer.user, proposal=replied, rating="unsatisfied", reason="未解决"
    )
    replied.refresh_from_db()
    assert replied.state == "handling" and replied.handling_round == 2
    assert Notice.objects.filter(user=unit_contact.user, message__contains="重新办理").exists()
    services.reply_submit(user=unit_contact.user, proposal=replied, body="第二次答复", grade="in_progress")
    services.verdict_record(
        user=replied.proposer.user, proposal=replied, rating="unsatisfied", reason="仍未解决"
    )
    replied.refresh_from_db()
    assert replied.state == "closed" and replied.handling_round == 2
    assert replied.verdicts.filter(rating="unsatisfied").count() == 2


def test_it_refuses_a_verdict_from_others_and_twice(replied, cosigners, settings):
    with pytest.raises(CongressError, match="只有提案人"):
        services.verdict_record(user=cosigners[0].user, proposal=replied, rating="satisfied")
    settings.CONGRESS_COSIGNERS_RATE = True
    services.verdict_record(user=cosigners[0].user, proposal=replied, rating="basic")
    replied.refresh_from_db()
    assert replied.state == "replied"  # a co-signer's verdict is recorded, the proposer's decides
    with pytest.raises(CongressError, match="已评价"):
        services.verdict_record(user=cosigners[0].user, proposal=replied, rating="basic")


def test_it_refuses_a_verdict_before_a_reply(handling):
    with pytest.raises(CongressError, match="待评价"):
        services.verdict_record(user=handling.proposer.user, proposal=handling, rating="satisfied")


def test_it_lets_the_committee_order_rehandling(replied, congress_secretary):
    services.verdict_record(user=replied.proposer.user, proposal=replied, rating="satisfied")
    services.proposal_reopen(user=congress_secretary.user, proposal=replied, reason="落实情况需复查")
    replied.refresh_from_db()
    assert replied.state == "handling" and replied.handling_round == 2 and replied.closed_at is None


def test_it_keeps_a_public_timeline(replied):
    kinds = list(replied.events.filter(is_public=True).values_list("kind", flat=True))
    assert kinds == ["submitted", "cosigned", "cosigned", "ready", "accepted", "assigned", "replied"]


def test_it_refuses_to_close_before_the_proposer_rates(replied, unit_contact, congress_secretary):
    with pytest.raises(CongressError, match="尚未评价"):
        services.proposal_report_done(user=unit_contact.user, proposal=replied)
    with pytest.raises(CongressError, match="评价期至"):
        services.proposal_report_done(user=congress_secretary.user, proposal=replied, reason="联系不上")
    replied.refresh_from_db()
    assert replied.state == "replied"


def test_it_lets_the_secretary_close_unrated_after_the_rating_period_with_a_reason(
    replied, unit_contact, congress_secretary, settings
):
    settings.CONGRESS_RATING_DAYS = 10
    replied.replies.update(created_at=timezone.now() - timedelta(days=11))
    with pytest.raises(CongressError, match="尚未评价"):
        services.proposal_report_done(user=unit_contact.user, proposal=replied)
    with pytest.raises(CongressError, match="写明理由"):
        services.proposal_report_done(user=congress_secretary.user, proposal=replied)
    services.proposal_report_done(
        user=congress_secretary.user, proposal=replied, reason="提案人已退休，无法联系"
    )
    replied.refresh_from_db()
    assert replied.state == "closed"
    assert replied.events.get(kind="done").note == "提案人已退休，无法联系"
    entry = AuditEntry.objects.get(action="congress.proposal.done")
    assert entry.details == {"unrated": True, "reason": "提案人已退休，无法联系"}


def test_it_requires_a_committee_follower_to_accept(in_review, congress_secretary, cosigners, proposer):
    Delegate.objects.filter(member=cosigners[0]).update(on_committee=True)
    with pytest.raises(CongressError, match="请指定包案委员") as refused:
        services.proposal_accept(user=congress_secretary.user, proposal=in_review)
    assert refused.value.field == "follower"
    with pytest.raises(CongressError, match="提案工作委员会委员"):
        services.proposal_accept(user=congress_secretary.user, proposal=in_review, follower=proposer)
    services.proposal_accept(user=congress_secretary.user, proposal=in_review, follower=cosigners[0])
    in_review.refresh_from_db()
    assert in_review.state == "accepted" and in_review.follower == cosigners[0]
