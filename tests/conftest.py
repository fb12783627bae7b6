"""Fixtures shared by the whole suite: a real PostgreSQL server that the test run starts itself.

* ``postgres_cluster`` (session): one throwaway server on a free loopback port for the whole run
  (:class:`sce.devtools.pgcluster.PostgresCluster`), removed at the end.
* ``postgres_url`` (per test): a fresh empty database on that server, as a SQLAlchemy URL
  (``postgresql+psycopg://...``); dropped after the test, even when sessions are still open.

A missing PostgreSQL installation is a failure, not a skip: ``make test`` installs it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from sce.devtools.pgcluster import PostgresCluster, PostgresNotFoundError

pytest_plugins = ["pytester"]  # tests/devtools runs a nested session to check the missing-server failure

_database_numbers = itertools.count(1)


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
