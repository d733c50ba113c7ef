"""Attachments are checked by their content (magic bytes), never by their name or browser type."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def sniff(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def check_upload(upload) -> str:
    """The upload's real type (PDF, JPEG or PNG), or ValidationError with a clear message."""
    limit = settings.WELFARE_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s”太大（%(size)s），每个文件不能超过 %(limit)s。")
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s”是空文件。") % {"name": upload.name})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise ValidationError(
            _("“%(name)s”不是 PDF、JPEG 或 PNG 文件。请上传 PDF 文件或照片（JPEG、PNG）。")
            % {"name": upload.name}
        )
    return content_type
