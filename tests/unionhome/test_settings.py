import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def run_unconfigured(command, **env):
    """Run a Python command in a fresh interpreter with only the given unionhome settings."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "UNIONHOME_"))
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, *command], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def load_settings(**env):
    """Import the settings module with the given environment."""
    return run_unconfigured(
        ["-c", "import unionhome.settings as s; print(s.DATABASES['default']['ENGINE'])"], **env
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG must be one of"),
        ({"DJANGO_DEBUG": "false"}, "DJANGO_SECRET_KEY must be set"),
        (
            {"DJANGO_SECRET_KEY": "k", "DJANGO_EMAIL_PORT": "twenty-five"},
            "DJANGO_EMAIL_PORT must be a whole number",
        ),
        (
            {"DJANGO_SECRET_KEY": "k", "DJANGO_ALLOWED_HOSTS": "a.edu.cn,,b"},
            "DJANGO_ALLOWED_HOSTS must be a comma",
        ),
        ({"DJANGO_SECRET_KEY": "k", "DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL"),
        ({"DJANGO_SECRET_KEY": "k", "DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"DJANGO_SECRET_KEY": "k", "UNIONHOME_YOUNG_TEACHER_MAX_AGE": "12"}, "must be at least 18"),
        (
            {"DJANGO_SECRET_KEY": "k", "UNIONHOME_RETIREMENT_WOMEN_ORIGINAL_AGE": "52"},
            "UNIONHOME_RETIREMENT_WOMEN_ORIGINAL_AGE must be one of 50, 55",
        ),
    ],
)
def test_it_fails_clearly_on_malformed_environment_values(env, message):
    result = load_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_it_defaults_to_sqlite_and_switches_to_postgresql_by_url():
    assert load_settings(DJANGO_DEBUG="true").stdout.strip() == "django.db.backends.sqlite3"
    result = load_settings(DJANGO_SECRET_KEY="k", DATABASE_URL="postgres://u:p@127.0.0.1:5432/unionhome")
    assert result.stdout.strip() == "django.db.backends.postgresql", result.stderr


def test_it_configures_sqlite_for_concurrent_writers():
    from unionhome.env import sqlite_database

    config = sqlite_database("/tmp/x.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's writer locking")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_survives_20_concurrent_writer_threads_on_sqlite(branch, group):
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from members.models import Member

    assert connection.settings_dict["NAME"] != ":memory:"
    errors = []
    start = threading.Barrier(20)

    def write(number):
        try:
            start.wait()
            for round_ in range(5):
                with transaction.atomic():
                    # Read before writing: a deferred transaction would fail to upgrade its lock.
                    Member.objects.filter(branch=branch).count()
                    user = get_user_model().objects.create(username=f"w{number}-{round_}")
                    Member.objects.create(
                        user=user,
                        branch=branch,
                        union_group=group,
                        staff_number=f"w{number}-{round_}",
                        name="并发",
                        gender="M",
                        birth_date="1990-01-01",
                    )
                    Member.objects.filter(staff_number=f"w{number}-{round_}").update(title="写入")
        except Exception as error:  # collected and asserted below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert Member.objects.filter(title="写入").count() == 100


def test_it_runs_manage_py_in_debug_only_when_nothing_is_configured():
    check = run_unconfigured(["manage.py", "check"], UNIONHOME_VAR_DIR="/tmp/unionhome-check")
    assert check.returncode == 0, check.stderr
    # The production entry point still refuses to start without a secret key.
    wsgi = run_unconfigured(["-c", "import unionhome.wsgi"], UNIONHOME_VAR_DIR="/tmp/unionhome-check")
    assert wsgi.returncode != 0 and "DJANGO_SECRET_KEY must be set" in wsgi.stderr
