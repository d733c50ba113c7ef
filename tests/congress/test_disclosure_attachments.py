"""Disclosure attachments: added and removed only through the services (with an audit entry),
kept in the private storage under a random name (the uploader's name kept for the download),
served only by the access-checked view; old attachments moved there by a data migration."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congress.disclosures import services
from congress.disclosures.models import DisclosureAttachment
from unionhome.models import AuditEntry

PDF = b"%PDF-1.7\n1 0 obj\n%%EOF\n"


def change_url(disclosure):
    return reverse("admin:congress_disclosure_change", args=[disclosure.pk])


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def test_it_adds_an_attachment_to_private_storage_under_a_random_name(
    client_for, treasurer, member, disclosure_draft, settings, media, disclosure_form
):
    upload = SimpleUploadedFile("2025年二季度收支表.pdf", PDF, content_type="application/pdf")
    new = {"attachments-TOTAL_FORMS": "1", "attachments-0-title": "收支表", "attachments-0-upload": upload}
    data = disclosure_form(disclosure_draft, **new)
    response = client_for(treasurer).post(change_url(disclosure_draft), data)
    assert response.status_code == 302
    attachment = disclosure_draft.attachments.get()
    assert attachment.original_name == "2025年二季度收支表.pdf"
    stored = Path(settings.UNIONHOME_PRIVATE_ROOT) / attachment.file.name
    assert stored.read_bytes() == PDF and "收支表" not in attachment.file.name
    assert not media.exists() or not any(media.rglob("*.pdf"))
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 — no public URL
    entry = AuditEntry.objects.get(action="disclosure.attachment_added")
    assert entry.target_id == str(disclosure_draft.pk) and entry.details["attachment"] == attachment.pk

    download = client_for(treasurer).get(attachment.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "filename*=utf-8''2025" in download["Content-Disposition"]
    assert client_for(member).get(attachment.get_absolute_url()).status_code == 404  # a draft's


def test_it_removes_an_attachment_through_the_service(
    client_for, treasurer, disclosure_draft, settings, django_capture_on_commit_callbacks, disclosure_form
):
    attachment = services.disclosure_attachment_add(
        disclosure=disclosure_draft,
        actor=treasurer.user,
        title="收支表",
        upload=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
    )
    stored = Path(settings.UNIONHOME_PRIVATE_ROOT) / attachment.file.name
    data = disclosure_form(
        disclosure_draft,
        **{
            "attachments-TOTAL_FORMS": "1",
            "attachments-INITIAL_FORMS": "1",
            "attachments-0-id": attachment.pk,
            "attachments-0-disclosure": disclosure_draft.pk,
            "attachments-0-DELETE": "on",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(treasurer).post(change_url(disclosure_draft), data)
    assert response.status_code == 302
    assert not disclosure_draft.attachments.exists() and not stored.exists()
    assert AuditEntry.objects.filter(action="disclosure.attachment_removed").count() == 1


def test_it_refuses_attachments_on_a_published_revision(disclosure, treasurer):
    with pytest.raises(services.DisclosureError):
        services.disclosure_attachment_add(
            disclosure=disclosure,
            actor=treasurer.user,
            title="收支表",
            upload=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
        )
    assert not DisclosureAttachment.objects.exists()


def test_a_correction_shares_the_file_and_keeps_the_original_name(
    disclosure, treasurer, settings, django_capture_on_commit_callbacks
):
    attachment = DisclosureAttachment(disclosure=disclosure, title="收支表", original_name="表.pdf")
    attachment.file.save("x.pdf", ContentFile(PDF), save=True)
    revision = services.disclosure_correct(disclosure=disclosure, actor=treasurer.user, reason="补录")
    copy = revision.attachments.get()
    assert (copy.file.name, copy.original_name) == (attachment.file.name, "表.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        services.disclosure_attachment_remove(attachment=copy, actor=treasurer.user)
    assert (Path(settings.UNIONHOME_PRIVATE_ROOT) / attachment.file.name).exists()  # still the original's


def test_the_migration_moves_old_attachments_out_of_media(disclosure, media, settings):
    old_name = f"private/disclosures/{disclosure.branch_id}/{disclosure.pk}/王强的报销单.pdf"
    default_storage.save(old_name, ContentFile(PDF))
    first = DisclosureAttachment.objects.create(disclosure=disclosure, title="报销单", file="placeholder")
    second = DisclosureAttachment.objects.create(disclosure=disclosure, title="报销单（副本）", file="x")
    DisclosureAttachment.objects.filter(pk__in=[first.pk, second.pk]).update(file=old_name)
    migration = importlib.import_module("congress.migrations.0005_disclosure_attachments_private")

    migration.move_to_private(apps, None)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.original_name == "王强的报销单.pdf" and first.file.name == second.file.name
    assert first.file.name.startswith(f"disclosures/{disclosure.branch_id}/{disclosure.pk}/")
    assert "王强" not in first.file.name
    assert (Path(settings.UNIONHOME_PRIVATE_ROOT) / first.file.name).read_bytes() == PDF
    assert not (media / old_name).exists()
