"""Backup and restore of the whole portal: the database and the uploaded files.

An archive (`unionhome-backup-<UTC time>.tar.gz`) holds
- `database.sqlite3` (SQLite's online backup API) or `database.pgdump` (pg_dump, custom format),
- `files/private/...` and `files/media/...` (the uploaded files, when there are any),
- `manifest.json`: when and from what it was made, every table's row count and checksum (taken
  from the same snapshot as the dump), and the checksum of every file in the archive.
`restore` checks the archive against its manifest before touching anything, and the restored
database against the manifest after.
"""

import datetime as dt
import decimal
import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections, transaction

FORMAT = 1
MANIFEST = "manifest.json"


# ---------------------------------------------------------------------------- fingerprints
def _canonical(value) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bytes | bytearray | memoryview):
        return "b:" + bytes(value).hex()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def row_digest(row) -> str:
    return hashlib.sha256("\x1f".join(_canonical(value) for value in row).encode()).hexdigest()


def tables(connection) -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def row_digests(connection, table: str) -> list[str]:
    """A checksum of every row of the table, in a stable order (by every column)."""
    with connection.cursor() as cursor:
        columns = [column.name for column in connection.introspection.get_table_description(cursor, table)]
        return _digests(cursor, table, columns, connection.ops.quote_name)


def _digests(cursor, table, columns, quote) -> list[str]:
    order = ", ".join(quote(column) for column in columns)
    cursor.execute(f"SELECT {order} FROM {quote(table)} ORDER BY {order}")  # noqa: S608 (names quoted)
    return [row_digest(row) for row in cursor.fetchall()]


def _summary(digests: list[str]) -> dict:
    return {"rows": len(digests), "sha256": hashlib.sha256("".join(digests).encode()).hexdigest()}


def fingerprint(connection) -> dict[str, dict]:
    """{table: {"rows": count, "sha256": checksum over its rows' checksums}} for every table."""
    return {table: _summary(row_digests(connection, table)) for table in tables(connection)}


def fingerprint_sqlite_file(path: Path) -> dict[str, dict]:
    """The same fingerprint, read from a SQLite file (Django's type converters are global)."""
    import django.db.backends.sqlite3.base  # noqa: F401 (registers the converters Django reads with)

    db = sqlite3.connect(path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    try:
        cursor = db.cursor()
        names = cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
        result = {}
        for (table,) in names:
            columns = [row[1] for row in cursor.execute(f'PRAGMA table_info("{table}")').fetchall()]
            result[table] = _summary(_digests(cursor, table, columns, lambda name: f'"{name}"'))
        return dict(sorted(result.items()))
    finally:
        db.close()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------------------- PostgreSQL tools
def pg_tool(name: str) -> str:
    folder = os.environ.get("UNIONHOME_PG_BIN_DIR", "").strip()
    if folder:
        candidate = Path(folder) / name
        if not os.access(candidate, os.X_OK):
            raise CommandError(f"UNIONHOME_PG_BIN_DIR has no {name}: {candidate}")
        return str(candidate)
    found = shutil.which(name)
    if found:
        return found

    def version(path):
        return [int(part) for part in Path(path).parts[-3].split(".") if part.isdigit()]

    installed = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=version)
    if not installed:
        raise CommandError(f"{name} not found: install postgresql-client or set UNIONHOME_PG_BIN_DIR")
    return installed[-1]


def pg_arguments(connection) -> tuple[list[str], dict]:
    params = connection.settings_dict
    args = ["--dbname", params["NAME"]]
    if params.get("HOST"):
        args += ["--host", params["HOST"]]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", params["USER"]]
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if params.get("OPTIONS", {}).get(option):
            env[variable] = str(params["OPTIONS"][option])
    return args, env


def _run(command: list[str], env=None):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")
    return result


# ---------------------------------------------------------------------------- backup
def upload_folders() -> dict[str, Path]:
    """The folders of uploaded files: private ones (an app's `<APP>_PRIVATE_ROOT` too, when it is
    not inside UNIONHOME_PRIVATE_ROOT, where it is by default) and the public media."""
    folders = {"private": Path(settings.UNIONHOME_PRIVATE_ROOT), "media": Path(settings.MEDIA_ROOT)}
    for name in sorted(dir(settings)):
        if name.endswith("_PRIVATE_ROOT") and name != "UNIONHOME_PRIVATE_ROOT":
            path = Path(getattr(settings, name))
            if not any(path.resolve().is_relative_to(folder.resolve()) for folder in folders.values()):
                folders[name.removesuffix("_PRIVATE_ROOT").lower() + "-private"] = path
    return folders


def backup_create(*, output_dir: Path, using: str = "default") -> Path:
    """Write a consistent, timestamped archive of the database and uploads; return its path."""
    connection = connections[using]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    output_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".backup-") as work:
        work = Path(work)
        if connection.vendor == "sqlite":
            dump, tables_ = _dump_sqlite(connection, work / "database.sqlite3")
        elif connection.vendor == "postgresql":
            dump, tables_ = _dump_postgresql(connection, work / "database.pgdump")
        else:
            raise CommandError(f"backups of {connection.vendor} are not supported")
        files = {}
        for name, folder in upload_folders().items():
            if folder.is_dir():
                target = work / "files" / name
                shutil.copytree(folder, target)
                for path in sorted(p for p in target.rglob("*") if p.is_file()):
                    files[str(path.relative_to(work))] = {
                        "bytes": path.stat().st_size,
                        "sha256": file_sha256(path),
                    }
        manifest = {
            "format": FORMAT,
            "created": stamp,
            "vendor": connection.vendor,
            "database_file": dump.name,
            "database_sha256": file_sha256(dump),
            "migrations": _applied_migrations(connection),
            "tables": tables_,
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        archive = output_dir / f"unionhome-backup-{stamp}.tar.gz"
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            for path in sorted(work.iterdir()):
                tar.add(path, arcname=path.name)
        partial.rename(archive)  # never a half-written archive under the final name
        os.chmod(archive, 0o600)
    return archive


def _applied_migrations(connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        return cursor.fetchone()[0]


def _dump_sqlite(connection, target: Path):
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)  # SQLite's online backup API: one snapshot
    finally:
        destination.close()
    # The checksums are read from the copy itself, so they describe exactly what was saved.
    return target, fingerprint_sqlite_file(target)


def _dump_postgresql(connection, target: Path):
    args, env = pg_arguments(connection)
    # One snapshot for the dump and the checksums: a repeatable-read transaction exports it.
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        _run(
            [
                pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
                *args,
            ],
            env,
        )
        tables_ = fingerprint(connection)
    return target, tables_


# ---------------------------------------------------------------------------- restore
@contextmanager
def opened_archive(archive: Path):
    """Unpack the archive and check every part against the manifest before anything is touched."""
    if not archive.is_file():
        raise CommandError(f"no such archive: {archive}")
    with tempfile.TemporaryDirectory(prefix="unionhome-restore-") as work:
        work = Path(work)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(work, filter="data")
            manifest = json.loads((work / MANIFEST).read_text())
        except (tarfile.TarError, OSError, ValueError) as error:
            raise CommandError(f"{archive} is not a unionhome backup: {error}") from None
        if manifest.get("format") != FORMAT:
            raise CommandError(f"{archive} has an unknown format: {manifest.get('format')!r}")
        if file_sha256(work / manifest["database_file"]) != manifest["database_sha256"]:
            raise CommandError(
                "the database in the archive does not match its checksum: the archive is damaged"
            )
        for name, expected in manifest["files"].items():
            if file_sha256(work / name) != expected["sha256"]:
                raise CommandError(f"{name} does not match its checksum: the archive is damaged")
        yield work, manifest


def database_is_empty(connection) -> bool:
    return not tables(connection)


def uploads_are_empty() -> bool:
    return not any(folder.is_dir() and any(folder.iterdir()) for folder in upload_folders().values())


def backup_restore(*, archive: Path, force: bool = False, using: str = "default") -> dict:
    """Bring an archive back; refuses a database or upload folder that holds anything unless forced."""
    connection = connections[using]
    with opened_archive(archive) as (work, manifest):
        if manifest["vendor"] != connection.vendor:
            raise CommandError(
                f"the archive holds a {manifest['vendor']} database, this is {connection.vendor}"
            )
        if not force and not database_is_empty(connection):
            raise CommandError(
                "the database is not empty: restore into a new, empty database, or use --force"
            )
        if not force and not uploads_are_empty():
            raise CommandError("the upload folders are not empty: restore into empty folders, or use --force")
        if connection.vendor == "sqlite":
            _restore_sqlite(connection, work / manifest["database_file"])
        else:
            _restore_postgresql(connection, work / manifest["database_file"], force=force)
        for name, folder in upload_folders().items():
            source = work / "files" / name
            if source.is_dir():
                if folder.exists():
                    shutil.rmtree(folder)
                shutil.copytree(source, folder)
        connection.close()
        restored = fingerprint(connection)
        if restored != manifest["tables"]:
            differing = sorted(
                t
                for t in set(restored) | set(manifest["tables"])
                if restored.get(t) != manifest["tables"].get(t)
            )
            raise CommandError(f"the restored database differs from the backup in: {', '.join(differing)}")
        return manifest


def _restore_sqlite(connection, source: Path):
    connection.close()
    source_db = sqlite3.connect(source)
    target_db = sqlite3.connect(connection.settings_dict["NAME"])
    try:
        source_db.backup(target_db)  # replaces the whole target database
    finally:
        source_db.close()
        target_db.close()


def _restore_postgresql(connection, dump: Path, *, force: bool):
    if force:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in tables(connection):
                cursor.execute(f"DROP TABLE IF EXISTS {quote(table)} CASCADE")
    connection.close()
    args, env = pg_arguments(connection)
    _run(
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            *args,
            str(dump),
        ],
        env,
    )
