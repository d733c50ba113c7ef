"""/welfare/apply/: a member applies for themselves, with consent and proof checked by content."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.welfare.conftest import JPEG, PDF
from welfare.models import AidCase, Attachment

URL = reverse("welfare:apply")


def form(**overrides):
    data = {
        "track": "annual",
        "ground": "own_illness",
        "description": "今年确诊，需要长期治疗",
        "household_size": "3",
        "income_per_head": "2500",
        "medical_costs": "30000",
        "amount_requested": "2000",
        "household_staff_numbers": "",
        "consent_to_notice": "on",
        "action": "submit",
    }
    data.update(overrides)
    return data


def test_it_submits_an_application_with_a_photo_and_a_pdf(aid_round, client_for, member):
    files = [SimpleUploadedFile("IMG_0001.jpg", JPEG), SimpleUploadedFile("发票.pdf", PDF)]
    response = client_for(member).post(URL, {**form(), "attachments": files})
    case = AidCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "welfare:case_detail", args=[case.pk]
    )
    assert case.member == member and case.state == "submitted" and case.consent_to_notice
    assert sorted(case.attachments.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/jpeg",
    ]


def test_it_saves_a_draft(aid_round, client_for, member):
    client_for(member).post(URL, form(action="draft"))
    assert AidCase.objects.get().state == "draft"


def test_it_records_no_consent_when_the_box_is_not_ticked(aid_round, client_for, member):
    data = form()
    del data["consent_to_notice"]
    client_for(member).post(URL, data)
    assert AidCase.objects.get().consent_to_notice is False


def test_it_refuses_a_file_that_is_not_what_its_name_says(aid_round, client_for, member):
    fake = SimpleUploadedFile("病历.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    response = client_for(member).post(URL, {**form(), "attachments": [fake]})
    assert response.status_code == 200
    assert "“病历.pdf”不是 PDF、JPEG 或 PNG 文件" in response.content.decode()
    assert not AidCase.objects.exists() and not Attachment.objects.exists()


def test_it_refuses_a_file_above_the_size_limit(aid_round, client_for, member, settings):
    settings.WELFARE_ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * 2048)
    response = client_for(member).post(URL, {**form(), "attachments": [big]})
    assert "每个文件不能超过 1.0\xa0KB" in response.content.decode()
    assert not AidCase.objects.exists()


def test_it_refuses_an_unknown_household_staff_number(aid_round, client_for, member):
    response = client_for(member).post(URL, form(household_staff_numbers="NOPE1"))
    assert "NOPE1" in response.content.decode()
    assert not AidCase.objects.exists()


def test_it_links_household_members_and_flags_their_second_application(
    aid_round, client_for, member, second_member
):
    client_for(member).post(URL, form(household_staff_numbers=second_member.staff_number))
    assert list(AidCase.objects.get().household_members.all()) == [second_member]
    response = client_for(second_member).post(URL, form())
    assert response.status_code == 302
    assert list(AidCase.objects.values_list("household_clash", flat=True)) == [True, True]


def test_it_says_so_when_there_is_no_round(client_for, member):
    response = client_for(member).get(URL)
    assert "还没有设立" in response.content.decode()


def test_it_shows_the_form_with_the_consent_question(aid_round, client_for, member):
    html = client_for(member).get(URL).content.decode()
    assert "我同意在本分工会会员范围内公示" in html and 'enctype="multipart/form-data"' in html


def test_it_answers_404_to_a_login_without_a_member_record(client_for, superuser):
    assert client_for(superuser).get(URL).status_code == 404
