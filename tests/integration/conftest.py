"""Fixtures every integration test module can use by name, without importing them.

- `world` (with `fast_hashing`): a small workflow world per test, copied from one built once per backend
  (`built`, tests/conftest.py), tests/integration/workflow_fixtures.py;
- `bench`: a module-scoped database for the Excel/CSV tests, tests/integration/excel_fixtures.py;
- `moto_endpoint`, `s3_env`, `bucket`: a moto S3 server and a fresh bucket, tests/s3_fixtures.py;
- `engine` and the backends come from tests/conftest.py.

The helper functions of those two modules (prepared, act, save, workbook, plan...) are still imported
from them by the modules that call them.
"""

from __future__ import annotations

from tests.integration.excel_fixtures import bench_fixture
from tests.integration.workflow_fixtures import fast_hashing_fixture, world_fixture
from tests.s3_fixtures import bucket_fixture, moto_endpoint_fixture, s3_env_fixture

__all__ = [
    "bench_fixture",
    "bucket_fixture",
    "fast_hashing_fixture",
    "moto_endpoint_fixture",
    "s3_env_fixture",
    "world_fixture",
]
