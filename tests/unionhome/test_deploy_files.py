"""deploy/ and .env.example say what a newcomer needs: every setting, matching upload limits."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
READ = re.compile(r"""(?:env_\w+\(|os\.environ\.get\(|environ\[)\s*["']([A-Z][A-Z0-9_]+)["']""")
SHELL = re.compile(r"\$\{([A-Z][A-Z0-9_]+)[:}]")


def variables_read():
    names = set()
    for path in [*ROOT.glob("unionhome/**/*.py"), *ROOT.glob("deploy/**/*.py")]:
        names |= set(READ.findall(path.read_text()))
    names |= set(SHELL.findall((ROOT / "deploy/serve.sh").read_text()))
    return names - {"DJANGO_SETTINGS_MODULE"}


def test_it_lists_every_setting_in_env_example():
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    read = variables_read()
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "UNIONHOME_TRUSTED_PROXY_COUNT"} <= read
    assert sorted(read - listed) == []
    assert sorted(listed - read - {"DJANGO_EMAIL_BACKEND"}) == []


def test_it_limits_uploads_in_nginx_just_above_the_apps_limit():
    conf = (ROOT / "deploy/nginx/unionhome.conf").read_text()
    size = re.search(r"client_max_body_size (\d+)m;", conf).group(1)
    proxy_limit = int(size) * 1024 * 1024
    app_limit = max(
        settings.UNIONHOME_IMPORT_MAX_BYTES,
        settings.UNIONHOME_DISCLOSURE_ATTACHMENT_MAX_BYTES,
        settings.WELFARE_ATTACHMENT_MAX_BYTES,
    )
    assert app_limit < proxy_limit <= app_limit + 1024 * 1024


def test_it_passes_the_client_address_and_scheme_from_the_proxy():
    conf = (ROOT / "deploy/nginx/unionhome.conf").read_text()
    for line in (
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_set_header X-Forwarded-For $remote_addr;",
        "proxy_set_header Host $host;",
        "proxy_set_header X-Request-ID $request_id;",
        "ssl_certificate ",
        "proxy_pass http://unionhome;",
    ):
        assert line in conf
    unit = (ROOT / "deploy/systemd/unionhome.service").read_text()
    assert "ExecStart=/srv/unionhome/deploy/serve.sh" in unit and "EnvironmentFile=" in unit


def test_it_ships_an_nginx_site_that_nginx_accepts(tmp_path):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not nginx:
        pytest.skip("nginx is not installed (Debian package nginx-light)")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=union.example.edu.cn",
            "-keyout",
            str(tmp_path / "key.pem"),
            "-out",
            str(tmp_path / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    site = (ROOT / "deploy/nginx/unionhome.conf").read_text()
    site = site.replace("/etc/ssl/certs/union.example.edu.cn.pem", str(tmp_path / "cert.pem"))
    site = site.replace("/etc/ssl/private/union.example.edu.cn.key", str(tmp_path / "key.pem"))
    site = re.sub(
        r"listen (\[::\]:)?(80|443)",
        lambda m: (
            f"listen {m.group(1) or ''}127.0.0.1:{m.group(2)}"
            if not m.group(1)
            else f"listen [::1]:{m.group(2)}"
        ),
        site,
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{ access_log off; client_body_temp_path {tmp_path};\n"
        f"include {tmp_path}/site.conf; }}\n"
    )
    result = subprocess.run([nginx, "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_it_ships_an_env_example_that_the_shell_reads_cleanly():
    result = subprocess.run(
        ["bash", "-c", 'set -a; . ./.env.example; set +a; echo "$UNIONHOME_PDF_FONT_FAMILY"'],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.strip() == "Noto Sans CJK SC"
