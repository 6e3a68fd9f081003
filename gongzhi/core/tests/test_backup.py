"""Backups that restore (manage.py backup / restore, gongzhi.core.backup), on
PostgreSQL: a small world with uploads and a photo of a paper form round-trips into a
fresh database and fresh folders; a tampered backup or a non-empty target is refused
with nothing written. On SQLite both commands refuse with a clear message."""

import copy
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.utils import load_backend
from django.test import override_settings
from psycopg import sql

from gongzhi.conftest import make_people
from gongzhi.core.backup import database_state
from gongzhi.core.models import PAPER_STORAGE
from gongzhi.core.services import record_event, verify_audit_chain
from gongzhi.tests.factories import ActivityFactory, AreaFactory, PartnerFactory, TownFactory

# The backup is made once for the module: keep its tests on one xdist worker.
pytestmark = pytest.mark.xdist_group("backup")

UPLOADS = {
    "media/proposals/2026/03/photo.png": os.urandom(5000),
    "media/contests/2026/05/草图 一.pdf": "设计草图".encode() * 100,
    "media/empty.txt": b"",
}


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore work on PostgreSQL, the production database")


def _files(*folders: Path) -> dict[str, bytes]:
    """Every file under the folders, by its path from their common parent."""
    found = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                found[f"{folder.name}/{path.relative_to(folder).as_posix()}"] = path.read_bytes()
    return found


def _model_counts(alias: str) -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.using(alias).count()
        for model in apps.get_models()
    }


def _build_world(root: Path) -> None:
    town = TownFactory(name="高境镇", slug="gaojing")
    area = AreaFactory(town=town)
    people = make_people(town=town, other_town=TownFactory(), area_a=area)
    PartnerFactory(user=people["partner"], area=area, modes=["planning", "media"])
    activity = ActivityFactory(area=area, created_by=people["area_staff"])
    for step in range(4):
        record_event(
            actor=people["secretariat"],
            verb="test.backup",
            target=activity if step % 2 else town,
            before={"step": step},
            after={"step": step + 1, "说明": "备份"},
        )
    for name, content in UPLOADS.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    # A photo of a resident's paper form, through the storage the app uses for them.
    PAPER_STORAGE.save("2026/11/form-1.jpg", ContentFile(os.urandom(3000)))


@pytest.fixture(scope="module")
def saved(django_db_setup, django_db_blocker, tmp_path_factory):
    """A backup of a committed world (pg_dump sees committed rows only), with what the
    world held; the rows are removed afterwards so no other test sees them."""
    _postgresql_only()
    root = tmp_path_factory.mktemp("source")
    media, private = root / "media", root / "private"
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PRIVATE_ROOT=private),
    ):
        try:
            _build_world(root)
            with connection.cursor() as cursor:
                state = database_state(cursor)
            counts = _model_counts("default")
            files = _files(media, private)
            out = StringIO()
            call_command("backup", str(root / "backup"), stdout=out)
        finally:
            # As a transactional test ends: no migration adds rows but content types
            # and permissions, which flush makes again.
            call_command("flush", interactive=False, verbosity=0)
    assert counts["core.AuditEvent"] == 4 and counts["partners.Partner"] == 1
    assert len(files) == len(UPLOADS) + 1
    return SimpleNamespace(path=root / "backup", state=state, counts=counts, files=files)


@contextmanager
def fresh_database(tag: str):
    """A new empty database on the test server, reachable as a Django alias."""
    base = connections["default"].settings_dict
    name = f"{base['NAME']}_{tag}"[:63]
    admin = psycopg.connect(
        dbname="postgres",
        host=base["HOST"] or None,
        port=base["PORT"] or None,
        user=base["USER"] or None,
        password=base["PASSWORD"] or None,
        autocommit=True,
    )
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    admin.execute(drop)
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    # A connection of its own, not an entry of settings.DATABASES: Django's test case
    # forbids aliases it was not told of, and allows those made on the fly.
    alias = f"backup_{tag}"
    settings_dict = {**copy.deepcopy(base), "NAME": name}
    connections[alias] = load_backend(base["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        admin.execute(drop)
        admin.close()


def _tables(alias: str) -> list[str]:
    with connections[alias].cursor() as cursor:
        return list(database_state(cursor)["tables"])


def test_a_backup_restores_into_a_fresh_database_and_folders(saved, db, tmp_path):
    """What an operator runs: manage.py restore into a new database and new folders."""
    media, private = tmp_path / "media", tmp_path / "private"
    with fresh_database("restored") as alias:
        target = connections[alias].settings_dict
        env = {
            **os.environ,
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": (
                f"postgres://{target['USER']}:{target['PASSWORD']}@{target['HOST']}:"
                f"{target['PORT']}/{target['NAME']}"
            ),
            "DJANGO_MEDIA_ROOT": str(media),
            "GONGZHI_PRIVATE_ROOT": str(private),
            "GONGZHI_VAR_DIR": str(tmp_path / "var"),
        }
        done = subprocess.run(
            [sys.executable, "manage.py", "restore", str(saved.path)],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        assert "audit chain intact up to #4" in done.stdout

        with connections[alias].cursor() as cursor:
            restored = database_state(cursor)
        assert restored["tables"] == saved.state["tables"]  # every table, row for row
        assert restored["audit_head"] == saved.state["audit_head"]
        assert restored["audit_head"]["last_seq"] == 4
        assert restored["migrations"] == saved.state["migrations"]
        assert _model_counts(alias) == saved.counts
        assert verify_audit_chain(using=alias) is None
    assert _files(media, private) == saved.files  # byte for byte


def _change_file(backup: Path) -> str:
    (backup / "files/private/paper/2026/11/form-1.jpg").write_bytes(b"not the photo")
    return "changed: files/private/paper/2026/11/form-1.jpg"


def _remove_file(backup: Path) -> str:
    (backup / "files/media/proposals/2026/03/photo.png").unlink()
    return "missing: files/media/proposals/2026/03/photo.png"


def _add_file(backup: Path) -> str:
    (backup / "files/media/extra.png").write_bytes(b"slipped in")
    return "extra: files/media/extra.png"


def _change_dump(backup: Path) -> str:
    with open(backup / "database.dump", "ab") as dump:
        dump.write(b"\0")
    return "changed: database.dump"


def _edit_manifest(backup: Path) -> str:
    manifest = backup / "manifest.json"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('"last_seq": 4', '"last_seq": 3'), encoding="utf-8")
    assert manifest.read_text(encoding="utf-8") != text
    return "manifest was edited"


def _remove_manifest(backup: Path) -> str:
    (backup / "manifest.json").unlink()
    return "has no manifest.json"


@pytest.mark.parametrize(
    "tamper",
    [_change_file, _remove_file, _add_file, _change_dump, _edit_manifest, _remove_manifest],
)
def test_a_tampered_backup_is_refused_before_anything_is_written(saved, db, tmp_path, tamper):
    backup = tmp_path / "backup"
    shutil.copytree(saved.path, backup)
    expected = tamper(backup)
    media, private = tmp_path / "media", tmp_path / "private"
    with (
        fresh_database("tampered") as alias,
        override_settings(MEDIA_ROOT=media, PRIVATE_ROOT=private),
    ):
        with pytest.raises(CommandError, match=expected):
            call_command("restore", str(backup), database=alias)
        assert _tables(alias) == []
    assert not media.exists() and not private.exists()


def test_a_database_with_tables_is_refused(saved, db, tmp_path):
    before = _model_counts("default")
    media, private = tmp_path / "media", tmp_path / "private"
    with (
        override_settings(MEDIA_ROOT=media, PRIVATE_ROOT=private),
        pytest.raises(CommandError, match=r"not empty \(\d+ tables in the database\)"),
    ):
        call_command("restore", str(saved.path))
    assert _model_counts("default") == before
    assert not media.exists() and not private.exists()


def test_folders_with_files_are_refused(saved, db, tmp_path):
    media, private = tmp_path / "media", tmp_path / "private"
    (private / "paper").mkdir(parents=True)
    (private / "paper/old.jpg").write_bytes(b"an older photo")
    with (
        fresh_database("busy") as alias,
        override_settings(MEDIA_ROOT=media, PRIVATE_ROOT=private),
    ):
        with pytest.raises(CommandError, match="1 files in the private root"):
            call_command("restore", str(saved.path), database=alias)
        assert _tables(alias) == []
    assert _files(media, private) == {"private/paper/old.jpg": b"an older photo"}


def test_force_empties_the_target_first(saved, db, tmp_path):
    """--force drops the old tables and moves the old files aside, then restores."""
    media, private = tmp_path / "media", tmp_path / "private"
    (media / "old").mkdir(parents=True)
    (media / "old/file.txt").write_bytes(b"old")
    with (
        fresh_database("forced") as alias,
        override_settings(MEDIA_ROOT=media, PRIVATE_ROOT=private),
    ):
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE leftover (id int)")
        out = StringIO()
        call_command("restore", str(saved.path), database=alias, force=True, stdout=out)
        assert "dropped 1 tables" in out.getvalue()
        with connections[alias].cursor() as cursor:
            assert database_state(cursor)["tables"] == saved.state["tables"]
    assert _files(media, private) == saved.files
    (aside,) = tmp_path.glob("media.before-restore-*")
    assert (aside / "old/file.txt").read_bytes() == b"old"


@pytest.mark.django_db
def test_sqlite_is_refused_with_a_clear_message(tmp_path):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    with pytest.raises(CommandError, match="not PostgreSQL"):
        call_command("backup", str(tmp_path / "backup"))
    assert not (tmp_path / "backup").exists()
    with pytest.raises(CommandError, match="not PostgreSQL"):
        call_command("restore", str(tmp_path))
