"""`deploy/serve.sh` (what `make serve` runs) against a file database: two gunicorn workers behind
a pretend proxy, with gunicorn's default 30-second timeout. Rate limits hold across the workers,
static files are hashed, compressed and cached for a year, the logs are one JSON line per event
with the request id, and a 10,000-row roster previews and imports within the timeout."""

import http.client
import json
import re
import socket
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.unionhome.test_settings import run_unconfigured

ROOT = Path(__file__).resolve().parents[2]
HOST = "union.example.edu.cn"
USERS = [f"20090{n}" for n in range(1, 6)]
TARGET = "2009099"


OFFICER = "2009100"
ROSTER_OFFICER = f"""
from django.contrib.auth.models import Group, User
from members.models import Branch, Department, Member, UnionGroup
from unionhome import roles
branch = Branch.objects.create(name="数学与统计学院分工会")
group = UnionGroup.objects.create(branch=branch, name="数学系工会小组")
Department.objects.create(branch=branch, name="数学系")
user = User.objects.create_user("{OFFICER}", "{OFFICER}@example.edu.cn", "pw-123456", is_staff=True)
user.groups.add(*[Group.objects.get_or_create(name=role)[0] for role in (roles.MEMBER, roles.OFFICER)])
Member.objects.create(user=user, branch=branch, union_group=group, staff_number="{OFFICER}", name="王老师",
                      gender="F", birth_date="1975-03-01", email="{OFFICER}@example.edu.cn")
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    where = tmp_path_factory.mktemp("deployed")
    port = free_port()
    env = {
        "DJANGO_SECRET_KEY": "deployment-test-" + "q8Wm3Zr7Tn2Lp5Xv9Bc4Hd6Jf1Kg0Ys",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"sqlite:///{where}/db.sqlite3",
        "DJANGO_STATIC_ROOT": str(where / "static"),
        "UNIONHOME_VAR_DIR": str(where / "var"),
        "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "UNIONHOME_TRUSTED_PROXY_COUNT": "1",
        "UNIONHOME_BIND": f"127.0.0.1:{port}",
        "UNIONHOME_WORKERS": "2",
        "UNIONHOME_TIMEOUT": "30",  # gunicorn's own default, shorter than deploy/'s 60
        "UNIONHOME_ENV_FILE": str(where / "none.env"),
        "UNIONHOME_PYTHON": sys.executable,
    }
    log = open(where / "stderr.log", "w")  # noqa: SIM115 (closed at teardown)
    process = subprocess.Popen(
        ["bash", "deploy/serve.sh"], cwd=ROOT, env=_environment(env), stdout=log, stderr=log
    )
    try:
        _wait_for(port, process, where / "stderr.log")
        users = ";".join(
            f"U.objects.create_user({name!r}, '{name}@example.edu.cn', 'pw-123456')"
            for name in [*USERS, TARGET]
        )
        created = run_unconfigured(
            ["manage.py", "shell", "-c", f"from django.contrib.auth.models import User as U; {users}"], **env
        )
        assert created.returncode == 0, created.stderr
        created = run_unconfigured(["manage.py", "shell", "-c", ROSTER_OFFICER], **env)
        assert created.returncode == 0, created.stderr
        yield {"port": port, "where": where, "log": where / "stderr.log"}
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _environment(env):
    import os

    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "UNIONHOME_"))
    }
    clean.update(env)
    return clean


def _wait_for(port, process, log_path):
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("serve.sh stopped:\n" + log_path.read_text()[-3000:])
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail("gunicorn did not start:\n" + log_path.read_text()[-3000:])


class Browser:
    """A client behind the proxy: HTTPS as far as the app knows, the real address in XFF."""

    def __init__(self, port, address="10.20.30.40"):
        self.port, self.address, self.cookies = port, address, {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        response.text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        connection.close()
        return response

    def log_in(self, login, password):
        page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        body = f"csrfmiddlewaretoken={token}&login={login}&password={password}"
        return self.request(
            "POST",
            "/accounts/login/",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://{HOST}"},
        )


def test_it_lets_five_colleagues_behind_one_address_in_across_two_workers(server):
    def colleague(name):
        browser = Browser(server["port"])
        typos = [browser.log_in(name, wrong).status for wrong in ("pw-12345", "pw-1234567")]
        return typos, browser.log_in(name, "pw-123456").status

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(colleague, USERS))
    assert results == [([200, 200], 302)] * 5


def test_it_throttles_guesses_at_one_account_across_two_workers(server):
    def guess(number):
        return Browser(server["port"], address=f"10.0.{number}.1").log_in(TARGET, f"guess-{number}").text

    with ThreadPoolExecutor(max_workers=2) as pool:
        pages = list(pool.map(guess, range(40)))
    # 40 guesses from 40 addresses: the account-wide cap (30 an hour) holds across the workers.
    assert sum("登录失败次数过多" in page for page in pages) == 10
    assert "登录失败次数过多" in Browser(server["port"], "10.9.9.9").log_in(TARGET, "pw-123456").text
    # Both workers answered login attempts (gunicorn's access log names the worker's pid).
    log = server["log"].read_text()
    pids = set(re.findall(r'"POST /accounts/login/ HTTP/1.1" \d+ \d+ \d+ms pid=<(\d+)>', log))
    assert len(pids) == 2


def test_it_logs_one_json_line_per_event_with_the_request_id(server):
    browser = Browser(server["port"], "10.7.7.7")
    failed = browser.log_in(USERS[0], "wrong-password")
    missing = browser.request("GET", "/no-such-page/")
    assert missing.status == 404 and "找不到页面" in missing.text
    time.sleep(0.5)
    lines = server["log"].read_text().splitlines()
    events = [json.loads(line) for line in lines if line.startswith("{")]
    by_id = {}
    for event in events:
        by_id.setdefault(event["request_id"], []).append(event)
    login_events = by_id[failed.getheader("X-Request-ID")]
    assert any(
        e["level"] == "WARNING" and "login failed" in e["message"] and "10.7.7.7" in e["message"]
        for e in login_events
    )
    not_found = by_id[missing.getheader("X-Request-ID")]
    assert any(e["level"] == "WARNING" and "Not Found: /no-such-page/" in e["message"] for e in not_found)
    assert f"request_id={missing.getheader('X-Request-ID')}" in server["log"].read_text()


def test_it_sends_secure_headers_and_the_policy_behind_the_proxy(server):
    response = Browser(server["port"]).request("GET", "/accounts/login/")
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains"
    assert "default-src 'self'" in response.getheader("Content-Security-Policy")
    assert all("Secure" in value for header, value in response.getheaders() if header.lower() == "set-cookie")


def test_it_serves_hashed_compressed_static_files_cached_for_a_year(server):
    page = Browser(server["port"]).request("GET", "/accounts/login/").text
    css = re.search(r'href="(/static/css/unionhome\.[0-9a-f]{12}\.css)"', page).group(1)
    response = Browser(server["port"]).request("GET", css, headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "max-age=315360000" in response.getheader("Cache-Control")
    assert "immutable" in response.getheader("Cache-Control")


def test_it_created_the_cache_table_with_migrate_and_counts_there(server):
    Browser(server["port"], "10.8.8.8").log_in(USERS[1], "wrong-password")
    with sqlite3.connect(server["where"] / "db.sqlite3") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "unionhome_cache" in tables
        # The rate limits are counted there, shared by both workers.
        counted = db.execute("SELECT count(*) FROM unionhome_cache WHERE cache_key LIKE '%rl%'").fetchone()[0]
        assert counted > 0


def roster_xlsx(count) -> bytes:
    import tablib

    from tests.members.test_roster_import import HEADER

    dataset = tablib.Dataset(headers=HEADER)
    for n in range(count):
        dataset.append(
            [
                f"5{n:06d}",
                f"教工{n}",
                "女" if n % 2 else "男",
                "1980-01-01",
                "数学系",
                "数学系工会小组",
                "讲师",
                f"139{n:08d}",
                f"staff{n}@example.edu.cn",
                "2010-09-01",
                "在职",
            ]
        )
    return dataset.export("xlsx")


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = "----unionhome-test-boundary"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_it_imports_a_whole_universitys_roster_within_the_workers_timeout(server):
    """10,000 rows: the preview and the import each answer well inside gunicorn's 30 s."""
    browser = Browser(server["port"], "10.6.6.6")
    assert browser.log_in(OFFICER, "pw-123456").status == 302
    page = browser.request("GET", "/admin/members/member/import/")
    assert page.status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    content = roster_xlsx(10_000)
    fields = {"csrfmiddlewaretoken": token, "resource": "0", "format": "0"}
    body, content_type = multipart(fields, {"import_file": ("全校名册.xlsx", content)})
    post_headers = {"Content-Type": content_type, "Origin": f"https://{HOST}"}
    started = time.monotonic()
    preview = browser.request("POST", "/admin/members/member/import/", body=body, headers=post_headers)
    preview_seconds = time.monotonic() - started
    assert preview.status == 200, preview.text[-2000:]
    assert "文件共 10000 行：新增 10000 行" in preview.text
    assert len(preview.text) < 1_000_000  # 200 rows shown, not 10,000
    confirm = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', preview.text))
    confirm["csrfmiddlewaretoken"] = token
    body = "&".join(f"{name}={quote(value)}" for name, value in confirm.items())
    started = time.monotonic()
    done = browser.request(
        "POST",
        "/admin/members/member/process_import/",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://{HOST}"},
    )
    import_seconds = time.monotonic() - started
    assert done.status == 302, done.text[-2000:]
    started = time.monotonic()
    assert browser.request("GET", "/accounts/login/").status in (200, 302)
    bare_seconds = time.monotonic() - started
    with sqlite3.connect(server["where"] / "db.sqlite3") as db:
        assert (
            db.execute("SELECT count(*) FROM members_member WHERE staff_number LIKE '5%'").fetchone()[0]
            == 10_000
        )
        created = db.execute(
            "SELECT count(*) FROM unionhome_auditentry WHERE action = 'member.created'"
        ).fetchone()[0]
        assert created == 10_000
    print(
        f"\n10,000-row roster ({len(content) // 1024} KB xlsx) under gunicorn: "
        f"preview {preview_seconds:.1f} s, import {import_seconds:.1f} s; "
        f"a small page {bare_seconds * 1000:.0f} ms"
    )
