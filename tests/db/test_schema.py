"""The POS schema on SQLite and PostgreSQL: migrations, append-only logs, the operator's read-only role."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from sce.db.engine import migrate, open_engine
from sce.db.store import ConflictError, PosStore
from sce.journal.format import GENESIS, record_hash


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'pos.db'}"
    return str(request.getfixturevalue("postgres_url"))


def test_migrations_create_the_schema_once(url: str) -> None:
    engine = open_engine(url)
    migrate(engine)
    migrate(engine)  # idempotent
    tables = set(inspect(engine).get_table_names())
    assert {
        "journal",
        "config_log",
        "counters",
        "pending_sign",
        "orders",
        "config_items",
        "periods",
    } <= tables
    engine.dispose()


def test_records_are_chained_and_cannot_be_changed(url: str) -> None:
    engine = open_engine(url)
    migrate(engine)
    store = PosStore(engine)
    with store.tx() as tx:
        first = tx.append_journal({"type": "incident", "period_id": "", "booking_date": None, "pos": {}})
        second = tx.append_journal(
            {"type": "incident", "period_id": "", "booking_date": None, "pos": {"n": 2}}
        )
        tx.append_config("00000000097", "product", "BEER", "create", None, {"price": 350})
    assert (first["seq"], first["prev"]) == (1, GENESIS)
    assert (second["seq"], second["prev"]) == (2, first["hash"])
    assert record_hash(second) == second["hash"]
    for statement in (
        "UPDATE journal SET record_type = 'x'",
        "DELETE FROM journal",
        "DELETE FROM config_log",
    ):
        with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM journal")).scalar_one() == 2
    engine.dispose()


def test_a_rolled_back_transaction_leaves_no_number_and_no_record(url: str) -> None:
    engine = open_engine(url)
    migrate(engine)
    store = PosStore(engine)
    with pytest.raises(RuntimeError), store.tx() as tx:
        tx.next_number("ticket")
        tx.append_journal({"type": "incident", "period_id": "", "booking_date": None, "pos": {}})
        raise RuntimeError("the build failed")
    with store.tx() as tx:
        assert tx.next_number("ticket") == 1
        assert tx.journal_head() == 0
    engine.dispose()


def test_optimistic_version_on_configuration_documents(url: str) -> None:
    engine = open_engine(url)
    migrate(engine)
    store = PosStore(engine)
    with store.tx() as tx:
        assert tx.put_item("product", "BEER", {"price": 350}) == 1
        assert tx.put_item("product", "BEER", {"price": 360}, version=1) == 2
    with pytest.raises(ConflictError, match="STALE_VERSION"), store.tx() as tx:
        tx.put_item("product", "BEER", {"price": 370}, version=1)
    engine.dispose()


def test_the_operator_role_can_only_read_the_journal(postgres_url: str) -> None:
    engine = open_engine(postgres_url)
    migrate(engine)
    with PosStore(engine).tx() as tx:
        tx.append_journal({"type": "incident", "period_id": "", "booking_date": None, "pos": {}})
    with engine.connect() as connection:
        connection.execute(text("SET ROLE sce_operator"))
        assert connection.execute(text("SELECT count(*) FROM journal")).scalar_one() == 1
        for statement in (
            "INSERT INTO journal (seq, recorded_at, record_type, training, prev_hash, hash, body) "
            "VALUES (9, 'x', 'x', false, 'x', 'y', '{}')",
            "UPDATE orders SET status = 'closed'",
        ):
            with pytest.raises(Exception, match="permission denied"):
                connection.execute(text(statement))
            connection.rollback()
            connection.execute(text("SET ROLE sce_operator"))
    engine.dispose()
