"""Stored XSS: user text holding markup renders as text in every page, admin page, feed, export and PDF.

One world (the URL x persona table's, tests/url_access.py, with every app's objects) gets the
payloads in a member's name, an activity's title, a club's description, a result, a proposal,
a suggestion, a hardship case and a disclosure line; then every GET row of the table is fetched
by every persona the table lets in, and the admin's changelists and change pages by the superuser.
"""

import csv
import io
import re
import subprocess

import openpyxl
import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

import unionhome.pdf
from activities.models import Activity, ActivityResult, Club, Registration
from congress.models import Delegation, DisclosureLine, Proposal, Suggestion
from members.models import Member
from tests.test_url_access import ROWS, _table_modules
from tests.url_access import PERSONAS, build_world
from tests.welfare.conftest import with_totp
from welfare.models import AidCase

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
BOTH = SCRIPT + IMG
FORMULA = "=1+1" + SCRIPT  # starts like a spreadsheet formula
RAW = ("<script>alert(1)</script>", "<img src=x onerror")


def _store_payloads(world, objects):
    Member.objects.filter(pk=world.member.pk).update(name=IMG)
    Member.objects.filter(pk=world.other_member.pk).update(name=SCRIPT)
    Activity.objects.filter(branch=world.branch).update(title=BOTH, description=BOTH)
    Club.objects.filter(pk=objects["club"].pk).update(description=BOTH)
    ActivityResult.objects.create(activity=objects["club_activity"], event=BOTH, award="一等奖", winners=IMG)
    Registration.objects.create(
        activity=objects["club_activity"], member=world.member, status=Registration.Status.CONFIRMED
    )
    Proposal.objects.filter(session=objects["session"]).update(title=BOTH, reasons=BOTH)
    Delegation.objects.filter(term__sessions=objects["session"]).update(name=BOTH)  # in the report PDF
    Suggestion.objects.filter(pk=objects["suggestion"].pk).update(title=BOTH, body=BOTH)
    AidCase.objects.filter(pk=objects["case"].pk).update(description=BOTH)
    lines = DisclosureLine.objects.filter(disclosure=objects["disclosure"])
    lines.filter(pk=lines.first().pk).update(item=BOTH, note=FORMULA)


def _body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _client(world, persona):
    client = Client()
    user = world.user_of(persona)
    if user is not None:
        client.force_login(user)
    return client


def _assert_html_safe(where, html):
    for raw in RAW:
        assert raw not in html, f"{where}: unescaped {raw!r}"


def _ics_text(content):
    return content.decode("utf-8").replace("\r\n ", "").replace("\n ", "")


def _csv_cells(content):
    return {cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row}


def _xlsx_cells(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return {cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row}


def _pdf_text(content, tmp_path):
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    return re.sub(r"\s+", "", text)


def _assert_plain_cells(where, cells):
    assert IMG in cells or any(IMG in str(cell) for cell in cells), f"{where}: {IMG!r} not in the export"
    assert FORMULA not in cells, f"{where}: a formula cell was not neutralised"


@pytest.fixture
def fetchers(monkeypatch):
    """Every PDF URL fetcher made during the test, to check nothing was fetched but our files."""
    made = []
    original = unionhome.pdf.make_fetcher

    def recording():
        made.append(original())
        return made[-1]

    monkeypatch.setattr(unionhome.pdf, "make_fetcher", recording)
    return made


def test_it_renders_stored_markup_as_text_everywhere(db, tmp_path, fetchers):
    world = build_world()
    # Each table's objects under its own module: two tables may use the same key ("draft" is an
    # activity in one and a proposal in another), so a row's URL takes its own table's objects.
    by_module = {
        module.__name__: module.objects(world) for module in _table_modules() if hasattr(module, "objects")
    }
    objects = {key: value for table in by_module.values() for key, value in table.items()}
    _store_payloads(world, objects)
    clients = {persona: _client(world, persona) for persona in PERSONAS}

    pages = {}  # url -> decoded HTML of the first persona that saw it
    kinds = {"html": 0, "ics": 0, "csv": 0, "pdf": 0}
    for name, (module, entry) in sorted(ROWS.items()):
        url = reverse(name, kwargs=entry.kwargs(by_module.get(module.__name__, {}))) + (
            f"?{entry.query}" if entry.query else ""
        )
        for persona in PERSONAS:
            if entry.status_for(persona) != 200:
                continue
            response = clients[persona].get(url)
            assert response.status_code == 200, f"{name} {persona}: {response.status_code}"
            content, kind = _body(response), response["Content-Type"]
            where = f"{name} as {persona}"
            if kind.startswith("text/html"):
                kinds["html"] += 1
                html = content.decode()
                _assert_html_safe(where, html)
                pages.setdefault(name, html)
            elif kind.startswith("text/calendar"):
                kinds["ics"] += 1
                assert BOTH in _ics_text(content), where
            elif kind.startswith("text/csv"):
                kinds["csv"] += 1
                _assert_plain_cells(where, _csv_cells(content))
            elif kind.startswith("application/pdf") and name != "disclosures:attachment":
                kinds["pdf"] += 1
                assert escape(SCRIPT) not in content.decode("latin-1"), where
                assert re.sub(r"\s+", "", BOTH) in _pdf_text(content, tmp_path), where
                break  # one persona per PDF: the same document, and slow to make

    # The escaped text is there where the portal shows it.
    shown = {
        "activities:list": [BOTH],
        "activities:detail": [BOTH, IMG],  # title, result, the registered member's name
        "activities:club_list": [BOTH],
        "activities:club_detail": [BOTH],
        "congress:proposal_list": [BOTH],
        "congress:proposal_detail": [BOTH],
        "congress:session_detail": [BOTH],
        "congress:suggestion_detail": [BOTH],
        "welfare:case_detail": [BOTH, IMG],
        "welfare:notices": [SCRIPT],  # the noticed case's member
        "disclosures:detail": [BOTH],
        "members:me": [IMG],
        "home": [BOTH],
    }
    for name, texts in shown.items():
        for text in texts:
            assert escape(text) in pages[name], f"{name}: escaped {text!r} not shown"
    assert kinds["ics"] >= 2 and kinds["csv"] >= 1 and kinds["pdf"] >= 3, kinds

    # Spreadsheets that the table does not walk: xlsx lines, roster, registrations, participation.
    officer, treasurer = clients["officer"], clients["treasurer"]
    disclosure = objects["disclosure"]
    response = treasurer.get(reverse("disclosures:lines", kwargs={"pk": disclosure.pk, "fmt": "xlsx"}))
    cells = _xlsx_cells(response.content)
    assert BOTH in cells and "'" + FORMULA in cells and FORMULA not in cells
    response = officer.post(
        reverse("admin:members_member_export"),
        {"format": "1", "resource": "0", "memberresource_name": "on", "memberresource_staff_number": "on"},
    )
    assert response.status_code == 200
    _assert_plain_cells("roster export", _csv_cells(response.content))
    for fmt, read in (("1", _csv_cells), ("0", _xlsx_cells)):
        response = officer.post(
            reverse("admin:activities_registration_export") + f"?activity={objects['club_activity'].pk}",
            {
                "format": fmt,
                "resource": "0",
                "registrationresource_name": "on",
                "registrationresource_activity": "on",
            },
        )
        assert response.status_code == 200
        cells = read(response.content)
        assert IMG in cells and BOTH in cells, cells
    for export, read in (("csv", _csv_cells), ("xlsx", _xlsx_cells)):
        response = officer.get(reverse("activities:participation"), {"export": export})
        assert response.status_code == 200, export
        _assert_plain_cells(f"participation {export}", read(response.content))

    # PDFs: nothing fetched but our own static files and data: URLs.
    assert fetchers and not [url for fetcher in fetchers for url in fetcher.refused]

    # The admin: every changelist, and the change pages of the objects holding the payloads.
    with_totp(world.superuser)  # the welfare screens ask for a second factor first
    superuser = _client(world, "superuser")
    targets = {
        Member: [world.member.pk, world.other_member.pk],
        Activity: [objects["club_activity"].pk],
        Club: [objects["club"].pk],
        Proposal: [objects["proposal"].pk],
        Suggestion: [objects["suggestion"].pk],
        AidCase: [objects["case"].pk, objects["noticed"].pk],
        type(disclosure): [disclosure.pk],
    }
    for model in admin.site._registry:
        opts = model._meta
        response = superuser.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert response.status_code == 200, opts.label
        _assert_html_safe(f"{opts.label} changelist", response.content.decode())
        for pk in targets.get(model, []):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])
            response = superuser.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            _assert_html_safe(f"{opts.label} {pk}", html)
            assert escape(SCRIPT) in html or escape(IMG) in html, f"{url}: the text is not shown"
