"""Byte streams the SCE 1.0 emulator serves on: a pseudo-terminal, a serial port, a TCP connection.

Each stream reads with a timeout and writes whole buffers; :class:`PacedStream` wraps any of them to
pace outgoing bytes like a real line (10 bits per byte at the given baud rate, 8N1).
"""

from __future__ import annotations

import os
import select
import socket
import time
import tty
from typing import Protocol

import serial


class ByteStream(Protocol):
    def read(self, timeout: float) -> bytes:
        """Bytes available within ``timeout`` seconds (empty on timeout)."""
        ...

    def write(self, data: bytes) -> None: ...

    def close(self) -> None: ...


class StreamClosedError(ConnectionError):
    """The other end went away."""


class FdStream:
    """A file descriptor, e.g. the master side of a pseudo-terminal."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0.0))
        if not ready:
            return b""
        try:
            data = os.read(self.fd, 4096)
        except OSError as exc:  # EIO on a pty master when no slave is open
            raise StreamClosedError(str(exc)) from exc
        return data

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]

    def close(self) -> None:
        os.close(self.fd)


class PseudoTerminal(FdStream):
    """A pty pair: the emulator serves the master; POS software opens :attr:`path`.

    The slave side is put in raw mode and kept open by the emulator, so that control bytes (ETX, NACK)
    pass untouched and the link survives the POS closing and reopening the port.
    """

    def __init__(self) -> None:
        master, slave = os.openpty()
        tty.setraw(slave)
        tty.setraw(master)
        super().__init__(master)
        self.slave_fd = slave
        self.path = os.ttyname(slave)

    def close(self) -> None:
        super().close()
        os.close(self.slave_fd)


class SerialStream:
    """A pyserial port (a real RS-232 device or any pyserial URL)."""

    def __init__(self, port: serial.Serial) -> None:
        self.port = port

    @classmethod
    def open(cls, url: str, baudrate: int = 19200) -> SerialStream:
        return cls(serial.serial_for_url(url, baudrate=baudrate, timeout=0.05))

    def read(self, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        while True:
            waiting = self.port.in_waiting
            if waiting:
                return bytes(self.port.read(waiting))
            if time.monotonic() >= deadline:
                return b""
            chunk = self.port.read(1)
            if chunk:
                return bytes(chunk) + bytes(self.port.read(self.port.in_waiting))

    def write(self, data: bytes) -> None:
        self.port.write(data)
        self.port.flush()

    def close(self) -> None:
        self.port.close()


class SocketStream:
    """One accepted TCP connection (a serial-over-IP bridge)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.sock], [], [], max(timeout, 0.0))
        if not ready:
            return b""
        data = self.sock.recv(4096)
        if not data:
            raise StreamClosedError("connection closed by the peer")
        return data

    def write(self, data: bytes) -> None:
        self.sock.sendall(data)

    def close(self) -> None:
        self.sock.close()


class PacedStream:
    """Paces writes at ``baud`` bits per second, 10 bits per byte (start, 8 data, stop)."""

    def __init__(self, inner: ByteStream, baud: int) -> None:
        if baud <= 0:
            raise ValueError("baud: must be positive")
        self.inner = inner
        self.byte_time = 10.0 / baud

    def read(self, timeout: float) -> bytes:
        return self.inner.read(timeout)

    def write(self, data: bytes) -> None:
        start = time.perf_counter()
        sent = 0
        while sent < len(data):
            due = int((time.perf_counter() - start) / self.byte_time) + 1
            if due > sent:
                end = min(due, len(data))
                self.inner.write(data[sent:end])
                sent = end
            if sent < len(data):
                time.sleep(min(self.byte_time, 0.002))
        remaining = start + len(data) * self.byte_time - time.perf_counter()
        if remaining > 0:
            time.sleep(remaining)

    def close(self) -> None:
        self.inner.close()
