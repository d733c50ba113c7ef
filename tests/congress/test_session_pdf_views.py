"""Session PDFs: secretaries only, Chinese text, CJK font, escaping, cache."""

import subprocess

import pytest
from django.urls import reverse

from congress import reports, services
from congress.models import Proposal
from unionhome import pdf


@pytest.fixture(autouse=True)
def pdf_cache(settings, tmp_path):
    settings.CONGRESS_PDF_CACHE_DIR = tmp_path / "pdf"
    return settings.CONGRESS_PDF_CACHE_DIR


def text_of(tmp_path, data):
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def fonts_of(tmp_path, data):
    path = tmp_path / "f.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_it_renders_the_compilation_for_a_secretary(client_for, congress_secretary, replied, tmp_path):
    services.verdict_record(user=replied.proposer.user, proposal=replied, rating="satisfied")
    response = client_for(congress_secretary).get(
        reverse("congress:session_compilation_pdf", args=[replied.session_id])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = body(response)
    text = "".join(text_of(tmp_path, data).split())
    for expected in (
        "提案汇编",
        "目录",
        "2026-001",
        "改善教学楼饮水设施",
        "李芳",
        "周代表",
        "后勤保障处",
        "人事处",
        "已解决",
        "满意",
        "第2页/共3页",
    ):
        assert expected in text, expected
    fonts = fonts_of(tmp_path, data)
    assert "Noto-Sans-CJK-SC" in fonts and "Noto-Sans-CJK-SC-Bold" in fonts


def test_it_renders_the_handling_report(client_for, congress_secretary, replied, tmp_path):
    response = client_for(congress_secretary).get(
        reverse("congress:session_report_pdf", args=[replied.session_id])
    )
    assert response.status_code == 200
    data = body(response)
    text = "".join(text_of(tmp_path, data).split())
    for expected in (
        "提案办理情况报告",
        "分代表团统计",
        "分类别统计",
        "民生保障",
        "数学系代表团",
        "立案率100.0%",
        "改善教学楼饮水设施",
        "后勤保障处",
    ):
        assert expected in text, expected
    assert "Noto-Sans-CJK-SC" in fonts_of(tmp_path, data)


@pytest.mark.parametrize("name", ["session_compilation_pdf", "session_report_pdf"])
def test_it_refuses_others(client_for, name, session, member, officer, other_branch_officer):
    url = reverse(f"congress:{name}", args=[session.pk])
    assert client_for(member).get(url).status_code == 403
    assert client_for(officer).get(url).status_code == 403
    assert client_for(other_branch_officer).get(url).status_code == 404


def test_it_prints_html_in_a_title_as_text_and_fetches_nothing(
    client_for, congress_secretary, in_review, tmp_path, monkeypatch
):
    hostile = '<img src="file:///etc/passwd"><a href="https://evil.example/">x</a>'
    services.proposal_accept(user=congress_secretary.user, proposal=in_review)
    Proposal.objects.filter(pk=in_review.pk).update(
        title=hostile, reasons='<link rel="stylesheet" href="http://evil.example/a.css">'
    )
    fetchers = []
    real = pdf.make_fetcher

    def recording():
        fetcher = real()
        fetchers.append(fetcher)
        return fetcher

    monkeypatch.setattr(pdf, "make_fetcher", recording)
    for name in ("session_compilation_pdf", "session_report_pdf"):
        response = client_for(congress_secretary).get(
            reverse(f"congress:{name}", args=[in_review.session_id])
        )
        text = text_of(tmp_path, body(response)).replace("\n", "")
        assert '<img src="file:///etc/passwd">' in text
    assert len(fetchers) == 2
    for fetcher in fetchers:
        assert fetcher.refused == []
        assert fetcher.served == [pdf.PDF_ORIGIN + "/static/css/pdf.css"]


def test_it_caches_until_a_proposal_changes(
    congress_secretary, client_for, in_review, monkeypatch, pdf_cache
):
    calls = []
    real = reports.render_session_pdf
    monkeypatch.setattr(reports, "render_session_pdf", lambda s, k: calls.append(k) or real(s, k))
    client = client_for(congress_secretary)
    url = reverse("congress:session_compilation_pdf", args=[in_review.session_id])
    body(client.get(url))
    body(client.get(url))
    assert calls == ["proposals"]
    services.proposal_accept(user=congress_secretary.user, proposal=in_review)
    body(client.get(url))
    assert calls == ["proposals", "proposals"]
    assert len(list(pdf_cache.glob("*.pdf"))) == 1  # the stale file is gone


def test_it_shows_being_prepared_while_another_request_renders(congress_secretary, client_for, in_review):
    from django.core.cache import cache

    cache.add(f"congress-pdf-lock:{in_review.session_id}:proposals", "x", 60)
    response = client_for(congress_secretary).get(
        reverse("congress:session_compilation_pdf", args=[in_review.session_id])
    )
    assert response.status_code == 202
    assert "报告正在生成" in response.content.decode()
    assert response["Retry-After"] == "5"


def test_it_says_clearly_when_the_font_is_missing(congress_secretary, client_for, in_review, settings):
    settings.UNIONHOME_PDF_FONT_FAMILY = "Missing CJK Font"
    response = client_for(congress_secretary).get(
        reverse("congress:session_report_pdf", args=[in_review.session_id])
    )
    assert response.status_code == 503
    assert "缺少中文字体" in response.content.decode()


def test_it_reprints_the_same_quorum_and_votes_after_delegates_change(
    client_for, congress_secretary, session, proposer, make_delegate, tmp_path
):
    from congress.models import Delegate

    delegates = [proposer, *(make_delegate(name=f"代表{i}") for i in range(8))]
    services.session_open(user=congress_secretary.user, session=session)
    services.attendance_record(user=congress_secretary.user, session=session, members=delegates[:6])
    services.vote_record(
        user=congress_secretary.user, session=session, item="年度工作报告", yes=5, no=1, abstain=0
    )

    def report_text():
        session.refresh_from_db()
        return "".join(text_of(tmp_path, reports.render_session_pdf(session, reports.REPORT)).split())

    before = report_text()
    assert "应到代表9人，实到6人；法定人数6人。" in before
    assert "65105通过" in before  # present, yes, no, abstain, needed, result
    for i in range(6):
        make_delegate(name=f"新代表{i}")
    Delegate.objects.filter(member__in=delegates[6:]).delete()
    after = report_text()
    assert "应到代表9人，实到6人；法定人数6人。" in after
    assert "65105通过" in after
    response = client_for(congress_secretary).get(reverse("congress:session_report_pdf", args=[session.pk]))
    assert "65105通过" in "".join(text_of(tmp_path, body(response)).split())
