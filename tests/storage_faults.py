"""File stores that refuse every write, as a full disk and a failing object store do, for the
storage-fault tests (issue 20)."""

import errno

import pytest
from botocore.exceptions import ClientError
from django.core.files.storage import InMemoryStorage


class FullDisk(InMemoryStorage):
    def _save(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device", name)


class FailingObjectStore(InMemoryStorage):
    def _save(self, name, content):
        raise ClientError(
            {
                "Error": {
                    "Code": "ServiceUnavailable",
                    "Message": "Please reduce your request rate.",
                }
            },
            "PutObject",
        )


REFUSED = "The file could not be stored just now"


@pytest.fixture(params=[FullDisk, FailingObjectStore], ids=["disk full", "object store error"])
def refusing_store(request, settings):
    """Both stores (private documents and purchase files) refuse every write."""
    backend = {"BACKEND": f"{__name__}.{request.param.__name__}"}
    settings.STORAGES = {**settings.STORAGES, "private": backend, "default": backend}
    return request.param


class DataFilesRefused(InMemoryStorage):
    """Keeps documents but refuses measurement data files (stored as "…-data"): the second of
    an upload's two files fails after the first was stored."""

    def _save(self, name, content):
        if name.endswith("-data"):
            raise OSError(errno.ENOSPC, "No space left on device", name)
        return super()._save(name, content)


def stored_files(storage, folder: str = "") -> list[str]:
    """Every file name in `storage`, in all folders."""
    folders, files = storage.listdir(folder)
    names = [f"{folder}/{name}".lstrip("/") for name in files]
    for sub in folders:
        names += stored_files(storage, f"{folder}/{sub}".lstrip("/"))
    return names


class ReportsRefused(InMemoryStorage):
    """Keeps measurement data but refuses their test reports (stored as "…/report-…")."""

    def _save(self, name, content):
        if "/report-" in name:
            raise OSError(errno.ENOSPC, "No space left on device", name)
        return super()._save(name, content)
