"""Where private documents live is chosen by the environment: the local disk by default, an
S3-compatible bucket (django-storages) with PRIVATE_STORAGE=s3."""

import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils.module_loading import import_string

from ssb_portal import environment
from ssb_portal.storage import LocalPrivateStorage, private_storage

S3_ENVIRONMENT = {
    "PRIVATE_STORAGE": "s3",
    "PRIVATE_S3_BUCKET": "ssb-private",
    "PRIVATE_S3_ENDPOINT_URL": "https://oss-cn-shanghai.example.cn",
    "PRIVATE_S3_REGION": "cn-shanghai",
    "PRIVATE_S3_ACCESS_KEY_ID": "key-id",
    "PRIVATE_S3_SECRET_ACCESS_KEY": "key-secret",
}


def test_the_local_disk_is_the_default():
    assert environment.private_storage({}) == {"BACKEND": "ssb_portal.storage.LocalPrivateStorage"}
    assert isinstance(storages["private"], LocalPrivateStorage)


def test_s3_is_configured_from_the_environment_and_stays_private():
    config = environment.private_storage(S3_ENVIRONMENT)

    backend = import_string(config["BACKEND"])(**config["OPTIONS"])

    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert backend.bucket_name == "ssb-private"
    assert backend.endpoint_url == "https://oss-cn-shanghai.example.cn"
    assert backend.region_name == "cn-shanghai"
    assert backend.access_key == "key-id"
    assert backend.secret_key == "key-secret"
    assert backend.default_acl == "private"
    assert backend.file_overwrite is False
    assert backend.location == "private"


def test_without_keys_s3_falls_back_to_the_machines_credentials():
    environ = {"PRIVATE_STORAGE": "S3", "PRIVATE_S3_BUCKET": "ssb-private"}

    options = environment.private_storage(environ)["OPTIONS"]

    assert "access_key" not in options and "secret_key" not in options


def test_the_model_storage_follows_the_configured_backend(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }

    name = private_storage.save("applications/1/report", ContentFile(b"%PDF-1.7"))

    assert storages["private"].open(name).read() == b"%PDF-1.7"
    assert private_storage.exists(name)
    with pytest.raises(ValueError, match="no URL"):
        private_storage.url(name)
    assert not settings.PRIVATE_MEDIA_ROOT.exists()


def test_no_code_reaches_private_files_by_a_local_path():
    """Only the local backend knows PRIVATE_MEDIA_ROOT; everything else uses the storage API
    (an S3 file has no path)."""
    base = Path(__file__).resolve().parents[2]
    allowed = {
        base / "ssb_portal" / name for name in ("settings.py", "environment.py", "storage.py")
    } | {
        # Names the variable for the fresh process it restores into, never opens a path.
        base / "directory" / "management" / "commands" / "restore_drill.py"
    }
    offenders = []
    for app in ("ssb_portal", "directory", "subsidies", "alliance", "talent", "programme"):
        for module in (base / app).rglob("*.py"):
            if module in allowed or "migrations" in module.parts:
                continue
            text = module.read_text(encoding="utf-8")
            if "PRIVATE_MEDIA_ROOT" in text or re.search(
                r"\.(file|report|data_file)\.path\b", text
            ):
                offenders.append(str(module.relative_to(base)))
    assert offenders == []
