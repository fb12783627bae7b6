"""Live sync: every change is published to the terminals as a Server-Sent Event within the second.

Services run in worker threads; :meth:`Bus.publish` hands each message to the subscribers' event loops.
The stream also sends a ``ping`` every :data:`PING_SECONDS`, so a terminal that stops hearing anything
knows its connection is lost and blocks fiscal actions until it is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

PING_SECONDS = 2.0
_CLOSE = "__close__"


class Bus:
    """Publish/subscribe of change messages (``{"kind": "order", "table": "5", ...}``)."""

    def __init__(self) -> None:
        self._subscribers: set[tuple[asyncio.Queue[str], asyncio.AbstractEventLoop]] = set()
        self._lock = threading.Lock()
        self.closed = False
        self.sequence = 0

    def publish(self, message: dict[str, Any]) -> None:
        with self._lock:
            self.sequence += 1
            text = json.dumps({**message, "seq": self.sequence}, sort_keys=True, default=str)
            subscribers = list(self._subscribers)
        for queue, loop in subscribers:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, text)
            except RuntimeError:  # loop already closed
                self._discard(queue, loop)

    def _discard(self, queue: asyncio.Queue[str], loop: asyncio.AbstractEventLoop) -> None:
        with self._lock:
            self._subscribers.discard((queue, loop))

    async def stream(self, request: Request) -> AsyncIterator[str]:
        queue: asyncio.Queue[str] = asyncio.Queue()
        loop = asyncio.get_running_loop()
        with self._lock:
            self._subscribers.add((queue, loop))
        try:
            yield f"retry: 1000\nevent: hello\ndata: {json.dumps({'seq': self.sequence})}\n\n"
            while not self.closed:
                try:
                    text = await asyncio.wait_for(queue.get(), PING_SECONDS)
                except TimeoutError:
                    if await request.is_disconnected():
                        break
                    yield "event: ping\ndata: {}\n\n"
                    continue
                if text == _CLOSE:
                    break
                yield f"event: change\ndata: {text}\n\n"
        finally:
            self._discard(queue, loop)

    def close(self) -> None:
        self.closed = True
        with self._lock:
            subscribers = list(self._subscribers)
        for queue, loop in subscribers:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(queue.put_nowait, _CLOSE)

    @property
    def listeners(self) -> int:
        with self._lock:
            return len(self._subscribers)


def router(bus: Bus, authenticate: Any) -> APIRouter:
    """``GET /events``: the change stream of the logged-in terminal."""
    events = APIRouter()

    @events.get("/events", include_in_schema=False)
    async def stream(request: Request) -> StreamingResponse:
        authenticate(request)
        return StreamingResponse(
            bus.stream(request),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    return events
