"""File storage backends (DESIGN §1): a local folder by default, S3-compatible object storage
(django-storages, `core/s3storage.py`) when `STORAGE=s3`.

Private files (dossier attachments, results) have no public URL in either backend: `url()`
refuses, and the permission-checked views stream them with `open("rb")`. Nothing may rely on
`.path()`: object storage has no local path. `check_ready()` is what `/readyz` asks.
"""

import os
from pathlib import Path
from typing import Any, cast

from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

NO_PUBLIC_URL = "Private files have no public URL; serve them through a view."


class PrivateFileSystemStorage(FileSystemStorage):
    """A local folder outside every served path. `url()` refuses: these files are only ever
    streamed by views that check who is asking."""

    def url(self, name):
        raise ValueError(NO_PUBLIC_URL)

    def check_ready(self) -> None:
        check_folder(self)


def check_folder(storage: FileSystemStorage) -> None:
    """The folder exists (made on a fresh install, as the first upload would) and is writable."""
    folder = Path(storage.location)
    folder.mkdir(parents=True, exist_ok=True)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError("storage folder not writable")


def check_storage(storage) -> None:
    """Raise when a storage cannot be reached (used by /readyz)."""
    check = getattr(storage, "check_ready", None)
    if check is not None:
        check()
    elif isinstance(storage, FileSystemStorage):
        check_folder(storage)
    else:
        storage.exists("readyz")


class _PrivateStorage(LazyObject):
    """`STORAGES["private"]`, looked up when first used (and again after tests change
    STORAGES), so a model field can hold it without fixing the backend at import time."""

    _wrapped: Any

    def _setup(self):
        self._wrapped = storages["private"]


_private_handle = _PrivateStorage()
private_storage = cast(Storage, _private_handle)


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES":
        _private_handle._wrapped = empty


def s3_storages(
    *,
    bucket: str,
    endpoint_url: str = "",
    region: str = "",
    access_key: str = "",
    secret_key: str = "",
) -> dict[str, dict]:
    """STORAGES["default"] and ["private"] in one bucket, under the prefixes `tep/`
    (published procedure templates) and `ho-so/` (dossier files); both private objects."""
    from botocore.config import Config

    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "region_name": region or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        # Fail fast (readiness, a request) instead of hanging on an unreachable server.
        "client_config": Config(
            connect_timeout=3,
            read_timeout=30,
            retries={"max_attempts": 2, "mode": "standard"},
            signature_version="s3v4",
            s3={"addressing_style": "path"} if endpoint_url else {},
        ),
        # An upload larger than this is spooled to a temporary file, not held in memory.
        "max_memory_size": 2 * 1024 * 1024,
    }
    return {
        "default": {
            "BACKEND": "dichvucong.core.s3storage.S3ObjectStorage",
            "OPTIONS": {**options, "location": "tep"},
        },
        "private": {
            "BACKEND": "dichvucong.core.s3storage.PrivateS3Storage",
            "OPTIONS": {**options, "location": "ho-so"},
        },
    }
