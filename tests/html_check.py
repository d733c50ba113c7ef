"""Every HTML page the suite renders is checked once, at the end of the run, as valid HTML5.

Any test hands a page over with `collect_html(name, html)` (or `collect_response(name, response)`
for a test client's response); the browser journeys hand over every page they visit. At the end of
the session ONE Nu HTML Checker process (vnu.jar from the npm package `vnu-jar`, installed by
`make test` into .tools/, run with the system Java) checks all collected pages; any error fails
the run, listed per page. Without Java or vnu.jar the pages are parsed by html5lib in strict mode.

Pages are written to a folder as they are collected (named in the environment, so that pytest-xdist
workers write to the controller's folder), identical pages once.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = ROOT / ".tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ENV_DIR = "UNIONHOME_HTML_CHECK_DIR"
_RESULT_KEY = pytest.StashKey[list]()


def _pages_dir() -> Path | None:
    folder = os.environ.get(ENV_DIR)
    return Path(folder) if folder else None


def collect_html(name: str, html: str | bytes) -> None:
    """Hand one rendered page to the end-of-run HTML check (`name` says which page, for whom)."""
    folder = _pages_dir()
    if folder is None:  # not under pytest with this plugin (e.g. a script): nothing to do
        return
    data = html.encode("utf-8") if isinstance(html, str) else html
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")[:80] or "page"
    digest = hashlib.sha1(data).hexdigest()[:10]
    (folder / f"{slug}--{digest}.html").write_bytes(data)


def collect_response(name: str, response) -> None:
    """Collect a test client's response if it is a 200 HTML page."""
    if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
        collect_html(name, response.content)


@pytest.fixture(scope="session")
def html_pages():
    """The collector, for tests that prefer a fixture: `html_pages(name, html)`."""
    return collect_html


def vnu_command() -> list[str] | None:
    java = shutil.which("java")
    jar = Path(os.environ.get("UNIONHOME_VNU_JAR", VNU_JAR))
    if java and jar.exists():
        return [java, "-Xss1024k", "-jar", str(jar)]
    return None


def check_with_vnu(command: list[str], folder: Path) -> dict[str, list[str]]:
    completed = subprocess.run(
        [*command, "--errors-only", "--format", "json", "--skip-non-html", str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        report = json.loads(completed.stderr or completed.stdout)
    except json.JSONDecodeError:
        return {"(the Nu HTML Checker did not run)": [(completed.stderr or completed.stdout)[-2000:]]}
    errors: dict[str, list[str]] = {}
    for message in report.get("messages", []):
        if message.get("type") not in ("error", "non-document-error"):
            continue
        page = Path(message.get("url", "?").removeprefix("file:")).name
        where = f"line {message.get('lastLine', '?')}"
        extract = " ".join(message.get("extract", "").split())
        errors.setdefault(page, []).append(f"{where}: {message.get('message')}  [{extract}]")
    return errors


def check_with_html5lib(folder: Path) -> dict[str, list[str]]:
    import html5lib

    errors: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.html")):
        parser = html5lib.HTMLParser(strict=True)
        try:
            parser.parse(path.read_bytes())
        except html5lib.html5parser.ParseError as error:
            errors[path.name] = [str(error)]
    return errors


def pytest_configure(config):
    if hasattr(config, "workerinput"):  # an xdist worker: the controller made the folder
        return
    folder = Path(tempfile.mkdtemp(prefix="unionhome-html-"))
    os.environ[ENV_DIR] = str(folder)
    config.stash[_RESULT_KEY] = []


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session, exitstatus):
    config = session.config
    if hasattr(config, "workerinput"):
        return
    folder = _pages_dir()
    if folder is None or not folder.exists():
        return
    pages = sorted(folder.glob("*.html"))
    lines = []
    if pages:
        command = vnu_command()
        if command:
            checker = "the Nu HTML Checker"
            errors = check_with_vnu(command, folder)
        else:
            checker = "html5lib (strict; install Java and run `make test-tools` for the Nu HTML Checker)"
            errors = check_with_html5lib(folder)
        if errors:
            lines.append(f"{len(errors)} of {len(pages)} collected pages are not valid HTML ({checker}):")
            for page, messages in sorted(errors.items()):
                lines.append(f"  {page}")
                lines.extend(f"    {message}" for message in messages)
            if session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
        else:
            lines.append(f"HTML check: {len(pages)} collected pages are valid ({checker}).")
    config.stash[_RESULT_KEY] = lines
    if not lines or lines[0].startswith("HTML check"):
        shutil.rmtree(folder, ignore_errors=True)
    else:
        lines.append(f"  (the pages are kept in {folder})")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    lines = config.stash.get(_RESULT_KEY, [])
    if not lines:
        return
    failed = not lines[0].startswith("HTML check")
    terminalreporter.section("HTML check", sep="=", red=failed, green=not failed, bold=True)
    for line in lines:
        terminalreporter.write_line(line)
