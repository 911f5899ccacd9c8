"""manage.py backup and restore round-trip the demo: every table's rows and every file's bytes."""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

import psycopg2
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from portal.backup import stored_files
from teams.models import Decision


def _connect(name):
    db = connection.settings_dict
    return psycopg2.connect(dbname=name, user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"])


def _tables_and_hashes(name):
    """Every table of the database: its row count and an MD5 of all its rows in a stable order."""
    with _connect(name) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        result = {}
        for table in tables:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"
            )
            result[table] = cursor.fetchone()
    conn.close()
    return result


def _file_hashes(media_root):
    return {
        str(path.relative_to(media_root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(media_root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def second_database():
    """An empty database beside the test database, dropped afterwards."""
    name = connection.settings_dict["NAME"] + "_restored"
    admin = _connect(connection.settings_dict["NAME"])
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _restore(archive, database, media_root):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{database}",
        "MEDIA_ROOT": str(media_root),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    env.pop("S3_BUCKET", None)
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_give_the_demo_back_row_for_row_and_byte_for_byte(settings, tmp_path, second_database):
    call_command("seed_demo", stdout=io.StringIO())
    # A decision's signed PDF and a photo in a sub-folder, besides what the demo stores.
    decision = Decision.objects.first()
    decision.file.save("qd-241.pdf", ContentFile(b"%PDF-1.7\nquyet dinh"))
    default_storage.save("activities/2026/02/anh.jpg", ContentFile(b"\xff\xd8\xff photo bytes"))
    media = settings.MEDIA_ROOT
    archive = tmp_path / "backup.tar"

    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert set(manifest["files"]) == set(stored_files()) and len(manifest["files"]) >= 2
    assert {f"files/{name}" for name in manifest["files"]} | {"database.dump", "manifest.json"} == names
    assert manifest["files"]["activities/2026/02/anh.jpg"] == hashlib.sha256(b"\xff\xd8\xff photo bytes").hexdigest()

    restored_media = tmp_path / "restored-media"
    result = _restore(archive, second_database, restored_media)
    assert result.returncode == 0, result.stderr

    original = _tables_and_hashes(connection.settings_dict["NAME"])
    assert original["portal_user"][0] > 0 and original["teams_village"][0] > 0
    assert _tables_and_hashes(second_database) == original
    assert _file_hashes(restored_media) == _file_hashes(media) and _file_hashes(media)

    # Into a database or store that is not empty, restore refuses and changes nothing.
    again = _restore(archive, second_database, tmp_path / "another-media")
    assert again.returncode != 0 and "not empty" in again.stderr
    assert not (tmp_path / "another-media").exists()


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_is_refused_before_anything_is_restored(tmp_path, second_database):
    default_storage.save("decisions/2026/a.pdf", ContentFile(b"%PDF-1.7 a"))
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "files/decisions/2026/a.pdf":
                data = b"%PDF-1.7 b"
            target.addfile(member, io.BytesIO(data))
    result = _restore(damaged, second_database, tmp_path / "restored")
    assert result.returncode != 0 and "SHA-256" in result.stderr
    assert _tables_and_hashes(second_database) == {}


def backup_with_a_file_pruned_meanwhile(tmp_path, monkeypatch):
    """A backup during which a background file is pruned between the listing of the store and the
    reading of that file: the archive is made with every other file and says which one went missing."""
    from portal import backup as backup_module

    kept = default_storage.save("exports/kept.xlsx", ContentFile(b"kept"))
    gone = default_storage.save("exports/pruned.xlsx", ContentFile(b"pruned"))
    listed = backup_module.stored_files

    def listed_then_pruned(*args, **kwargs):
        names = listed(*args, **kwargs)
        default_storage.delete(gone)  # the export prune runs right after the listing
        return names

    monkeypatch.setattr(backup_module, "stored_files", listed_then_pruned)
    lines = []
    manifest = backup_module.backup(tmp_path / "backup.tar", log=lines.append)

    assert kept in manifest["files"] and gone not in manifest["files"]
    assert manifest["vanished"] == [gone]
    assert f"{gone}: deleted while the backup ran, left out" in lines
    with tarfile.open(tmp_path / "backup.tar") as archive:
        names = archive.getnames()
        assert f"files/{kept}" in names and f"files/{gone}" not in names
        assert json.loads(archive.extractfile("manifest.json").read())["vanished"] == [gone]


@pytest.mark.django_db
def test_a_file_deleted_while_the_backup_runs_is_left_out_and_named(tmp_path, monkeypatch):
    """The portal keeps running during a backup (here with files on disk; tests/service/test_s3_storage.py
    does the same on S3)."""
    backup_with_a_file_pruned_meanwhile(tmp_path, monkeypatch)


@pytest.mark.django_db(transaction=True)
def test_restore_names_the_files_deleted_while_the_backup_ran(tmp_path, monkeypatch, second_database):
    backup_with_a_file_pruned_meanwhile(tmp_path, monkeypatch)
    result = _restore(tmp_path / "backup.tar", second_database, tmp_path / "restored-media")
    assert result.returncode == 0, result.stderr
    assert "exports/pruned.xlsx: deleted while the backup ran, not in the archive" in result.stdout
    assert sorted(p.name for p in (tmp_path / "restored-media" / "exports").iterdir()) == ["kept.xlsx"]
