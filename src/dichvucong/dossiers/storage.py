"""Private file storage for dossier files: never under a public URL (DESIGN ground rules).

`STORAGES["private"]` picks the backend (local folder by default, S3-compatible object
storage in production); files are only ever served through permission-checked views.
"""

from django.core.files.storage import storages


def private_storage():
    return storages["private"]
