"""A moto S3 server for tests (issue 14): `moto[server]` from PyPI, in a thread on a free port. Import the
fixtures into a test module (`bucket_fixture`, `moto_endpoint_fixture`, `s3_env_fixture`)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(name="moto_endpoint", scope="session")
def moto_endpoint_fixture() -> Iterator[str]:
    """The URL of a moto S3 server for the whole session."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per S3 request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_client(endpoint: str) -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


@pytest.fixture(name="s3_env")
def s3_env_fixture(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """AWS test credentials in the environment and SPBE_S3_ENDPOINT_URL set; returns the endpoint."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SPBE_S3_ENDPOINT_URL", moto_endpoint)
    return moto_endpoint


@pytest.fixture(name="bucket")
def bucket_fixture(s3_env: str) -> str:
    """A new, empty bucket; returns its name."""
    import uuid

    name = f"spbe-{uuid.uuid4().hex[:12]}"
    s3_client(s3_env).create_bucket(Bucket=name)
    return name
