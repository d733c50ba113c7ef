from decimal import Decimal

import pytest
from django.urls import reverse

from congress.models import Disclosure, FinanceCategory


def change_url(disclosure):
    return reverse("admin:congress_disclosure_change", args=[disclosure.pk])


def test_a_treasurer_sees_the_branchs_disclosures_and_the_totals(
    client_for, treasurer, disclosure, disclosure_draft
):
    client = client_for(treasurer)
    assert client.get(reverse("admin:congress_disclosure_changelist")).status_code == 200
    response = client.get(change_url(disclosure_draft))
    assert response.status_code == 200
    content = response.content.decode()
    assert "合计与差异" in content and "54,700.40" in content and "核对合计并提交复核" in content


def test_a_published_revision_is_read_only_in_admin(client_for, treasurer, disclosure):
    response = client_for(treasurer).get(change_url(disclosure))
    assert response.status_code == 200
    assert 'name="title"' not in response.content.decode()
    assert "更正（生成新版本）" in response.content.decode()
    posted = client_for(treasurer).post(change_url(disclosure), {"title": "改了"})
    disclosure.refresh_from_db()
    assert disclosure.title != "改了" and posted.status_code == 403


def test_other_branches_and_roles_get_nothing(client_for, other_branch_treasurer, officer, disclosure):
    assert client_for(other_branch_treasurer).get(change_url(disclosure)).status_code == 404
    assert client_for(officer).get(reverse("admin:congress_disclosure_changelist")).status_code == 403
    submit = reverse("admin:congress_disclosure_submit", args=[disclosure.pk])
    assert client_for(other_branch_treasurer).get(submit).status_code == 404


def test_submit_then_confirm_through_the_admin_steps(
    client_for, treasurer, second_treasurer, disclosure_draft
):
    submit = reverse("admin:congress_disclosure_submit", args=[disclosure_draft.pk])
    page = client_for(treasurer).get(submit)
    assert page.status_code == 200 and "54,700.40" in page.content.decode()
    assert client_for(treasurer).post(submit).status_code == 302
    confirm = reverse("admin:congress_disclosure_confirm", args=[disclosure_draft.pk])
    refused = client_for(treasurer).post(confirm, follow=True)
    assert "提交人不能自己复核" in refused.content.decode()
    assert client_for(second_treasurer).post(confirm).status_code == 302
    disclosure_draft.refresh_from_db()
    assert disclosure_draft.state == Disclosure.State.PUBLISHED


def test_correct_asks_for_a_reason(client_for, treasurer, disclosure):
    correct = reverse("admin:congress_disclosure_correct", args=[disclosure.pk])
    assert client_for(treasurer).post(correct, {"reason": ""}).status_code == 200
    response = client_for(treasurer).post(correct, {"reason": "补录会议费"})
    revision = Disclosure.objects.get(revision=2)
    assert response.url == change_url(revision) and revision.reason == "补录会议费"


def test_adding_a_draft_with_inline_lines(client_for, treasurer, branch):
    category = FinanceCategory.objects.get(name="文体活动支出")
    data = {
        "branch": branch.pk,
        "year": 2026,
        "period": "Q1",
        "title": "2026年第一季度经费收支公开",
        "summary": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-category": category.pk,
        "lines-0-item": "羽毛球赛",
        "lines-0-budget": "1,000.00".replace(",", ""),
        "lines-0-actual": "950.5",
        "lines-0-note": "",
        "lines-0-sort_order": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }
    response = client_for(treasurer).post(reverse("admin:congress_disclosure_add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    created = Disclosure.objects.get(year=2026)
    assert created.created_by == treasurer.user
    assert created.lines.get().actual == Decimal("950.50")


def test_a_name_in_a_note_is_refused_on_the_form(
    client_for, treasurer, disclosure_draft, second_member, disclosure_form
):
    line = disclosure_draft.lines.get(item="大病补助")
    data = disclosure_form(disclosure_draft, line=line, **{"lines-0-note": "王强 住院"})
    response = client_for(treasurer).post(change_url(disclosure_draft), data)
    assert response.status_code == 200 and "不能出现个人姓名（王强）" in response.content.decode()
    line.refresh_from_db()
    assert line.note == ""


def test_a_non_pdf_attachment_is_refused(client_for, treasurer, disclosure_draft, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    data = {
        "branch": disclosure_draft.branch_id,
        "year": disclosure_draft.year,
        "period": disclosure_draft.period,
        "title": disclosure_draft.title,
        "summary": "",
        "lines-TOTAL_FORMS": "0",
        "lines-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "1",
        "attachments-INITIAL_FORMS": "0",
        "attachments-0-title": "收支表",
        "attachments-0-upload": SimpleUploadedFile(
            "fake.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
        ),
    }
    response = client_for(treasurer).post(change_url(disclosure_draft), data)
    assert (
        response.status_code == 200 and "“fake.pdf”不是 PDF 文件（按文件内容检查" in response.content.decode()
    )
    assert not disclosure_draft.attachments.exists()


def test_the_category_tree_is_seeded_and_shared(client_for, treasurer):
    tops = FinanceCategory.objects.filter(parent=None)
    assert set(tops.filter(kind="income").values_list("name", flat=True)) == {
        "会费收入",
        "拨缴经费收入",
        "上级补助收入",
        "行政补助收入",
        "事业收入",
        "投资收益",
        "其他收入",
    }
    assert list(tops.filter(kind="expenditure").values_list("name", flat=True)) == [
        "职工活动支出",
        "维权支出",
        "业务支出",
        "资本性支出",
        "事业支出",
        "其他支出",
    ]
    assert FinanceCategory.objects.filter(parent__name="职工活动支出").count() == 6
    assert client_for(treasurer).get(reverse("admin:congress_financecategory_changelist")).status_code == 200


def test_a_category_used_by_a_published_disclosure_keeps_its_name(client_for, treasurer, disclosure):
    category = FinanceCategory.objects.get(name="文体活动支出")
    response = client_for(treasurer).get(reverse("admin:congress_financecategory_change", args=[category.pk]))
    assert 'name="name"' not in response.content.decode()


def test_a_second_disclosure_for_the_same_period_is_refused_on_the_form(client_for, treasurer, disclosure):
    data = {
        "branch": disclosure.branch_id,
        "year": disclosure.year,
        "period": disclosure.period,
        "title": "重复",
        "summary": "",
        "lines-TOTAL_FORMS": "0",
        "lines-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }
    response = client_for(treasurer).post(reverse("admin:congress_disclosure_add"), data)
    assert response.status_code == 200 and "这一期间已经有经费公开了" in response.content.decode()
    assert Disclosure.objects.count() == 1


def test_the_chair_confirms_from_the_step_page_that_lists_every_line(
    client_for, treasurer, chair, disclosure_draft
):
    from congress.disclosures import services

    services.disclosure_submit(disclosure=disclosure_draft, actor=treasurer.user)
    confirm = reverse("admin:congress_disclosure_confirm", args=[disclosure_draft.pk])
    page = client_for(chair).get(confirm)
    assert page.status_code == 200 and "工会干部培训" in page.content.decode()
    assert client_for(chair).post(confirm).status_code == 302
    disclosure_draft.refresh_from_db()
    assert disclosure_draft.is_published and disclosure_draft.confirmed_by == chair.user


@pytest.mark.parametrize("correction", [False, True], ids=["first publication", "correction"])
def test_the_confirmer_lands_on_the_published_revision_with_a_success_message(
    client_for, treasurer, chair, disclosure, disclosure_draft, correction
):
    from congress.disclosures import services

    revision = disclosure_draft
    if correction:  # the new revision of a published one
        revision = services.disclosure_correct(
            disclosure=disclosure, actor=treasurer.user, reason="补录会议费"
        )
    services.disclosure_submit(disclosure=revision, actor=treasurer.user)
    confirm = reverse("admin:congress_disclosure_confirm", args=[revision.pk])
    response = client_for(chair).post(confirm, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == revision.get_absolute_url()
    assert "已公开。" in response.content.decode()
    revision.refresh_from_db()
    assert revision.is_published and revision.confirmed_by == chair.user


def test_the_submitter_is_never_offered_a_confirm_button(
    client_for, treasurer, second_treasurer, disclosure_draft
):
    from congress.disclosures import services

    services.disclosure_submit(disclosure=disclosure_draft, actor=treasurer.user)
    confirm = reverse("admin:congress_disclosure_confirm", args=[disclosure_draft.pk])
    change = client_for(treasurer).get(change_url(disclosure_draft)).content.decode()
    assert confirm not in change and "复核并公开" not in change
    step = client_for(treasurer).get(confirm)
    assert step.status_code == 200
    assert 'value="确认公开"' not in step.content.decode()
    assert "提交人不能自己复核" in step.content.decode()
    other = client_for(second_treasurer)
    assert confirm in other.get(change_url(disclosure_draft)).content.decode()
    assert 'value="确认公开"' in other.get(confirm).content.decode()
