import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congress.disclosures import services
from congress.models import Disclosure
from unionhome.models import AuditEntry, Notice


def test_it_submits_a_draft_and_tells_the_other_treasurer(
    disclosure_draft, treasurer, second_treasurer, chair
):
    services.disclosure_submit(disclosure=disclosure_draft, actor=treasurer.user)
    disclosure_draft.refresh_from_db()
    assert (
        disclosure_draft.state == Disclosure.State.PENDING and disclosure_draft.submitted_by == treasurer.user
    )
    assert AuditEntry.objects.filter(
        action="disclosure.submitted", target_id=str(disclosure_draft.pk)
    ).exists()
    told = set(Notice.objects.values_list("user__username", flat=True))
    assert told == {second_treasurer.user.username, chair.user.username}


def test_the_submitter_cannot_confirm_alone_four_eyes(disclosure_draft, treasurer):
    services.disclosure_submit(disclosure=disclosure_draft, actor=treasurer.user)
    with pytest.raises(services.DisclosureError, match="提交人不能自己复核"):
        services.disclosure_confirm(disclosure=disclosure_draft, actor=treasurer.user)
    disclosure_draft.refresh_from_db()
    assert disclosure_draft.state == Disclosure.State.PENDING


@pytest.mark.parametrize("confirmer", ["second_treasurer", "chair"])
def test_another_treasurer_or_the_chair_confirms(request, disclosure_draft, treasurer, confirmer):
    person = request.getfixturevalue(confirmer)
    services.disclosure_submit(disclosure=disclosure_draft, actor=treasurer.user)
    services.disclosure_confirm(disclosure=disclosure_draft, actor=person.user)
    disclosure_draft.refresh_from_db()
    assert (
        disclosure_draft.state == Disclosure.State.PUBLISHED and disclosure_draft.confirmed_by == person.user
    )
    assert disclosure_draft.published_at is not None
    assert AuditEntry.objects.get(action="disclosure.published").actor == person.user


def test_others_cannot_confirm(disclosure_draft, treasurer, member, officer, other_branch_treasurer):
    services.disclosure_submit(disclosure=disclosure_draft, actor=treasurer.user)
    for person in (member, officer, other_branch_treasurer):
        with pytest.raises(services.DisclosureError):
            services.disclosure_confirm(disclosure=disclosure_draft, actor=person.user)


def test_only_the_branchs_treasurers_submit(disclosure_draft, officer, other_branch_treasurer):
    for person in (officer, other_branch_treasurer):
        with pytest.raises(services.DisclosureError, match="财务委员"):
            services.disclosure_submit(disclosure=disclosure_draft, actor=person.user)


def test_it_refuses_to_submit_without_lines(make_disclosure, treasurer):
    empty = make_disclosure(state=Disclosure.State.DRAFT, lines=False)
    with pytest.raises(services.DisclosureError, match="没有明细"):
        services.disclosure_submit(disclosure=empty, actor=treasurer.user)


def test_a_returned_disclosure_is_a_draft_again(disclosure_draft, treasurer, second_treasurer):
    services.disclosure_submit(disclosure=disclosure_draft, actor=treasurer.user)
    services.disclosure_return(
        disclosure=disclosure_draft, actor=second_treasurer.user, reason="合唱比赛金额有误"
    )
    disclosure_draft.refresh_from_db()
    assert disclosure_draft.state == Disclosure.State.DRAFT and disclosure_draft.submitted_by is None
    assert Notice.objects.filter(user=treasurer.user, message__contains="合唱比赛金额有误").exists()


def test_correcting_makes_a_new_revision_and_keeps_the_old(disclosure, treasurer, second_treasurer):
    before = list(disclosure.lines.values_list("item", "actual"))
    revision = services.disclosure_correct(
        disclosure=disclosure, actor=treasurer.user, reason="运动会场地费退回 450 元"
    )
    assert revision.revision == 2 and revision.supersedes == disclosure and revision.is_draft
    assert revision.reason == "运动会场地费退回 450 元"
    entry = AuditEntry.objects.get(action="disclosure.corrected")
    assert entry.actor == treasurer.user and entry.details["reason"] == "运动会场地费退回 450 元"
    assert entry.branch_id == disclosure.branch_id
    assert list(revision.lines.values_list("item", "actual")) == before
    line = revision.lines.get(item="春季运动会")
    line.actual -= 450
    line.save()
    services.disclosure_submit(disclosure=revision, actor=treasurer.user)
    services.disclosure_confirm(disclosure=revision, actor=second_treasurer.user)
    disclosure.refresh_from_db()
    assert disclosure.is_published and list(disclosure.lines.values_list("item", "actual")) == before
    assert list(Disclosure.objects.current()) == [revision]
    with pytest.raises(services.DisclosureError, match="已经有更正版本"):
        services.disclosure_correct(disclosure=disclosure, actor=treasurer.user, reason="再改")


def test_correcting_needs_a_reason_and_a_published_revision(disclosure, make_disclosure, treasurer):
    disclosure_draft = make_disclosure(year=2026, state=Disclosure.State.DRAFT)
    with pytest.raises(services.DisclosureError, match="更正原因"):
        services.disclosure_correct(disclosure=disclosure, actor=treasurer.user, reason="  ")
    with pytest.raises(services.DisclosureError, match="只有已公开"):
        services.disclosure_correct(disclosure=disclosure_draft, actor=treasurer.user, reason="x")


def test_a_published_revision_cannot_be_changed_or_deleted(disclosure, treasurer):
    disclosure.title = "改标题"
    with pytest.raises(services.DisclosureError, match="已公开"):
        services.disclosure_save(disclosure=disclosure, actor=treasurer.user, changed=["title"])
    with pytest.raises(services.DisclosureError):
        services.disclosure_delete(disclosure=disclosure, actor=treasurer.user)


def test_no_member_name_can_be_published_in_lines_or_notes(disclosure_draft, treasurer, second_member):
    line = disclosure_draft.lines.get(item="大病补助")
    line.note = f"{second_member.name} 住院"
    line.save()
    with pytest.raises(services.DisclosureError, match="不能出现个人姓名（王强）"):
        services.disclosure_submit(disclosure=disclosure_draft, actor=treasurer.user)
    line.note = ""
    line.item = f"补助{second_member.name}"
    line.save()
    with pytest.raises(services.DisclosureError, match="王强"):
        services.disclosure_submit(disclosure=disclosure_draft, actor=treasurer.user)
    with pytest.raises(services.DisclosureError, match="王强"):
        services.disclosure_correct(
            disclosure=Disclosure.objects.create(
                branch=disclosure_draft.branch, year=2020, title="t", state=Disclosure.State.PUBLISHED
            ),
            actor=treasurer.user,
            reason=f"{second_member.name}的补助录错",
        )


def test_attachments_must_be_pdf_by_content():
    services.check_pdf_upload(SimpleUploadedFile("a.pdf", b"%PDF-1.7\n...", content_type="application/pdf"))
    with pytest.raises(services.DisclosureError, match="PDF"):
        services.check_pdf_upload(
            SimpleUploadedFile("a.pdf", b"<html>not a pdf", content_type="application/pdf")
        )
