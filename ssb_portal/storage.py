"""File storage for documents that must never be reachable by URL.

Models name `private_storage`, which hands every call to the backend configured as
`STORAGES["private"]` (settings "Storage"): the local disk under PRIVATE_MEDIA_ROOT by
default, an S3-compatible bucket with PRIVATE_STORAGE=s3. Code reads and writes these files
only through the storage API (open, save, exists, delete), never through a local path, so a
second web server or the task worker on another machine sees the same files.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.deconstruct import deconstructible


class LocalPrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT, outside the web root, with no URL.

    The location is read from settings at each use (not cached), so that tests and
    deployments that change the setting are followed. Views stream these files after
    checking who asks.
    """

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view.")


@deconstructible(path="ssb_portal.storage.PrivateStorage")
class PrivateStorage(Storage):
    """The configured private backend, looked up at each call (so that a changed STORAGES
    setting is followed) and never asked for a URL."""

    @property
    def backend(self) -> Storage:
        return storages["private"]

    def open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend.save(name, content, max_length=max_length)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def size(self, name):
        return self.backend.size(name)

    def path(self, name):
        return self.backend.path(name)

    def get_valid_name(self, name):
        return self.backend.get_valid_name(name)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def get_accessed_time(self, name):
        return self.backend.get_accessed_time(name)

    def get_created_time(self, name):
        return self.backend.get_created_time(name)

    def get_modified_time(self, name):
        return self.backend.get_modified_time(name)

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view.")


private_storage = PrivateStorage()
