"""Attachments: private storage outside MEDIA_ROOT, streamed after the access check, never sniffed."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.welfare.conftest import PNG
from unionhome.models import AuditEntry


def test_it_streams_the_file_as_an_attachment_to_the_applicant(make_case, client_for, member):
    case = make_case()
    attachment = case.attachments.get()
    response = client_for(member).get(reverse("welfare:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert AuditEntry.objects.get(action="welfare.case.viewed").details["via"] == "attachment"


def test_it_keeps_files_outside_the_public_media_path(make_case):
    attachment = make_case().attachments.get()
    path = attachment.file.path
    assert path.startswith(str(settings.WELFARE_PRIVATE_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert "证明" not in path  # the original name stays in the database only


def test_it_has_no_url_of_its_own(make_case):
    attachment = make_case().attachments.get()
    with pytest.raises(ValueError):
        attachment.file.storage.url(attachment.file.name)


def test_it_answers_404_to_others_and_logs_them(make_case, client_for, second_member, officer):
    attachment = make_case().attachments.get()
    for who in (second_member, officer):
        assert client_for(who).get(reverse("welfare:attachment", args=[attachment.pk])).status_code == 404
    assert (
        AuditEntry.objects.filter(action="welfare.case.denied.viewed", details__via="attachment").count() == 2
    )


def test_it_lets_a_welfare_officer_with_totp_download(make_case, mfa_client, welfare_officer):
    attachment = make_case().attachments.get()
    assert (
        mfa_client(welfare_officer).get(reverse("welfare:attachment", args=[attachment.pk])).status_code
        == 200
    )
