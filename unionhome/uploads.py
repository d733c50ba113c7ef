"""Upload checks, the one place: the size, and the type read from the file's first bytes (never
from its name or the type the browser claims).

`check_upload` is what every upload of a person's file goes through (welfare proof, disclosure
attachments); the spreadsheet import reads the same signatures to say what a file is not.
"""

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from unionhome.errors import DomainError
from unionhome.text import enumeration

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
PDF_OR_PHOTO = (PDF, JPEG, PNG)

# A PDF starts with its header (ISO 32000-1, 7.5.2), a JPEG with SOI and a marker, a PNG with its
# 8-byte signature. Nothing may come before them: leading bytes are refused, not skipped.
SIGNATURES = [
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
]
LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
HEAD = 16

# Containers and other formats, for the spreadsheet import's "this is not a table" answers.
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
OTHER_SIGNATURES = (
    b"%PDF-",
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"Rar!",
    b"7z\xbc\xaf",
    b"\x1f\x8b",  # gzip
    b"RIFF",
    b"%!PS",
)


class UploadRefused(DomainError):
    """An upload that is too large, empty or not of an allowed type; the message names the file."""


def sniff(head: bytes) -> str | None:
    """The type the first bytes declare (one of SIGNATURES), or None."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def _one_of(types) -> str:
    labels = [LABELS[content_type] for content_type in types]
    if len(labels) == 1:
        return labels[0]
    return _("%(items)s 或 %(last)s") % {"items": enumeration(labels[:-1]), "last": labels[-1]}


def check_upload(upload, *, max_bytes: int, types=PDF_OR_PHOTO) -> str:
    """The upload's real type (one of `types`), or UploadRefused with the sentence the user reads."""
    name = upload.name
    if upload.size > max_bytes:
        raise UploadRefused(
            _("“%(name)s”太大（%(size)s），每个文件不能超过 %(limit)s。")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)}
        )
    if upload.size == 0:
        raise UploadRefused(_("“%(name)s”是空文件。") % {"name": name})
    upload.seek(0)
    head = upload.read(HEAD)
    upload.seek(0)
    content_type = sniff(head)
    if content_type not in types:
        raise UploadRefused(
            _("“%(name)s”不是 %(types)s 文件（按文件内容检查，不看文件名）。")
            % {"name": name, "types": _one_of(types)}
        )
    return content_type
