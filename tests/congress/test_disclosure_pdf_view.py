import shutil
import subprocess

import pytest
from django.urls import reverse


def url(disclosure):
    return reverse("disclosures:pdf", args=[disclosure.pk])


def test_it_prints_the_disclosure_with_an_embedded_cjk_font(client_for, member, disclosure, tmp_path):
    response = client_for(member).get(url(disclosure))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF-")
    assert shutil.which("pdffonts"), "poppler-utils is missing (make system-packages)"
    path = tmp_path / "d.pdf"
    path.write_bytes(content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts and " yes " in fonts  # embedded
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "职工活动支出" in text and "58,800.50" in text


def test_the_pdf_of_a_published_revision_is_cached(client_for, member, disclosure, monkeypatch):
    client = client_for(member)
    first = b"".join(client.get(url(disclosure)).streaming_content)
    import unionhome.pdf

    monkeypatch.setattr(unionhome.pdf, "render_pdf", lambda *a, **k: pytest.fail("rendered again"))
    assert b"".join(client.get(url(disclosure)).streaming_content) == first


def test_others_get_404(client_for, other_branch_officer, disclosure, client):
    assert client_for(other_branch_officer).get(url(disclosure)).status_code == 404
    assert client.get(url(disclosure)).status_code == 302


def test_it_keeps_the_pdf_on_disk_and_renders_it_once_at_a_time(client_for, member, disclosure, settings):
    from pathlib import Path

    from django.core.cache import cache
    from django.utils.translation import get_language

    lock = f"disclosure-pdf-lock:{disclosure.pk}:{get_language()}"
    cache.add(lock, "another request", 60)
    waiting = client_for(member).get(url(disclosure))
    assert waiting.status_code == 202 and waiting["Retry-After"] == "5"
    assert "PDF 正在生成" in waiting.content.decode()
    cache.delete(lock)
    response = client_for(member).get(url(disclosure))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    [cached] = (Path(settings.CONGRESS_PDF_CACHE_DIR) / "disclosures").glob(
        f"disclosure-{disclosure.pk}-*.pdf"
    )
    assert cached.read_bytes().startswith(b"%PDF-")
