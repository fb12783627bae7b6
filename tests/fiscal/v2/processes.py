"""Starting ``sce fdm2 emulate`` / ``sce fps serve`` as real processes and waiting for their first line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EMULATOR_LINE = "FDM v2 emulator listening on "
FPS_LINE = "FPS stand-in listening on "


def sce(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sce", *args], capture_output=True, text=True, timeout=timeout, check=False
    )


class Process:
    """A ``sce`` sub-command in a child process; :attr:`url` is the address from its first line."""

    def __init__(self, args: list[str], first_line: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sce", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith(first_line):
            self.process.kill()
            errors = self.process.stderr.read() if self.process.stderr else ""
            raise RuntimeError(f"{args[:2]} did not start: {line!r} {errors}")
        self.url = line[len(first_line) :].strip()

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind."""
        self.process.kill()
        self.process.wait(timeout=10)
        self._close()

    def stop(self) -> int:
        self.process.terminate()
        code = self.process.wait(timeout=10)
        self._close()
        return code

    def _close(self) -> None:
        for pipe in (self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()


def emulator(state: Path, *args: str) -> Process:
    return Process(["fdm2", "emulate", "--port", "0", "--state", str(state), *args], EMULATOR_LINE)


def fps(state: Path, *args: str) -> Process:
    return Process(["fps", "serve", "--port", "0", "--state", str(state), *args], FPS_LINE)
