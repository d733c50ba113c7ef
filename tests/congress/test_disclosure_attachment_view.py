import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from congress.models import DisclosureAttachment


@pytest.fixture
def attachment(disclosure, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = DisclosureAttachment(disclosure=disclosure, title="第一季度收支明细表")
    item.file.save("q1.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=True)
    return item


def test_a_member_downloads_an_attachment(client_for, member, attachment):
    response = client_for(member).get(attachment.get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_it_is_linked_from_the_page(client_for, member, attachment):
    content = client_for(member).get(attachment.disclosure.get_absolute_url()).content.decode()
    assert attachment.get_absolute_url() in content and "第一季度收支明细表" in content


def test_others_get_404(client_for, other_branch_officer, attachment, disclosure_draft, member):
    assert client_for(other_branch_officer).get(attachment.get_absolute_url()).status_code == 404
    wrong = reverse("disclosures:attachment", args=[disclosure_draft.pk, attachment.pk])
    assert client_for(member).get(wrong).status_code == 404
