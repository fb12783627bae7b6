"""A TCP proxy on loopback that cuts the network between two programs on command, for fault tests.

Everything sent to :attr:`TcpProxy.port` goes to the target and back, until the test changes
:attr:`TcpProxy.mode`:

* ``pass``: forward both ways;
* ``blackhole``: keep every connection open and accept new ones, but forward nothing either way (a
  cable pulled out: the client waits for its timeout);
* ``drop``: close new connections at once and stop forwarding on the open ones (a peer gone);
* ``reset``: like ``drop``, but connections end with a TCP reset (``SO_LINGER`` 0).

:meth:`TcpProxy.cut` also acts on the connections already open, while requests are in flight:
``reset``/``drop`` close them, ``blackhole`` freezes them. ``retarget`` points the proxy at another
address (an FDM restarted on a new port). Standard library only; one thread per direction.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Literal, Self

__all__ = ["Mode", "TcpProxy", "cut"]

Mode = Literal["pass", "blackhole", "drop", "reset"]
_SLICE = 0.05


def _close(sock: socket.socket, *, reset: bool) -> None:
    with contextlib.suppress(OSError):
        if reset:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()


class _Pair:
    """One client connection and its connection to the target."""

    def __init__(self, client: socket.socket, upstream: socket.socket) -> None:
        self.client = client
        self.upstream = upstream
        self.closed = threading.Event()

    def close(self, *, reset: bool = False) -> None:
        if not self.closed.is_set():
            self.closed.set()
            _close(self.client, reset=reset)
            _close(self.upstream, reset=reset)


class TcpProxy:
    """Listens on ``127.0.0.1:port`` (0: a free one) and forwards to ``target`` according to ``mode``."""

    def __init__(self, target: tuple[str, int], port: int = 0) -> None:
        self.target = target
        self.mode: Mode = "pass"
        self.connections = 0
        self.cuts = 0
        self._pairs: set[_Pair] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", port))
        self._listener.listen(128)
        self._listener.settimeout(_SLICE)
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, name="tcpproxy", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # ----- control

    def set_mode(self, mode: Mode) -> None:
        """Change the mode for new connections and what the forwarding threads do from now on."""
        if mode not in ("pass", "blackhole", "drop", "reset"):
            raise ValueError(f"mode: {mode!r} is not pass, blackhole, drop or reset")
        self.mode = mode

    def cut(self, mode: Mode) -> int:
        """Cut the link now, open connections included; returns how many open connections were hit."""
        self.set_mode(mode)
        self.cuts += 1
        with self._lock:
            pairs = list(self._pairs)
        if mode in ("drop", "reset"):
            for pair in pairs:
                pair.close(reset=mode == "reset")
        return len(pairs)

    def heal(self) -> None:
        """Forward again; connections frozen by ``blackhole`` are closed (their peers gave up on them)."""
        with self._lock:
            pairs = list(self._pairs)
        for pair in pairs:
            pair.close(reset=True)
        self.mode = "pass"

    def retarget(self, target: tuple[str, int]) -> None:
        self.target = target

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        _close(self._listener, reset=False)
        with self._lock:
            pairs = list(self._pairs)
        for pair in pairs:
            pair.close()

    # ----- work

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            mode = self.mode
            if mode in ("drop", "reset"):
                _close(client, reset=mode == "reset")
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=2)
            except OSError:
                _close(client, reset=True)
                continue
            for sock in (client, upstream):  # forward each write at once, as the peers sent it
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            pair = _Pair(client, upstream)
            with self._lock:
                self._pairs.add(pair)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(pair, source, sink), daemon=True).start()

    def _frozen(self) -> bool:
        return self.mode == "blackhole"

    def _pump(self, pair: _Pair, source: socket.socket, sink: socket.socket) -> None:
        try:
            while not pair.closed.is_set() and not self._stop.is_set():
                if self.mode == "blackhole":
                    pair.closed.wait(_SLICE)  # hold the bytes: neither side hears anything
                    continue
                try:
                    ready, _, _ = select.select([source], [], [], _SLICE)
                except (OSError, ValueError):
                    break
                if not ready or self._frozen():
                    continue
                try:
                    data = source.recv(65536)
                except OSError:
                    break
                if not data or self.mode in ("drop", "reset"):
                    break
                try:
                    sink.sendall(data)
                except OSError:
                    break
        finally:
            pair.close(reset=self.mode == "reset")
            with self._lock:
                self._pairs.discard(pair)


@contextmanager
def cut(proxy: TcpProxy, mode: Mode) -> Iterator[TcpProxy]:
    """``with cut(proxy, "blackhole"): ...``: the link is cut inside the block and healed after it."""
    proxy.cut(mode)
    try:
        yield proxy
    finally:
        proxy.heal()
