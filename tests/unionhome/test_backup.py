"""`manage.py backup` then `manage.py restore` into a fresh database: row-for-row identical."""

import io
import json
import os
import tarfile

import pytest
from django.core.management import call_command
from django.db import connection

from tests.unionhome.test_settings import run_unconfigured
from unionhome.backup import row_digests, tables

DIGESTS = (
    "import json, django; django.setup(); from django.db import connection;"
    "from unionhome.backup import row_digests, tables;"
    "print(json.dumps({t: row_digests(connection, t) for t in tables(connection)}))"
)


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of a new, empty database of the same kind as the test database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path}/restored.sqlite3"
        return
    import psycopg

    params = connection.settings_dict
    name = f"{params['NAME']}_restored"
    admin = psycopg.connect(
        host=params["HOST"],
        port=params["PORT"],
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    try:
        yield f"postgres://{auth}@{params['HOST']}:{params['PORT']}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def production_env(tmp_path, database_url):
    return {
        "DJANGO_SECRET_KEY": "backup-test-key",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "0",
        "UNIONHOME_VAR_DIR": str(tmp_path / "restored-var"),
        "UNIONHOME_PRIVATE_ROOT": str(tmp_path / "restored-private"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "restored-media"),
        **(
            {"UNIONHOME_PG_BIN_DIR": os.environ["UNIONHOME_PG_BIN_DIR"]}
            if "UNIONHOME_PG_BIN_DIR" in os.environ
            else {}
        ),
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_restores_the_demo_branch_row_for_row(tmp_path, settings, fresh_database):
    call_command("demo", stdout=io.StringIO())
    settings.UNIONHOME_PRIVATE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "private/welfare/2026").mkdir(parents=True)
    (tmp_path / "private/welfare/2026/诊断证明.pdf").write_bytes(b"%PDF-1.7 confidential")
    out = io.StringIO()
    call_command("backup", output_dir=tmp_path / "backups", stdout=out)
    archive = tmp_path / "backups" / out.getvalue().strip().split("/")[-1]
    assert archive.name.startswith("unionhome-backup-") and archive.name.endswith("Z.tar.gz")
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    source = {table: row_digests(connection, table) for table in tables(connection)}
    assert manifest["tables"]["members_member"]["rows"] == len(source["members_member"]) >= 100
    assert set(manifest["tables"]) == set(source)

    env = production_env(tmp_path, fresh_database)
    restored = run_unconfigured(["manage.py", "restore", str(archive)], **env)
    assert restored.returncode == 0, restored.stderr
    assert "every table's row count and checksum match" in restored.stdout
    result = run_unconfigured(["-c", DIGESTS], DJANGO_SETTINGS_MODULE="unionhome.settings", **env)
    assert result.returncode == 0, result.stderr
    target = json.loads(result.stdout)
    assert sorted(target) == sorted(source)
    for table, digests in source.items():
        assert len(target[table]) == len(digests), table
        assert target[table] == digests, table
    restored_file = tmp_path / "restored-private/welfare/2026/诊断证明.pdf"
    assert restored_file.read_bytes() == b"%PDF-1.7 confidential"

    # A database that holds anything is refused, unless told.
    again = run_unconfigured(["manage.py", "restore", str(archive)], **env)
    assert again.returncode != 0 and "not empty" in again.stderr
    forced = run_unconfigured(["manage.py", "restore", "--force", str(archive)], **env)
    assert forced.returncode == 0, forced.stderr


def test_it_refuses_a_damaged_archive(tmp_path, db):
    archive = tmp_path / "unionhome-backup-20260101T000000Z.tar.gz"
    archive.write_bytes(b"not a tar file")
    with pytest.raises(Exception, match="not a unionhome backup"):
        call_command("restore", str(archive), stdout=io.StringIO())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_refuses_an_archive_whose_database_was_altered(tmp_path, settings):
    settings.UNIONHOME_PRIVATE_ROOT = tmp_path / "none"
    settings.MEDIA_ROOT = tmp_path / "none"
    out = io.StringIO()
    call_command("backup", output_dir=tmp_path, stdout=out)
    archive = tmp_path / out.getvalue().strip().split("/")[-1]
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    database = next(p for p in unpacked.iterdir() if p.name.startswith("database."))
    database.write_bytes(database.read_bytes() + b"tampered")
    with tarfile.open(archive, "w:gz") as tar:
        for path in unpacked.iterdir():
            tar.add(path, arcname=path.name)
    with pytest.raises(Exception, match="damaged"):
        call_command("restore", "--force", str(archive), stdout=io.StringIO())
