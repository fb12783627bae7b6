"""The live bus: a change published from a worker thread reaches every subscribed stream at once."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

from sce.web.pos.live import Bus


class _Request:
    async def is_disconnected(self) -> bool:
        return False


def test_a_change_reaches_every_stream_within_the_second() -> None:
    bus = Bus()

    async def listen() -> list[dict[str, Any]]:
        streams = [bus.stream(_Request()) for _ in range(2)]  # type: ignore[arg-type]
        hellos = [await s.__anext__() for s in streams]
        assert all(h.startswith("retry: 1000") for h in hellos)
        threading.Thread(target=bus.publish, args=({"kind": "order", "table": "5"},)).start()
        got = [await asyncio.wait_for(s.__anext__(), 1.0) for s in streams]
        bus.close()
        return [json.loads(text.split("data: ", 1)[1]) for text in got]

    messages = asyncio.run(listen())
    assert [m["table"] for m in messages] == ["5", "5"]
    assert messages[0]["seq"] == 1
