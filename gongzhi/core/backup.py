"""Backups that restore: a PostgreSQL custom-format dump, the uploaded files (media and
the private photos of paper forms) and a manifest that lets a restore prove it got
back exactly what was saved.

A backup is a folder::

    manifest.json      row count of every table, the audit chain's head, the migration
                       state, sha256 and size of the dump and of every file
    database.dump      pg_dump -Fc
    files/media/...    a copy of MEDIA_ROOT
    files/private/...  a copy of PRIVATE_ROOT

The manifest is written last, so a folder without one is an interrupted backup. The
row counts, the audit head and the dump come from one database snapshot (pg_dump
--snapshot), so they agree even while the site is in use.

A restore checks the whole folder against the manifest before it touches anything,
then refuses a target that is not empty (a database with tables, a root with files)
unless told to empty it first; after pg_restore and the copy it compares the row
counts, the audit head and every file with the manifest and walks the audit chain.

Only PostgreSQL, the production database, is backed up here: an SQLite file is
copied with ``sqlite3 gongzhi.sqlite3 ".backup copy.sqlite3"`` (see README.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections
from django.db.backends.postgresql.client import DatabaseClient

from .pagecache import new_version

FORMAT = "gongzhi-backup"
VERSION = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files"
CHUNK = 1 << 20
# Schemas that belong to PostgreSQL itself, never to the application.
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message tells the operator why."""


def roots() -> dict[str, Path]:
    """The folders whose files a backup holds, by the name they have in it."""
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_ROOT)}


# --- Helpers ------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_hashed(source: Path, target: Path) -> dict:
    """Copy one file, hashing the bytes as they are written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with open(source, "rb") as src, open(target, "wb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    shutil.copystat(source, target)
    return {"sha256": digest.hexdigest(), "size": size}


def _files_under(folder: Path) -> list[Path]:
    """Every file under ``folder`` (sorted, relative to it); none when it is missing."""
    if not folder.is_dir():
        return []
    found = []
    for directory, _dirs, names in os.walk(folder):
        for name in names:
            found.append((Path(directory) / name).relative_to(folder))
    return sorted(found)


def _checksum(manifest: dict) -> str:
    """The manifest's own checksum: catches an edited or damaged manifest (a row count
    changed by hand) before a restore starts. Not a signature: keep backups where
    only the operator can write (README.md)."""
    body = {key: value for key, value in manifest.items() if key != "checksum"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _git_commit() -> str | None:
    try:
        found = subprocess.run(  # noqa: S603 - fixed arguments
            ["git", "rev-parse", "HEAD"],  # noqa: S607 - git from PATH, if any
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return found.stdout.strip() or None


def _postgresql(using: str):
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise BackupError(
            f"the database is {connection.vendor}, not PostgreSQL: backup and restore "
            "work on PostgreSQL, the production database (copy an SQLite file with "
            'sqlite3 FILE ".backup COPY", see README.md)'
        )
    return connection


def _libpq_env(connection) -> dict[str, str]:
    """The environment that points pg_dump / pg_restore at Django's database (the
    password in the environment, never on the command line)."""
    settings_dict = connection.settings_dict
    _args, extra = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = {**os.environ, **(extra or {})}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _major(version_text: str) -> int:
    """14 of "pg_dump (PostgreSQL) 14.11 (Debian ...)" or of "14.11"."""
    found = re.search(r"(?:PostgreSQL\)\s*|^)(\d+)", version_text.strip())
    if not found:
        raise BackupError(f"cannot read a PostgreSQL version from {version_text!r}")
    return int(found.group(1))


def _server_major(connection) -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def _tool(name: str, needs_major: int) -> tuple[str, str]:
    """pg_dump or pg_restore of at least ``needs_major`` (a newer one reads and writes
    older servers' data, an older one refuses): GONGZHI_PG_BINDIR, then Debian's
    /usr/lib/postgresql/<major>/bin, then PATH."""
    candidates = []
    if os.environ.get("GONGZHI_PG_BINDIR"):
        candidates.append(Path(os.environ["GONGZHI_PG_BINDIR"]) / name)
    candidates.append(Path(f"/usr/lib/postgresql/{needs_major}/bin/{name}"))
    if found := shutil.which(name):
        candidates.append(Path(found))
    seen = []
    for candidate in candidates:
        if not os.access(candidate, os.X_OK):
            continue
        try:
            version = subprocess.run(  # noqa: S603 - a PostgreSQL tool we located
                [str(candidate), "--version"], capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            continue
        seen.append(f"{candidate}: {version}")
        if _major(version) >= needs_major:
            return str(candidate), version
    raise BackupError(
        f"{name} of PostgreSQL {needs_major} or newer is needed "
        f"(Debian: apt-get install postgresql-client-{needs_major}, or set "
        f"GONGZHI_PG_BINDIR); found: {'; '.join(seen) or 'none'}"
    )


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    finished = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if finished.returncode != 0:
        detail = (finished.stderr or finished.stdout).strip()[-2000:]
        raise BackupError(f"{what} failed (exit {finished.returncode}): {detail}")


def _table_names(cursor) -> list[str]:
    cursor.execute(
        "SELECT schemaname, tablename FROM pg_tables "
        "WHERE schemaname <> ALL(%s) AND schemaname NOT LIKE 'pg\\_%%' "
        "ORDER BY schemaname, tablename",
        [list(SYSTEM_SCHEMAS)],
    )
    return [f"{schema}.{table}" for schema, table in cursor.fetchall()]


def _quoted(qualified: str) -> str:
    schema, table = qualified.split(".", 1)
    return '"{}"."{}"'.format(schema.replace('"', '""'), table.replace('"', '""'))


def database_state(cursor) -> dict:
    """Row count of every table, the audit chain's head and the applied migrations,
    as the cursor's transaction sees them."""
    tables = {}
    for name in _table_names(cursor):
        # The names come from pg_tables and are quoted as identifiers.
        cursor.execute(f"SELECT count(*) FROM {_quoted(name)}")  # noqa: S608
        tables[name] = cursor.fetchone()[0]
    head = {"last_seq": 0, "last_hash": ""}
    migrations: dict[str, list[str]] = {}
    if "public.core_auditchainhead" in tables:
        cursor.execute("SELECT last_seq, last_hash FROM core_auditchainhead WHERE id = 1")
        row = cursor.fetchone()
        if row:
            head = {"last_seq": int(row[0]), "last_hash": row[1]}
    if "public.django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    return {"tables": tables, "audit_head": head, "migrations": migrations}


# --- Backup -------------------------------------------------------------------------


def create_backup(destination: Path, *, using: str = "default") -> dict:
    """Write a backup of the database and the uploaded files into ``destination`` (a
    new or empty folder); return the manifest.

    Permission: run by the operator from the shell (manage.py backup), no user acts.
    """
    connection = _postgresql(using)
    destination = Path(destination).resolve()
    for name, root in roots().items():
        if destination.is_relative_to(root.resolve()):
            raise BackupError(f"the backup folder {destination} is inside the {name} root")
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise BackupError(f"{destination} exists and is not an empty folder")
    server_major = _server_major(connection)
    pg_dump, pg_dump_version = _tool("pg_dump", server_major)
    created = not destination.exists()
    destination.mkdir(parents=True, exist_ok=True)
    try:
        manifest = _write_backup(destination, connection, pg_dump, pg_dump_version)
    except BaseException:
        if created:
            shutil.rmtree(destination, ignore_errors=True)
        else:
            for child in destination.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise
    return manifest


def _write_backup(destination, connection, pg_dump, pg_dump_version) -> dict:
    from psycopg import IsolationLevel

    snapshot_connection = connection.get_new_connection(connection.get_connection_params())
    try:
        # One transaction that sees one snapshot for all its statements, held open
        # while pg_dump reads that snapshot too.
        snapshot_connection.autocommit = False
        snapshot_connection.isolation_level = IsolationLevel.REPEATABLE_READ
        snapshot_connection.read_only = True
        with snapshot_connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            # pg_dump reads the very snapshot the counts below are taken in.
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={destination / DUMP}",
                    f"--dbname={connection.settings_dict['NAME']}",
                ],
                _libpq_env(connection),
                "pg_dump",
            )
            state = database_state(cursor)
            cursor.execute("SHOW server_version")
            server_version = cursor.fetchone()[0]
    finally:
        snapshot_connection.close()

    files = {}
    for name, root in roots().items():
        for relative in _files_under(root):
            key = f"{name}/{relative.as_posix()}"
            files[key] = _copy_hashed(root / relative, destination / FILES / name / relative)

    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": _git_commit(),
        "database": {
            "server_version": server_version,
            "pg_dump": pg_dump_version,
            "dump": {
                "name": DUMP,
                "sha256": _sha256(destination / DUMP),
                "size": (destination / DUMP).stat().st_size,
            },
        },
        **state,
        "files": files,
    }
    manifest["checksum"] = _checksum(manifest)
    text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True)
    (destination / MANIFEST).write_text(text + "\n", encoding="utf-8")
    return manifest


# --- Restore ------------------------------------------------------------------------


@dataclass
class Restored:
    manifest: dict
    notes: list[str] = field(default_factory=list)


def read_verified(source: Path) -> dict:
    """The backup's manifest, once every file in the folder matches it: raises
    BackupError naming each missing, extra, changed file and an edited manifest."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(
            f"{source} has no {MANIFEST}: not a backup, or an unfinished one"
        ) from None
    except (OSError, ValueError) as error:
        raise BackupError(f"{source / MANIFEST} cannot be read: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source / MANIFEST} is not a Gongzhi backup manifest")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"backup format version {manifest.get('version')!r}; this code reads {VERSION}"
        )
    if manifest.get("checksum") != _checksum(manifest):
        raise BackupError("the manifest was edited or is damaged (its checksum does not match)")

    problems = []
    dump = manifest["database"]["dump"]
    dump_path = source / DUMP
    if not dump_path.is_file():
        problems.append(f"missing: {DUMP}")
    elif dump_path.stat().st_size != dump["size"] or _sha256(dump_path) != dump["sha256"]:
        problems.append(f"changed: {DUMP} (its sha256 or size differs from the manifest)")

    expected = manifest["files"]
    for key in expected:
        parts = PurePosixPath(key).parts
        if (
            len(parts) < 2
            or parts[0] not in roots()
            or PurePosixPath(key).is_absolute()
            or any(part in ("", ".", "..") for part in parts)
        ):
            raise BackupError(f"the manifest names a file outside the roots: {key!r}")
    present = {relative.as_posix() for relative in _files_under(source / FILES)}
    for key in sorted(set(expected) - present):
        problems.append(f"missing: {FILES}/{key}")
    for key in sorted(present - set(expected)):
        problems.append(f"extra: {FILES}/{key}")
    for key in sorted(present & set(expected)):
        path = source / FILES / key
        if path.stat().st_size != expected[key]["size"] or _sha256(path) != expected[key]["sha256"]:
            problems.append(f"changed: {FILES}/{key}")
    others = {p.name for p in source.iterdir()} - {MANIFEST, DUMP, FILES}
    problems += [f"extra: {name}" for name in sorted(others)]
    if problems:
        shown = "\n  ".join(problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise BackupError(
            f"the backup does not match its manifest; nothing was restored:\n  {shown}{more}"
        )
    return manifest


def _target_contents(connection) -> tuple[list[str], dict[str, int]]:
    """The target's tables and, per root, how many files it holds."""
    with connection.cursor() as cursor:
        tables = _table_names(cursor)
    return tables, {name: len(_files_under(root)) for name, root in roots().items()}


def _empty_target(connection, tables: list[str], stamp: str) -> list[str]:
    """For --force: drop the public schema with every table in it, and move the roots'
    files aside (kept, not deleted, next to each root)."""
    notes = []
    other_schemas = sorted({name.split(".", 1)[0] for name in tables} - {"public"})
    if other_schemas:
        raise BackupError(
            "the database has tables outside the public schema "
            f"({', '.join(other_schemas)}): empty it by hand, or restore into a new database"
        )
    if tables:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        notes.append(f"dropped {len(tables)} tables (the public schema) of the database")
    for name, root in roots().items():
        if not _files_under(root):
            continue
        aside = root.with_name(f"{root.name}.before-restore-{stamp}")
        aside.mkdir(parents=True)
        for child in root.iterdir():
            shutil.move(str(child), aside / child.name)
        notes.append(f"moved the files of the {name} root to {aside}")
    return notes


def restore_backup(source: Path, *, force: bool = False, using: str = "default") -> Restored:
    """Restore a backup made by create_backup into an empty database and empty media
    and private roots, then prove it: row counts, audit head and files against the
    manifest, and the audit chain walked.

    With ``force`` a non-empty target is emptied first (its tables dropped, its files
    moved aside): what it held is lost unless backed up.

    Permission: run by the operator from the shell (manage.py restore), no user acts.
    """
    from gongzhi.core.services import verify_audit_chain

    connection = _postgresql(using)
    manifest = read_verified(source)  # before anything is touched
    source = Path(source)
    server_major = _server_major(connection)
    dump_major = _major(manifest["database"]["pg_dump"])
    pg_restore, _version = _tool("pg_restore", max(dump_major, server_major))

    tables, files = _target_contents(connection)
    busy = [f"{len(tables)} tables in the database"] if tables else []
    busy += [f"{count} files in the {name} root" for name, count in files.items() if count]
    result = Restored(manifest=manifest)
    if busy and not force:
        raise BackupError(
            f"the target is not empty ({', '.join(busy)}); restore into a new empty "
            "database and empty media and private folders, or pass --force to drop "
            "the tables and move the files aside first"
        )
    if busy:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        result.notes += _empty_target(connection, tables, stamp)

    connection.close()  # pg_restore makes its own; ours would hold stale catalogs
    _run(
        [
            pg_restore,
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source / DUMP),
        ],
        _libpq_env(connection),
        "pg_restore",
    )
    try:
        for key in manifest["files"]:
            name, relative = key.split("/", 1)
            target = roots()[name] / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / FILES / key, target)
    except OSError as error:
        raise BackupError(
            f"copying the files failed ({error}) after the database was restored: "
            "free the space or fix the permissions, then restore again with --force"
        ) from error

    _check_restored(connection, manifest, verify_audit_chain, using)
    # pg_restore wrote past Django's connection, where writes are noticed: visitors'
    # pages and the dashboard's figures kept from before are stale.
    new_version()
    result.notes.append(
        f"restored {len(manifest['tables'])} tables, {len(manifest['files'])} files, "
        f"audit chain intact up to #{manifest['audit_head']['last_seq']}"
    )
    return result


def _check_restored(connection, manifest, verify_audit_chain, using) -> None:
    with connection.cursor() as cursor:
        state = database_state(cursor)
    problems = []
    for name in sorted(set(manifest["tables"]) | set(state["tables"])):
        saved, now = manifest["tables"].get(name), state["tables"].get(name)
        if saved != now:
            problems.append(f"table {name}: {now} rows, the backup had {saved}")
    if state["audit_head"] != manifest["audit_head"]:
        problems.append(
            f"audit head {state['audit_head']}, the backup had {manifest['audit_head']}"
        )
    for key, saved in manifest["files"].items():
        name, relative = key.split("/", 1)
        path = roots()[name] / relative
        if not path.is_file() or _sha256(path) != saved["sha256"]:
            problems.append(f"file {key} differs from the backup")
    broken = verify_audit_chain(using=using)
    if broken is not None:
        problems.append(f"the audit chain is broken: {broken}")
    if problems:
        listed = "\n  ".join(problems)
        raise BackupError(f"the restored data does not match the backup:\n  {listed}")
