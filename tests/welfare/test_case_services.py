"""Every transition of a hardship case, every refusal, four eyes, caps, budget and the audit trail."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from tests.welfare.conftest import png
from unionhome import workdays
from unionhome.models import AuditEntry
from welfare import services
from welfare.models import AidCase, CaseEvent
from welfare.services import WelfareError

State = AidCase.State


def test_it_walks_a_case_from_draft_to_closed_with_a_timeline_and_audit(make_case):
    case = make_case("closed")
    assert case.state == State.CLOSED
    assert case.paid_amount == Decimal("1000") and case.ended_at is not None
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == [
        "created",
        "submitted",
        "group_opinion",
        "reviewed",
        "decided",
        "approved",
        "notice",
        "paid",
        "closed",
    ]
    assert all(event.actor_id for event in case.events.all())
    actions = set(AuditEntry.objects.filter(target_id=str(case.pk)).values_list("action", flat=True))
    assert {
        "welfare.case.submitted",
        "welfare.case.approved",
        "welfare.case.paid",
        "welfare.case.closed",
    } <= actions


def test_it_never_copies_health_free_text_into_the_audit_trail(make_case):
    case = make_case("closed")
    services.case_add_note(actor=case.reviewed_by, case=case, text="病情恶化，需再次化疗")
    for entry in AuditEntry.objects.filter(target_id=str(case.pk)):
        blob = f"{entry.target_repr} {entry.details}"
        assert "手术" not in blob and "化疗" not in blob and "情况属实" not in blob
        assert case.member.name not in blob


def test_it_refuses_steps_out_of_order(make_case, welfare_officer):
    case = make_case("submitted")
    with pytest.raises(WelfareError, match="不能进行这一步"):
        services.case_approve(actor=welfare_officer.user, case=case)
    with pytest.raises(WelfareError, match="不能进行这一步"):
        services.case_pay(
            actor=welfare_officer.user, case=case, paid_on=timezone.localdate(), amount=Decimal(1)
        )
    with pytest.raises(WelfareError, match="不能进行这一步"):
        services.case_submit(actor=case.member.user, case=case)
    case.refresh_from_db()
    assert case.state == State.SUBMITTED


def test_it_refuses_approval_by_the_reviewer_four_eyes(make_case, welfare_officer):
    case = make_case("decided")
    with pytest.raises(WelfareError, match="另一位帮扶专员"):
        services.case_approve(actor=welfare_officer.user, case=case)
    case.refresh_from_db()
    assert case.state == State.DECIDED


def test_it_approves_by_another_welfare_officer(make_case, second_welfare_officer):
    case = make_case("decided")
    services.case_approve(actor=second_welfare_officer.user, case=case)
    case.refresh_from_db()
    assert case.state == State.APPROVED and case.approved_by == second_welfare_officer.user


def test_it_refuses_the_steps_to_officers_without_the_welfare_role(make_case, officer, member):
    case = make_case("submitted")
    with pytest.raises(WelfareError, match="帮扶专员"):
        services.case_record_group_opinion(actor=officer.user, case=case, opinion="同意")
    with pytest.raises(WelfareError, match="帮扶专员"):
        services.case_record_group_opinion(actor=member.user, case=case, opinion="同意")


def test_it_refuses_welfare_officers_of_another_branch(make_case, other_branch_welfare_officer):
    case = make_case("submitted")
    with pytest.raises(WelfareError):
        services.case_record_group_opinion(actor=other_branch_welfare_officer.user, case=case, opinion="同意")


def test_it_requires_the_opinion_review_and_decision_facts(make_case, welfare_officer):
    actor = welfare_officer.user
    case = make_case("submitted")
    with pytest.raises(WelfareError, match="工会小组意见"):
        services.case_record_group_opinion(actor=actor, case=case, opinion="  ")
    services.case_record_group_opinion(actor=actor, case=case, opinion="同意")
    with pytest.raises(WelfareError, match="排除情形"):
        services.case_review(actor=actor, case=case, exclusion_checks="", meeting_on=None, decided_by="")
    with pytest.raises(WelfareError, match="集体审核"):
        services.case_review(actor=actor, case=case, exclusion_checks="无", meeting_on=None, decided_by="")
    services.case_review(
        actor=actor, case=case, exclusion_checks="无", meeting_on=timezone.localdate(), decided_by="委员会"
    )
    case.refresh_from_db()
    assert case.reviewed_by == actor and case.review_due_on > timezone.localdate()
    with pytest.raises(WelfareError, match="日期和文号"):
        services.case_record_decision(
            actor=actor, case=case, decided_on=None, reference="", amount=Decimal(1)
        )


def test_it_refuses_an_amount_above_the_cap_unless_a_reason_is_given(make_case, welfare_officer):
    actor = welfare_officer.user
    case = make_case("reviewed", amount="2500")
    with pytest.raises(WelfareError, match="每次最多 2,000.00 元"):
        services.case_record_decision(
            actor=actor, case=case, decided_on=timezone.localdate(), reference="1号", amount=Decimal("2500")
        )
    services.case_record_decision(
        actor=actor,
        case=case,
        decided_on=timezone.localdate(),
        reference="1号",
        amount=Decimal("2500"),
        override_reason="校工会特批",
    )
    override = case.events.get(kind=CaseEvent.Kind.OVERRIDE)
    assert "校工会特批" in override.comment and "2,000.00" in override.comment


def test_it_refuses_an_amount_beyond_the_remaining_budget(
    make_case, welfare_officer, aid_round, second_member
):
    aid_round.budget = Decimal("1500")
    aid_round.save()
    make_case("decided", amount="1000")
    case = make_case("reviewed", applicant=second_member, amount="1000")
    with pytest.raises(WelfareError, match="预算余额 500.00 元"):
        services.case_record_decision(
            actor=welfare_officer.user,
            case=case,
            decided_on=timezone.localdate(),
            reference="2号",
            amount=Decimal(1000),
        )


def test_it_flags_a_second_application_from_the_same_household(aid_round, member, second_member):
    services.case_create(
        actor=member.user,
        member=member,
        round=aid_round,
        ground="low_income",
        amount_requested=Decimal("1000"),
        household_members=[second_member],
        submit=True,
    )
    case = services.case_create(
        actor=second_member.user,
        member=second_member,
        round=aid_round,
        ground="low_income",
        amount_requested=Decimal("1000"),
    )
    services.case_submit(actor=second_member.user, case=case)
    assert set(AidCase.objects.values_list("state", "household_clash")) == {("submitted", True)}


def test_it_refuses_a_second_annual_application_by_the_same_member(make_case, member, aid_round):
    make_case("submitted")
    with pytest.raises(WelfareError, match="已经有一份申请"):
        services.case_create(
            actor=member.user, member=member, round=aid_round, ground="other", amount_requested=Decimal(1)
        )


def test_it_has_a_database_constraint_against_two_annual_cases(make_case, member, aid_round):
    make_case("submitted")
    with pytest.raises(IntegrityError):
        AidCase.objects.create(
            branch=member.branch, round=aid_round, member=member, ground="other", amount_requested=Decimal(1)
        )


def test_it_accepts_an_emergency_case_outside_the_window(aid_round, member):
    aid_round.opens_on = aid_round.closes_on = timezone.localdate() - datetime.timedelta(days=30)
    aid_round.save()
    with pytest.raises(WelfareError, match="申请时间"):
        services.case_create(
            actor=member.user,
            member=member,
            round=aid_round,
            ground="accident",
            amount_requested=Decimal(1000),
            submit=True,
        )
    case = services.case_create(
        actor=member.user,
        member=member,
        round=aid_round,
        ground="accident",
        track="emergency",
        amount_requested=Decimal(1000),
        submit=True,
    )
    assert case.state == State.SUBMITTED


def test_it_lets_only_welfare_officers_apply_on_behalf(
    aid_round, member, second_member, officer, welfare_officer
):
    with pytest.raises(WelfareError, match="只能为自己申请"):
        services.case_create(
            actor=officer.user, member=member, round=aid_round, ground="other", amount_requested=Decimal(1)
        )
    case = services.case_create(
        actor=welfare_officer.user,
        member=second_member,
        round=aid_round,
        ground="other",
        amount_requested=Decimal(1),
        submit=True,
    )
    assert case.created_by == welfare_officer.user and case.state == State.SUBMITTED
    assert case.events.first().comment == "帮扶专员代为录入"


def test_it_writes_nothing_when_the_submission_is_refused(aid_round, member, tmp_path, settings):
    aid_round.opens_on = aid_round.closes_on = timezone.localdate() - datetime.timedelta(days=30)
    aid_round.save()
    with pytest.raises(WelfareError):
        services.case_create(
            actor=member.user,
            member=member,
            round=aid_round,
            ground="other",
            amount_requested=Decimal(1),
            files=[png()],
            submit=True,
        )
    assert not AidCase.objects.exists()
    stored = list(settings.WELFARE_PRIVATE_ROOT.rglob("*")) if settings.WELFARE_PRIVATE_ROOT.exists() else []
    assert not [path for path in stored if path.is_file()]


def test_it_rejects_with_reasons_the_applicant_sees(make_case, welfare_officer):
    case = make_case("reviewed")
    with pytest.raises(WelfareError, match="理由"):
        services.case_reject(actor=welfare_officer.user, case=case, reasons=" ")
    services.case_reject(actor=welfare_officer.user, case=case, reasons="收入高于困难线")
    case.refresh_from_db()
    assert case.state == State.REJECTED and case.rejection_reasons == "收入高于困难线"
    assert case.member.user.notices.filter(message__contains="未获批准").exists()
    with pytest.raises(WelfareError):
        services.case_reject(actor=welfare_officer.user, case=case, reasons="again")


def test_it_lets_the_applicant_withdraw_before_approval_only(make_case, member):
    case = make_case("decided")
    services.case_withdraw(actor=member.user, case=case)
    case.refresh_from_db()
    assert case.state == State.WITHDRAWN


def test_it_refuses_withdrawal_after_approval(make_case, member, second_member):
    case = make_case("approved")
    with pytest.raises(WelfareError, match="批准后不能撤回"):
        services.case_withdraw(actor=member.user, case=case)
    with pytest.raises(WelfareError, match="没有找到"):
        services.case_withdraw(actor=member.user, case=make_case("draft", applicant=second_member))


def test_it_needs_consent_to_notice_or_a_reason_not_to(make_case, welfare_officer):
    actor = welfare_officer.user
    case = make_case("approved", consent=False)
    with pytest.raises(WelfareError, match="没有同意公示"):
        services.case_start_notice(actor=actor, case=case)
    with pytest.raises(WelfareError, match="请先公示"):
        services.case_pay(actor=actor, case=case, paid_on=timezone.localdate(), amount=Decimal(1000))
    services.case_skip_notice(actor=actor, case=case, reason="涉及病情隐私，集体决定不公示")
    services.case_pay(actor=actor, case=case, paid_on=timezone.localdate(), amount=Decimal(1000))
    case.refresh_from_db()
    assert case.state == State.PAID
    assert case.events.filter(kind=CaseEvent.Kind.NO_NOTICE, comment__contains="隐私").exists()


def test_it_notices_for_the_configured_working_days_and_pays_only_afterwards(
    make_case, welfare_officer, settings
):
    settings.WELFARE_NOTICE_WORKING_DAYS = 5
    actor = welfare_officer.user
    case = make_case("approved")
    today = timezone.localdate()
    services.case_start_notice(actor=actor, case=case, starts_on=today)
    case.refresh_from_db()
    assert case.notice_ends_on == workdays.add_working_days(today, 5)
    assert case.notice_ends_on >= today + datetime.timedelta(days=4)
    with pytest.raises(WelfareError, match="公示到"):
        services.case_pay(actor=actor, case=case, paid_on=today, amount=Decimal(1000))


def test_it_refuses_paying_more_than_approved(make_case, welfare_officer):
    case = make_case("approved", consent=False)
    services.case_skip_notice(actor=welfare_officer.user, case=case, reason="不公示")
    with pytest.raises(WelfareError, match="不能超过批准金额"):
        services.case_pay(
            actor=welfare_officer.user, case=case, paid_on=timezone.localdate(), amount=Decimal(5000)
        )


def test_it_takes_an_objection_during_the_notice_to_the_welfare_officers(
    make_case, second_member, welfare_officer
):
    case = make_case("notice")
    services.case_object(actor=second_member.user, case=case, text="申请人家里新买了车")
    event = case.events.get(kind=CaseEvent.Kind.OBJECTION)
    assert event.actor == second_member.user
    assert welfare_officer.user.notices.filter(message__contains="异议").exists()
    entry = AuditEntry.objects.get(action="welfare.case.objection")
    assert "车" not in str(entry.details)


def test_it_refuses_an_objection_outside_the_notice(make_case, second_member, other_branch_officer):
    case = make_case("approved")
    with pytest.raises(WelfareError, match="公示已经结束"):
        services.case_object(actor=second_member.user, case=case, text="异议")
    noticed = make_case("notice", applicant=second_member)
    with pytest.raises(WelfareError, match="公示已经结束"):
        services.case_object(actor=other_branch_officer.user, case=noticed, text="异议")


def test_it_treats_a_welfare_officer_who_applies_as_an_applicant(
    aid_round, welfare_officer, second_welfare_officer
):
    own = services.case_create(
        actor=welfare_officer.user,
        member=welfare_officer,
        round=aid_round,
        ground="relative_illness",
        amount_requested=Decimal(1000),
        submit=True,
    )
    with pytest.raises(WelfareError, match="不能办理自己的申请"):
        services.case_record_group_opinion(actor=welfare_officer.user, case=own, opinion="同意")
    from welfare.access import handled_cases

    assert not handled_cases(AidCase.objects.all(), welfare_officer.user).filter(pk=own.pk).exists()
    services.case_record_group_opinion(actor=second_welfare_officer.user, case=own, opinion="同意")
