"""The throwaway PostgreSQL server: durable, crash-restartable on the same port, gone after close."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from sce.devtools import pgcluster
from sce.devtools.pgcluster import PostgresCluster, PostgresNotFoundError


def test_fresh_database_per_test_is_empty_and_writable(postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    with engine.begin() as connection:
        assert connection.scalar(sa.text("select count(*) from pg_tables where schemaname = 'public'")) == 0
        connection.execute(sa.text("create table t (x int)"))
        connection.execute(sa.text("insert into t values (1)"))
    with engine.connect() as connection:
        assert connection.scalar(sa.text("select count(*) from t")) == 1
    engine.dispose()


def test_server_is_durable_loopback_only_and_can_publish(postgres_cluster: PostgresCluster) -> None:
    shown = postgres_cluster.psql(
        "select name || '=' || setting from pg_settings where name in "
        "('fsync', 'synchronous_commit', 'wal_level', 'listen_addresses', 'max_replication_slots') "
        "order by name"
    ).split()
    assert shown == [
        "fsync=on",
        "listen_addresses=127.0.0.1",
        "max_replication_slots=20",
        "synchronous_commit=on",
        "wal_level=logical",
    ]
    assert postgres_cluster.url("x") == f"postgresql+psycopg://postgres@127.0.0.1:{postgres_cluster.port}/x"


def test_kill_then_start_keeps_committed_rows_loses_open_transaction_same_port() -> None:
    with PostgresCluster(name="sce-kill") as cluster:
        url = cluster.create_database("till")
        port = cluster.port
        dsn = url.replace("postgresql+psycopg", "postgresql")
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute("create table journal (seq int primary key)")
            connection.execute("insert into journal values (1), (2)")
        open_transaction = psycopg.connect(dsn)
        open_transaction.execute("insert into journal values (3)")  # never committed
        cluster.kill()
        assert not cluster.running
        open_transaction.close()
        cluster.start()
        assert cluster.port == port
        assert cluster.psql(
            "select string_agg(seq::text, ',' order by seq) from journal", "till"
        ).strip() == ("1,2")
        assert "database system was interrupted" in cluster.log()


def test_fast_stop_and_restart_then_close_removes_everything() -> None:
    cluster = PostgresCluster(name="sce-stop")
    with cluster:
        cluster.create_database("till")
        cluster.psql("create table t (x int); insert into t values (7)", "till")
        cluster.stop()
        assert not cluster.running
        cluster.restart()
        assert cluster.psql("select x from t", "till").strip() == "7"
        base = cluster.base_dir
    assert not cluster.running
    assert not base.exists()


def test_missing_binaries_are_reported_with_the_way_to_install_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SCE_PG_BINDIR", raising=False)
    monkeypatch.setattr(pgcluster, "DEBIAN_ROOT", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PostgresNotFoundError, match="`make test` installs them"):
        pgcluster.find_bin_dir()


def test_fixture_fails_not_skips_without_postgresql(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pytester.makeconftest((Path(__file__).parents[1] / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile("def test_needs_db(postgres_url):\n    pass\n")
    empty = tmp_path / "no-postgres"
    empty.mkdir()
    monkeypatch.setenv("SCE_PG_BINDIR", str(empty))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*`make test` installs them*"])
