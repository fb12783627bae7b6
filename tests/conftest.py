"""Fixtures shared by the whole suite: a real PostgreSQL server that the test run starts itself.

* ``postgres_cluster`` (session): one throwaway server on a free loopback port for the whole run
  (:class:`sce.devtools.pgcluster.PostgresCluster`), removed at the end.
* ``postgres_url`` (per test): a fresh empty database on that server, as a SQLAlchemy URL
  (``postgresql+psycopg://...``); dropped after the test, even when sessions are still open.

A missing PostgreSQL installation is a failure, not a skip: ``make test`` installs it.

Hypothesis runs ``repeatable`` by default (``make test``): the examples are derived from each test,
so a run on a clean checkout is the same run every time. ``SCE_HYPOTHESIS_PROFILE=explore`` (``make
fuzz``) draws fresh random examples on every run to look for new failures.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from sce.devtools.pgcluster import PostgresCluster, PostgresNotFoundError

pytest_plugins = ["pytester"]  # tests/devtools runs a nested session to check the missing-server failure

_database_numbers = itertools.count(1)

settings.register_profile("repeatable", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("SCE_HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """One throwaway PostgreSQL server for the test session."""
    try:
        cluster = PostgresCluster(name="sce-test")
    except PostgresNotFoundError as missing:
        pytest.fail(str(missing), pytrace=False)
    with cluster:
        yield cluster


@pytest.fixture
def postgres_url(postgres_cluster: PostgresCluster) -> Iterator[str]:
    """A fresh empty database for one test; its SQLAlchemy URL (the server is restarted if a test
    stopped or killed it)."""
    name = f"test_{next(_database_numbers)}"
    postgres_cluster.start()
    url = postgres_cluster.create_database(name)
    yield url
    postgres_cluster.start()
    postgres_cluster.drop_database(name)
