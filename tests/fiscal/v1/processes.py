"""Starting ``sce fdm1 emulate`` as a real process and waiting for its first line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

LISTENING = "FDM v1 emulator listening on "


def sce(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Run the ``sce`` command (as ``python -m sce``) and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "sce", *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def sce_json(*args: str) -> dict[str, Any]:
    result = sce(*args, "--json")
    return dict(json.loads(result.stdout))


class EmulatorProcess:
    """``sce fdm1 emulate`` in a child process; :attr:`path` is where it listens."""

    def __init__(self, state: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sce", "fdm1", "emulate", "--state", str(state), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert self.process.stdout is not None
        first = self.process.stdout.readline()
        if not first.startswith(LISTENING):
            self.process.kill()
            errors = self.process.stderr.read() if self.process.stderr else ""
            raise RuntimeError(f"emulator did not start: {first!r} {errors}")
        self.path = first[len(LISTENING) :].strip()
        self.second_line = self.process.stdout.readline()

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind."""
        self.process.kill()
        self.process.wait(timeout=10)
        self._close_pipes()

    def stop(self) -> int:
        self.process.terminate()
        code = self.process.wait(timeout=10)
        self._close_pipes()
        return code

    def _close_pipes(self) -> None:
        for pipe in (self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()
