"""`deploy/serve.sh` (what `make serve` runs) against a file database: two gunicorn workers behind
a pretend proxy. Rate limits hold across the workers, static files are hashed, compressed and
cached for a year, and the logs are one JSON line per event with the request id."""

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

import pytest

from tests.unionhome.test_settings import run_unconfigured

ROOT = Path(__file__).resolve().parents[2]
HOST = "union.example.edu.cn"
USERS = [f"20090{n}" for n in range(1, 6)]
TARGET = "2009099"


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
        pages = list(pool.map(guess, range(20)))
    assert sum("登录失败次数过多" in page for page in pages) == 15
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
