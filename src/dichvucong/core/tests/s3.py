"""A real S3-compatible server for tests: moto in server mode on a free loopback port.

moto stands in for MinIO, Ceph or AWS S3 (nothing else can be installed on the project's
machines): the app talks to it over HTTP with boto3 exactly as it would to those. Imported by
core/tests/conftest.py and tests/ops/conftest.py.
"""

import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"  # moto accepts any
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MotoS3:
    """moto's ThreadedMotoServer on 127.0.0.1 (a werkzeug server in a thread)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        self._server: Any = None

    def start(self) -> "MotoS3":
        from moto.server import ThreadedMotoServer

        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def new_bucket(self) -> str:
        name = f"dvc-test-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def storages(self, bucket: str, staticfiles: dict) -> dict[str, dict]:
        from dichvucong.core.storage import s3_storages

        return {
            **s3_storages(
                bucket=bucket,
                endpoint_url=self.endpoint_url,
                region=REGION,
                access_key=ACCESS_KEY,
                secret_key=SECRET_KEY,
            ),
            "staticfiles": staticfiles,
        }

    def objects(self, bucket: str) -> dict[str, bytes]:
        client = self.client()
        listing = client.list_objects_v2(Bucket=bucket).get("Contents", [])
        return {
            item["Key"]: client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
            for item in listing
        }


@pytest.fixture(scope="session")
def moto_s3() -> Iterator[MotoS3]:
    server = MotoS3().start()
    yield server
    server.stop()


@pytest.fixture
def s3_bucket(moto_s3: MotoS3, settings) -> str:
    """STORAGES pointed at a fresh bucket of the moto server for this test."""
    bucket = moto_s3.new_bucket()
    settings.STORAGES = moto_s3.storages(bucket, settings.STORAGES["staticfiles"])
    return bucket
