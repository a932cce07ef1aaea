"""Backup and restore of the database and the stored files together (issue 20).

A backup is one archive (tar.gz) holding:
  manifest.json    when, which database engine, the database file's SHA-256, and every stored
                   file (store, name, size, SHA-256);
  database.dump    PostgreSQL: `pg_dump -Fc` (custom format, restored with pg_restore), or
  database.sqlite3 SQLite: a consistent copy made with SQLite's online backup API;
  files/<store>/<name>  every file of the private store ("private") and of the media store
                   ("default": purchase files), read through the storage API (so an S3 bucket
                   is backed up the same way as the local disk).

`backup_restore` puts an archive into an empty database and empty stores, checking every
file's SHA-256 against the manifest on the way; `manage.py restore_drill` (directory, as it
compares the LCR figures) proves that a restore keeps what it must.
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
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import connection

FORMAT = "ssb-portal-backup/1"
# The stores backed up: private documents, and the media store (purchase files).
STORE_ALIASES = ("private", "default")
POSTGRESQL = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"


class BackupError(Exception):
    """The backup or the restore cannot go on; the message says why."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _copy_hashing(source, target) -> str:
    """Copy one open file to another in chunks (a database dump may be large); its SHA-256."""
    digest = hashlib.sha256()
    while chunk := source.read(1024 * 1024):
        digest.update(chunk)
        target.write(chunk)
    return digest.hexdigest()


def stored_names(storage: Storage, folder: str = "") -> list[str]:
    """Every file name in `storage`, in every folder, sorted."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []  # a local store nothing was ever written to
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        names += stored_names(storage, f"{folder}/{sub}" if folder else sub)
    return sorted(names)


def _pg_environment() -> dict[str, str]:
    settings = connection.settings_dict
    environ = {**os.environ}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings.get(key):
            environ[variable] = str(settings[key])
    return environ


def _run_client(command: list[str]) -> None:
    """Run pg_dump or pg_restore on the configured database; a BackupError with its message
    when it fails."""
    run = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True)
    if run.returncode != 0:
        raise BackupError(f"{command[0]} failed ({run.returncode}): {run.stderr.strip()}")


def _dump_database(target: Path) -> str:
    """The database into `target`; returns its member name in the archive."""
    engine = connection.settings_dict["ENGINE"]
    if engine == POSTGRESQL:
        if shutil.which("pg_dump") is None:
            raise BackupError("pg_dump is not on PATH (install PostgreSQL's client tools).")
        _run_client(["pg_dump", "--format=custom", "--no-owner", "--file", str(target)])
        return "database.dump"
    if engine == SQLITE:
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return "database.sqlite3"
    raise BackupError(f"No backup for the database engine {engine}.")


def backup_create(output: Path) -> dict[str, Any]:
    """Write the archive to `output`; returns its manifest."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ssb-backup-") as scratch:
        dump = Path(scratch) / "database"
        member = _dump_database(dump)
        with dump.open("rb") as source, open(os.devnull, "wb") as nowhere:
            database_sha256 = _copy_hashing(source, nowhere)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "engine": connection.settings_dict["ENGINE"],
            "database": {"member": member, "sha256": database_sha256},
            "files": [],
        }
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(dump, arcname=member)
            for alias in STORE_ALIASES:
                storage = storages[alias]
                for name in stored_names(storage):
                    with storage.open(name, "rb") as handle:
                        content = handle.read()
                    _add_bytes(archive, f"files/{alias}/{name}", content)
                    manifest["files"].append(
                        {
                            "store": alias,
                            "name": name,
                            "size": len(content),
                            "sha256": _sha256(content),
                        }
                    )
            _add_bytes(
                archive,
                "manifest.json",
                json.dumps(manifest, indent=1, ensure_ascii=False).encode(),
            )
        # Only a complete archive gets its name: a failed backup never looks like one.
        partial.replace(output)
    return manifest


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
    archive.addfile(info, io.BytesIO(content))


def read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        manifest = json.load(archive.extractfile("manifest.json"))
    except KeyError as error:
        raise BackupError("Not a portal backup: it has no manifest.json.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def backup_restore(source: Path) -> dict[str, Any]:
    """Restore the archive into the configured database and stores, which must be empty."""
    if connection.introspection.table_names():
        raise BackupError(
            "The database is not empty; restore into a fresh one (create it, point "
            "DATABASE_URL at it, and run the restore again)."
        )
    with tarfile.open(source, "r:gz") as archive:
        manifest = read_manifest(archive)
        engine = connection.settings_dict["ENGINE"]
        if manifest["engine"] != engine:
            raise BackupError(f"The backup is of {manifest['engine']}; this database is {engine}.")
        for alias in STORE_ALIASES:
            if stored_names(storages[alias]):
                raise BackupError(
                    f"The file store {alias!r} is not empty; restore into a fresh one."
                )
        with tempfile.TemporaryDirectory(prefix="ssb-restore-") as scratch:
            dump = Path(scratch) / "database"
            with dump.open("wb") as target:
                digest = _copy_hashing(archive.extractfile(manifest["database"]["member"]), target)
            if digest != manifest["database"]["sha256"]:
                raise BackupError("The database in the backup does not match its manifest.")
            _load_database(dump)
        for entry in manifest["files"]:
            content = archive.extractfile(f"files/{entry['store']}/{entry['name']}").read()
            if _sha256(content) != entry["sha256"]:
                raise BackupError(f"{entry['store']}/{entry['name']} does not match its manifest.")
            saved = storages[entry["store"]].save(entry["name"], ContentFile(content))
            if saved != entry["name"]:
                raise BackupError(f"{entry['name']} was stored as {saved}.")
    return manifest


def _load_database(dump: Path) -> None:
    if connection.settings_dict["ENGINE"] == POSTGRESQL:
        connection.close()
        _run_client(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
                connection.settings_dict["NAME"],
                str(dump),
            ]
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(dump) as copy:
            copy.backup(connection.connection)
        copy.close()
