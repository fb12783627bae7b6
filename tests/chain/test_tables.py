"""The hash-chained append: parallel writers of one site leave one gapless chain; tampering is found."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa

from sce.chain.tables import AppendMode, append_record, create_tables, sale_payload, verify_chain

PAYLOAD = sale_payload(date(2026, 11, 21), {"A": (1000, 210)})


@pytest.fixture
def engine(postgres_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(postgres_url, pool_size=10)
    create_tables(engine)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("mode", list(AppendMode))
def test_parallel_writers_leave_one_gapless_chain(engine: sa.Engine, mode: AppendMode) -> None:
    numbers: list[int] = []

    def write() -> None:
        for _ in range(15):
            numbers.append(append_record(engine, "gent", PAYLOAD, mode=mode))

    writers = [threading.Thread(target=write) for _ in range(6)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    assert sorted(numbers) == list(range(1, 91))  # each writer got its own number, none lost
    with engine.connect() as connection:
        assert verify_chain(connection, "gent") is None
        assert connection.scalar(sa.text("SELECT count(*) FROM journal_records")) == 90


def test_an_edited_or_removed_record_breaks_the_chain(engine: sa.Engine) -> None:
    for _ in range(4):
        append_record(engine, "gent", PAYLOAD)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "UPDATE journal_records SET payload = jsonb_set(payload, '{event}', '\"x\"') WHERE seq = 2"
            )
        )
        broken = verify_chain(connection, "gent")
        assert broken is not None and (broken.seq, broken.reason) == (2, "hash does not match the record")
        connection.execute(sa.text("DELETE FROM journal_records WHERE seq IN (2)"))
        broken = verify_chain(connection, "gent")
        assert broken is not None and broken.seq == 2 and "missing" in broken.reason
