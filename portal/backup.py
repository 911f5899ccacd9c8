"""One archive with everything a portal keeps: a consistent database dump and every stored file.

``manage.py backup FILE`` writes a tar with:

- ``database.dump``: PostgreSQL's ``pg_dump --format=custom``, which reads the whole database in one
  repeatable-read transaction (one snapshot, while the portal keeps running); on SQLite a copy
  made with SQLite's online backup API;
- ``files/<name>``: every file of the default storage (the local folder or the S3 bucket), read
  through the storage API;
- ``manifest.json``: the SHA-256 of the dump and of every file.

Files are written after the dump: stored names are never reused (random, ``file_overwrite`` off),
so every file the dump refers to is in the store by then and gets into the archive (a file
uploaded meanwhile may come along too, unreferenced, which is harmless). A file deleted after the
dump is the exception: the portal keeps running, and a background file pruned or a scan replaced
while the files are copied is no longer there to copy. It is left out, and named in the log and
in the manifest's ``vanished`` (restore names it again): its row, if the dump holds one, points at
a file the restored store does not have, as it would have a moment later in the running portal.

``manage.py restore FILE`` checks every SHA-256 first, then loads the dump into the configured
database and the files into the configured store, both of which must be empty.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection

FORMAT = 1
SKIPPED_PREFIXES = ("healthz/",)  # /healthz's probe files, deleted at once anyway


class BackupError(Exception):
    pass


def _pg_bin(name):
    """The newest PostgreSQL client tools installed (pg_dump must not be older than the server)."""
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parent.parent.name))
    if candidates:
        return str(candidates[-1])
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install the PostgreSQL client (apt-get install postgresql-client)")
    return found


def _pg_env(db):
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or "", "PGOPTIONS": ""}
    return env


def _pg_args(db):
    args = ["--dbname", db["NAME"]]
    if db["HOST"]:
        args += ["--host", db["HOST"]]
    if db["PORT"]:
        args += ["--port", str(db["PORT"])]
    if db["USER"]:
        args += ["--username", db["USER"]]
    return args


def _sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def stored_files(storage=None, folder=""):
    """Every file name of the store, recursively, sorted."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names += stored_files(storage, f"{folder}{sub}/")
    return sorted(name for name in names if not name.startswith(SKIPPED_PREFIXES))


def _dump_database(target):
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        command = [_pg_bin("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)]
        result = subprocess.run(command + _pg_args(db), env=_pg_env(db), capture_output=True, text=True)
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    elif connection.vendor == "sqlite":
        source = sqlite3.connect(str(db["NAME"]))
        copy = sqlite3.connect(str(target))
        with copy:
            source.backup(copy)  # SQLite's online backup: one consistent copy
        copy.close()
        source.close()
    else:  # pragma: no cover
        raise BackupError(f"no backup for {connection.vendor}")


def _copied(name, copy):
    """Copies the stored file ``name`` into the open file ``copy``; returns its SHA-256, or None if
    it was deleted since the store was listed. A file on disk is gone at open(); on S3 it may go
    between open() (which asks for the object's size) and the first read() (which downloads it),
    and boto3 then raises its own error: whatever the store raised, the file counts as deleted if
    the store no longer has it, and the error is raised again if it does."""
    digest = hashlib.sha256()
    try:
        with default_storage.open(name, "rb") as stored:
            for chunk in iter(lambda: stored.read(1 << 20), b""):
                digest.update(chunk)
                copy.write(chunk)
    except Exception:
        if default_storage.exists(name):
            raise
        return None
    return digest.hexdigest()


def backup(path, log=print):
    """Writes the archive to ``path``; returns the manifest."""
    path = Path(path)
    started = datetime.datetime.now(datetime.UTC)
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / "database.dump"
        _dump_database(dump)
        manifest = {
            "format": FORMAT,
            "created": started.isoformat(timespec="seconds"),
            "database": {"vendor": connection.vendor, "sha256": _sha256_file(dump), "bytes": dump.stat().st_size},
            "files": {},
            "vanished": [],
        }
        log(f"database: {dump.stat().st_size:,} bytes")
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname="database.dump")
            for name in stored_files():
                with tempfile.TemporaryFile(dir=scratch) as copy:
                    digest = _copied(name, copy)
                    if digest is None:
                        manifest["vanished"].append(name)
                        log(f"{name}: deleted while the backup ran, left out")
                        continue
                    info = tarfile.TarInfo(f"files/{name}")
                    info.size = copy.tell()
                    info.mtime = int(started.timestamp())
                    copy.seek(0)
                    archive.addfile(info, copy)
                manifest["files"][name] = digest
            data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(started.timestamp())
            archive.addfile(info, io.BytesIO(data))
        partial.replace(path)  # a half-written archive never has the final name
    log(f"files: {len(manifest['files'])}")
    return manifest


def _database_is_empty():
    return not connection.introspection.table_names()


def restore(path, log=print):
    """Restores the archive into the empty database and store; returns the manifest."""
    with tarfile.open(path, "r") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown archive format {manifest.get('format')}")
        if manifest["database"]["vendor"] != connection.vendor:
            raise BackupError(f"the archive holds a {manifest['database']['vendor']} database, not {connection.vendor}")
        if not _database_is_empty():
            raise BackupError("the database is not empty: restore only into a new, empty database")
        if stored_files():
            raise BackupError("the file store is not empty: restore only into an empty folder or bucket")
        with tempfile.TemporaryDirectory() as scratch:
            dump = Path(scratch) / "database.dump"
            with archive.extractfile("database.dump") as source, open(dump, "wb") as target:
                shutil.copyfileobj(source, target)
            if _sha256_file(dump) != manifest["database"]["sha256"]:
                raise BackupError("database.dump does not match its SHA-256 in the manifest")
            for name, expected in manifest["files"].items():
                digest = hashlib.sha256()
                with archive.extractfile(f"files/{name}") as stored:
                    for chunk in iter(lambda: stored.read(1 << 20), b""):  # noqa: B023 - read at once
                        digest.update(chunk)
                if digest.hexdigest() != expected:
                    raise BackupError(f"{name} does not match its SHA-256 in the manifest")
            _load_database(dump)
            log(f"database: restored from {manifest['created']}")
            for name in manifest["files"]:
                with archive.extractfile(f"files/{name}") as stored:
                    saved = default_storage.save(name, File(stored, name=name))
                if saved != name:
                    raise BackupError(f"{name} was stored as {saved}")
            log(f"files: {len(manifest['files'])}")
            for name in manifest.get("vanished", []):
                log(f"{name}: deleted while the backup ran, not in the archive")
    return manifest


def _load_database(dump):
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        connection.close()
        command = [_pg_bin("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        result = subprocess.run(command + _pg_args(db) + [str(dump)], env=_pg_env(db), capture_output=True, text=True)
        if result.returncode:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        connection.close()
        source = sqlite3.connect(str(dump))
        target = sqlite3.connect(str(db["NAME"]))
        with target:
            source.backup(target)
        target.close()
        source.close()
