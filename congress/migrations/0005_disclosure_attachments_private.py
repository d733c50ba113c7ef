"""Disclosure attachments move out of MEDIA_ROOT (where they sat under the uploader's file name)
into the private storage (settings.UNIONHOME_PRIVATE_ROOT, no URL), each under a random name; the
uploader's file name is kept in `original_name` for the download. Revisions that share a file
(a correction copies its attachments) keep sharing the moved one."""

import posixpath
import uuid

from django.db import migrations, models

import congress.disclosures.models
import unionhome.storage


def move_to_private(apps, schema_editor):
    from django.core.files.storage import default_storage

    DisclosureAttachment = apps.get_model("congress", "DisclosureAttachment")
    private = unionhome.storage.private_storage()
    moved = {}
    for attachment in DisclosureAttachment.objects.select_related("disclosure").order_by("pk"):
        old = attachment.file.name
        if not old:
            continue
        if old not in moved:
            if default_storage.exists(old):
                disclosure = attachment.disclosure
                name = f"disclosures/{disclosure.branch_id}/{disclosure.pk}/{uuid.uuid4().hex}.pdf"
                with default_storage.open(old, "rb") as content:
                    moved[old] = private.save(name, content)
            else:
                moved[old] = old  # lost before the move: the view answers 404, as it did
        DisclosureAttachment.objects.filter(pk=attachment.pk).update(
            file=moved[old], original_name=posixpath.basename(old)[-200:]
        )
    for old, new in moved.items():
        if new != old:
            default_storage.delete(old)


class Migration(migrations.Migration):
    dependencies = [("congress", "0004_finance_categories_2017")]
    operations = [
        migrations.AddField(
            model_name="disclosureattachment",
            name="original_name",
            field=models.CharField(blank=True, editable=False, max_length=200, verbose_name="原文件名"),
        ),
        migrations.AlterField(
            model_name="disclosureattachment",
            name="file",
            field=models.FileField(
                max_length=255,
                storage=unionhome.storage.private_storage,
                upload_to=congress.disclosures.models.disclosure_attachment_path,
                verbose_name="PDF 文件",
            ),
        ),
        migrations.RunPython(move_to_private, migrations.RunPython.noop),
    ]
