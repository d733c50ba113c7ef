"""Disclosure attachments and welfare proof go through the one upload check (unionhome.uploads):
the type is read from the first bytes, and the two no longer disagree about what a PDF is."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congress.disclosures import services
from unionhome import uploads


def test_a_pdf_with_bytes_before_its_header_is_refused_as_welfare_refuses_it():
    shifted = SimpleUploadedFile("a.pdf", b"  \n%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    assert uploads.sniff(shifted.read(16)) is None
    with pytest.raises(services.DisclosureError, match="不是 PDF 文件"):
        services.check_pdf_upload(shifted)


def test_a_photo_is_proof_for_welfare_but_not_a_disclosure_attachment(settings):
    photo = SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, content_type="image/png")
    assert uploads.check_upload(photo, max_bytes=1024) == uploads.PNG
    with pytest.raises(services.DisclosureError, match="“a.png”不是 PDF 文件"):
        services.check_pdf_upload(photo)


def test_the_size_limit_is_the_setting(settings):
    settings.UNIONHOME_DISCLOSURE_ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * 2048, content_type="application/pdf")
    with pytest.raises(services.DisclosureError, match="太大"):
        services.check_pdf_upload(big)
    with pytest.raises(uploads.UploadRefused, match="空文件"):
        uploads.check_upload(SimpleUploadedFile("e.pdf", b""), max_bytes=1024)
