"""unionhome/pdf.py: CJK font embedded, footer page numbers, nothing fetched but our static files."""

import socket
import subprocess

import pytest

from unionhome import pdf

HOSTILE = """{% extends "pdf/base.html" %}
{% block head %}
<link rel="stylesheet" href="http://evil.example/a.css">
<style>@import url("file:///etc/passwd"); body { background: url("https://evil.example/bg.png"); }</style>
{% endblock %}
{% block body %}
<h1>提案汇编</h1>
<p><img src="file:///etc/passwd" alt="x"><img src="https://evil.example/x.png" alt="y">
<img src="/static/../../../../etc/passwd" alt="z"><img src="//evil.example/z.png" alt="w">
<a href="https://evil.example/">外部链接</a></p>
<p>用户输入：{{ user_text }}</p>
<p><strong>粗体文字</strong></p>
{% endblock %}
"""

PAGES = """{% extends "pdf/base.html" %}
{% block body %}<p>第一页内容</p><p class="page">第二页内容</p>{% endblock %}
"""

USER_TEXT = """{% extends "pdf/base.html" %}
{% block title %}{{ user_text }}{% endblock %}
{% block body %}<h1>{{ user_text }}</h1><p class="pre">{{ user_text }}</p>{% endblock %}
"""


@pytest.fixture
def pdf_templates(settings, tmp_path):
    (tmp_path / "pdf_test").mkdir()
    (tmp_path / "pdf_test" / "hostile.html").write_text(HOSTILE, encoding="utf-8")
    (tmp_path / "pdf_test" / "pages.html").write_text(PAGES, encoding="utf-8")
    (tmp_path / "pdf_test" / "user_text.html").write_text(USER_TEXT, encoding="utf-8")
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [*engine["DIRS"], tmp_path]
    settings.TEMPLATES = [engine]
    return tmp_path


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", lambda self, *a: refuse(*a))
    return attempts


def pdf_text(tmp_path, data: bytes) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_fonts(tmp_path, data: bytes) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def test_it_embeds_the_cjk_font_regular_and_bold(pdf_templates, tmp_path, no_network):
    data = pdf.render_pdf("pdf_test/hostile.html", {"user_text": "普通文字"})
    fonts = pdf_fonts(tmp_path, data)
    cjk_lines = [line for line in fonts.splitlines() if "Noto-Sans-CJK-SC" in line]
    assert any("Bold" in line for line in cjk_lines), fonts  # a real bold face, not a synthetic one
    assert any("Bold" not in line for line in cjk_lines), fonts
    assert all(line.split()[-5:-3] == ["yes", "yes"] for line in cjk_lines), fonts  # embedded subsets
    text = pdf_text(tmp_path, data)
    assert "提案汇编" in text and "粗体文字" in text and "普通文字" in text


def test_it_fetches_nothing_but_our_static_files(pdf_templates, no_network):
    fetcher = pdf.make_fetcher()
    pdf.render_pdf("pdf_test/hostile.html", {"user_text": ""}, fetcher=fetcher)
    assert fetcher.served == [pdf.PDF_ORIGIN + "/static/css/pdf.css"]
    refused = " ".join(fetcher.refused)
    assert "file:///etc/passwd" in refused
    assert "evil.example/x.png" in refused and "evil.example/a.css" in refused
    assert "evil.example/bg.png" in refused
    assert not any(
        url.startswith(pdf.PDF_ORIGIN + "/static/") and "passwd" not in url for url in fetcher.refused
    )
    assert no_network == []


def test_it_renders_html_in_user_text_as_text_and_fetches_it_not(pdf_templates, tmp_path, no_network):
    hostile = '<img src="file:///etc/passwd"><a href="https://evil.example/">链接</a>'
    fetcher = pdf.make_fetcher()
    data = pdf.render_pdf("pdf_test/user_text.html", {"user_text": hostile}, fetcher=fetcher)
    text = pdf_text(tmp_path, data)
    assert '<img src="file:///etc/passwd">' in text.replace("\n", "")
    assert "root:" not in text
    assert fetcher.refused == []  # user text is text: nothing was even tried
    assert fetcher.served == [pdf.PDF_ORIGIN + "/static/css/pdf.css"]
    assert no_network == []


def test_it_numbers_pages_in_the_footer(pdf_templates, tmp_path):
    text = "".join(pdf_text(tmp_path, pdf.render_pdf("pdf_test/pages.html", {})).split())
    assert "第1页/共2页" in text
    assert "第2页/共2页" in text


def test_it_fails_clearly_without_the_cjk_font(pdf_templates, settings):
    settings.UNIONHOME_PDF_FONT_FAMILY = "No Such CJK Font"
    with pytest.raises(pdf.PdfError, match="No Such CJK Font"):
        pdf.render_pdf("pdf_test/pages.html", {})


def test_it_refuses_large_data_urls_and_serves_small_ones():
    fetcher = pdf.make_fetcher()
    small = fetcher.fetch("data:text/plain;base64,5Lit5paH")
    assert small.read() == "中文".encode()
    with pytest.raises(ValueError):
        fetcher.fetch("data:text/plain;base64," + "A" * (pdf.DATA_URL_MAX_BYTES * 2))
    assert len(fetcher.refused) == 1


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://evil.example/static/css/pdf.css",
        pdf.PDF_ORIGIN + "/static/../../etc/passwd",
        pdf.PDF_ORIGIN + "/static/%2e%2e/%2e%2e/etc/passwd",
        pdf.PDF_ORIGIN + "/etc/passwd",
        pdf.PDF_ORIGIN + "/static/css/does-not-exist.css",
        "ftp://evil.example/x",
    ],
)
def test_it_refuses_everything_else(url):
    fetcher = pdf.make_fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_it_builds_the_footer_from_a_translatable_string():
    assert pdf.page_footer_content() == '"第 " counter(page) " 页 / 共 " counter(pages) " 页"'
