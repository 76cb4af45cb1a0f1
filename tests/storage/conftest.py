"""Fixtures for the storage tests: moto's S3 server for the cold tier."""
import pytest

from support.s3 import MotoS3


@pytest.fixture(scope="session")
def moto_s3():
    server = MotoS3().start()
    yield server
    server.stop()
