"""S3-compatible object storage through django-storages (`STORAGE=s3`; settings/base.py).

Kept apart from `core/storage.py` because boto3 takes about a second to import: processes
that use local folders never load it.
"""

from typing import Any

from botocore.exceptions import ClientError
from django.core.files.base import File
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from .storage import NO_PUBLIC_URL


class S3StreamFile(File):
    """An object read straight from the S3 response body, chunk by chunk, so a download never
    holds the whole file in memory or in a temporary file (django-storages' own S3File
    downloads it all first)."""

    def __init__(self, body, *, name: str, size: int):
        super().__init__(body, name=name)
        self._size = size

    @property
    def size(self) -> int:
        return self._size

    def seekable(self) -> bool:
        return False

    def open(self, mode: str | None = None, *args: Any, **kwargs: Any) -> "S3StreamFile":
        if mode not in (None, "rb"):
            raise ValueError("Objects are opened for reading only.")
        return self


class S3ObjectStorage(S3Storage):
    """django-storages' S3 backend with private objects, no overwrites (a name already taken
    gets a new one), streamed reads and a readiness check. Used as is for the published
    procedure templates (`STORAGES["default"]`), which are also served through a view."""

    default_acl = "private"
    file_overwrite = False
    querystring_auth = True

    def _open(self, name, mode="rb"):
        if mode != "rb":
            return super()._open(name, mode)
        key = self._normalize_name(clean_name(name))
        try:
            response = self.bucket.Object(key).get()
        except ClientError as error:
            if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                raise FileNotFoundError(f"File does not exist: {name}") from error
            raise
        return S3StreamFile(response["Body"], name=name, size=response["ContentLength"])

    def check_ready(self) -> None:
        """The bucket answers to our credentials (HEAD bucket: no object is read)."""
        self.connection.meta.client.head_bucket(Bucket=self.bucket_name)


class PrivateS3Storage(S3ObjectStorage):
    """Dossier files: like PrivateFileSystemStorage, no URL at all (not even a signed one), so
    nothing can hand out a link that skips the permission check."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError(NO_PUBLIC_URL)
