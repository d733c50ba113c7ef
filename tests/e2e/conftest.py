"""Browser tests: Playwright drives the system Chromium against pytest-django's live server.

A journey is a person's way through the portal, by clicking and typing. `open_browser(...)` gives a
`Journey` (a fresh browser context: phone 360x740 or desktop 1280x800, Chinese or English,
JavaScript on or off); after each step the test calls `journey.check("what happened")`, which
  - hands the page's HTML to the end-of-run HTML check (tests/html_check.py),
  - on a phone with JavaScript, runs axe-core and fails on any serious or critical violation,
  - takes a screenshot, written to test-artifacts/<test>/ when the test fails, or always under
    `make screenshots` (UNIONHOME_SCREENSHOTS=all).
"""

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from tests.html_check import collect_html

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# for set-up are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE_JS = Path(
    os.environ.get("UNIONHOME_AXE_JS", ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js")
)
ALL_SCREENSHOTS = os.environ.get("UNIONHOME_SCREENSHOTS") == "all"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
LOCALES = {"zh-hans": "zh-CN", "en": "en-US"}
BLOCKING_IMPACTS = ("serious", "critical")
PASSWORD = "pw-123456"
_AXED: set[str] = set()  # page skeletons axe-core has checked in this run


def chromium_path():
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("The system Chromium is missing: install the Debian package chromium (make test does).")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session", autouse=True)
def _close_orphaned_connections(django_db_setup, django_db_blocker):
    """End database sessions orphaned by Playwright before the test database is dropped.

    Playwright's sync API runs in greenlets, each with its own context, and Django keeps one
    connection per context: a connection opened in a context that is never used again stays
    idle on PostgreSQL and blocks DROP DATABASE at the end of the run.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()


@pytest.fixture(scope="session", autouse=True)
def _serialized_contents_in_every_context(django_db_setup):
    """Let serialized rollback restore the database whatever context the test runs in.

    Django keeps the serialized test database on the connection object, and Playwright's greenlets
    get connection objects of their own: without the copy, a transactional test after a browser
    test finds the data migrations' rows (roles and their permissions) gone.
    """
    from django.db import connections
    from django.db.utils import ConnectionHandler

    contents = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    original = ConnectionHandler.create_connection

    def create_connection(self, alias):
        connection = original(self, alias)
        if alias in contents:
            connection._test_serialized_contents = contents[alias]
        return connection

    ConnectionHandler.create_connection = create_connection
    yield
    ConnectionHandler.create_connection = original


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_FLAGS, headless=True
        )
        yield browser
        browser.close()


class Journey:
    """One person's browser (a context and its page) and the record of their steps."""

    def __init__(self, page, name: str, *, phone: bool, javascript: bool, language: str):
        self.page = page
        self.language = language
        self.name = name
        self.phone = phone
        self.javascript = javascript
        self.shots: list[tuple[str, bytes]] = []
        self._documents = []
        page.on("response", self._on_response)

    def _on_response(self, response):
        if response.request.resource_type == "document" and response.status == 200:
            self._documents.append(response)

    def check(self, label: str):
        """After a step: collect the HTML, run axe on a phone, take a screenshot."""
        page = self.page
        page.wait_for_load_state()
        documents, self._documents = self._documents, []
        for response in documents:
            if response.headers.get("content-type", "").startswith("text/html"):
                try:
                    collect_html(f"e2e {response.url.split('//', 1)[-1]}", response.body())
                except Exception:  # the body of a document replaced by a redirect is gone
                    pass
        self.shots.append((label, page.screenshot(full_page=True, scale="css")))
        if self.phone and "/admin/" not in page.url:
            self.fits_the_phone(label)
        if self.phone and self.javascript:
            self.axe(label)
        return page

    def fits_the_phone(self, label: str):
        """A portal page never scrolls sideways on a phone; wide tables scroll inside their wrapper."""
        overflow = self.page.evaluate(
            """() => document.documentElement.scrollWidth > window.innerWidth
                 ? [...document.querySelectorAll('body *')]
                     .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
                                   && !el.closest('.table-wrap, .table-scroll'))
                     .slice(0, 5).map(el => el.tagName + '.' + el.className)
                 : []"""
        )
        if overflow:
            pytest.fail(f"{self.page.url} ({label}) is wider than the phone: {overflow}", pytrace=False)

    def axe(self, label: str):
        # The same markup (tags, classes, roles: not the text) was checked already in this run.
        skeleton = self.page.evaluate(
            """() => [...document.querySelectorAll('body *')].map(
                 el => el.tagName + '.' + el.className + '@' + (el.getAttribute('role') || '')
                       + (el.hasAttribute('aria-current') ? '!' : '')).join(' ')"""
        )
        key = hashlib.sha1(f"{self.language} {skeleton}".encode()).hexdigest()
        if key in _AXED:
            return
        _AXED.add(key)
        if not AXE_JS.exists():
            pytest.fail(f"axe-core is missing ({AXE_JS}): run `make test-tools` (make test does).")
        self.page.add_script_tag(path=str(AXE_JS))
        result = self.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        blocking = [v for v in result["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        if blocking:
            details = [
                f"{v['impact']} {v['id']}: {v['help']}\n"
                + "\n".join(f"    {node['html'][:200]}" for node in v["nodes"][:5])
                for v in blocking
            ]
            pytest.fail(
                f"axe-core at {self.page.url} ({label}):\n" + "\n".join(details),
                pytrace=False,
            )

    def write_screenshots(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        for number, (label, png) in enumerate(self.shots, 1):
            slug = "".join(c if c.isalnum() or c in "-_" else "-" for c in label)[:60]
            (folder / f"{self.name}-{number:02d}-{slug}.png").write_bytes(png)


@pytest.fixture
def open_browser(browser, live_server, request):
    """open_browser(phone=True, language="zh-hans", javascript=True, name="member") -> Journey."""
    journeys: list[Journey] = []

    def make(*, phone=True, language="zh-hans", javascript=True, name="member"):
        context = browser.new_context(
            **(PHONE if phone else DESKTOP),
            locale=LOCALES[language],
            base_url=live_server.url,
            java_script_enabled=javascript,
            bypass_csp=True,  # axe-core is injected as an inline script
            accept_downloads=True,
        )
        journey = Journey(context.new_page(), name, phone=phone, javascript=javascript, language=language)
        journeys.append(journey)
        return journey

    yield make
    report = getattr(request.node, "report_call", None)
    failed = report is None or report.failed
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    for journey in journeys:
        if failed:
            try:
                journey.shots.append(("at-failure", journey.page.screenshot(full_page=True)))
            except Exception:
                pass
        if failed or ALL_SCREENSHOTS:
            shutil.rmtree(folder, ignore_errors=True) if journey is journeys[0] else None
            journey.write_screenshots(folder)
        journey.page.context.close()


@pytest.fixture
def phone_page(open_browser):
    """A 360px-wide phone, in Chinese."""
    return open_browser().page


@pytest.fixture
def desktop_page(open_browser):
    return open_browser(phone=False).page


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, username: str, password: str = PASSWORD):
    page.goto("/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()


def small_targets(page, minimum=44):
    """Tap targets on the page smaller than `minimum` px high (links in lists, buttons, fields)."""
    return page.evaluate(
        """(minimum) => {
          const selector = [
            'main li a', 'main a.button', 'main button', 'main summary', 'main select',
            'main input:not([type=hidden]):not([type=checkbox]):not([type=radio])',
            'main .more a', 'header a', 'header button',
          ].join(',');
          const small = [];
          for (const el of document.querySelectorAll(selector)) {
            const box = el.getBoundingClientRect();
            if (box.width === 0 && box.height === 0) continue;  // not shown
            if (box.height >= minimum) continue;
            const name = el.textContent.trim().slice(0, 30);
            small.push(`${el.tagName.toLowerCase()} "${name}" ${box.height.toFixed(1)}px`);
          }
          return small;
        }""",
        minimum,
    )


def wrapped_dates(page):
    """Date and time spans (class nowrap) that the browser broke over two lines."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.nowrap')]
              .filter(el => el.getClientRects().length > 1)
              .map(el => el.textContent)"""
    )


def json_dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


def small_tap_targets(page, minimum=44):
    """Every link standing alone, button, radio or checkbox row and header control under `minimum` px.

    Stricter than small_targets (issue 16): links alone in a paragraph, the labels that hold a radio
    button or a checkbox (the whole row is the target), and the header's buttons by width as well.
    """
    return page.evaluate(
        """(minimum) => {
          const small = [];
          const name = el => el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 30) + '"';
          const shown = box => box.width > 0 || box.height > 0;
          const high = [
            'main li a', 'main p > a:only-child', 'main a.button', 'main button', 'main summary',
            'main label:has(input[type=radio])', 'main label:has(input[type=checkbox])',
            'main .field.checkbox', 'main select', 'header a', 'header button',
          ].join(',');
          for (const el of document.querySelectorAll(high)) {
            const box = el.getBoundingClientRect();
            if (shown(box) && box.height < minimum) small.push(`${name(el)} ${box.height.toFixed(1)}px high`);
          }
          for (const el of document.querySelectorAll('header button, main button, main a.button')) {
            const box = el.getBoundingClientRect();
            if (shown(box) && box.width < minimum) small.push(`${name(el)} ${box.width.toFixed(1)}px wide`);
          }
          return small;
        }""",
        minimum,
    )


def page_overflow(page):
    """How far the page is wider than the viewport, and the widest elements that stick out."""
    return page.evaluate(
        """() => ({
          extra: document.documentElement.scrollWidth - window.innerWidth,
          out: [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 5).map(el => el.tagName + '.' + el.className),
        })"""
    )


def narrow_cells(page, selector, minimum_chars=3):
    """Table cells under `selector` narrower than `minimum_chars` characters of their own font."""
    return page.evaluate(
        """([selector, minimum]) => [...document.querySelectorAll(selector)]
              .filter(td => td.textContent.trim().length >= minimum)
              .filter(td => {
                const em = parseFloat(getComputedStyle(td).fontSize);
                const style = getComputedStyle(td);
                const inner = td.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                return inner < minimum * em - 1;
              })
              .map(td => td.textContent.trim().slice(0, 20) + ' ' + td.clientWidth + 'px')""",
        [selector, minimum_chars],
    )
