"""Private file storage for dossier files: never under a public URL (DESIGN ground rules).

`STORAGES["private"]` picks the backend (local folder by default, S3-compatible object
storage in production, core/storage.py); files are only ever served through
permission-checked views.
"""

from dichvucong.core.storage import private_storage as _private_storage


def private_storage():
    """The model field's storage: a lazy handle on STORAGES["private"], resolved when used."""
    return _private_storage
