"""Wheel build hook: with ``SCE_COMPILE=1`` the journal verifier's hot modules are compiled with mypyc.

The compiled modules are built from the same typed sources and sit beside them in the wheel; Python
imports an extension module before the ``.py`` of the same name. Editable installs (``make run``,
``make test``) stay pure Python; ``make compiled`` builds the compiled wheel (docs/audit.md).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: The modules compiled: the per-record checks, the report figures and the sequential checks.
COMPILED = (
    "sce/verifier/fastjson.py",
    "sce/verifier/figures.py",
    "sce/verifier/signatures.py",
    "sce/verifier/run.py",
)
#: What compiling needs beside the build backend (the versions of the development environment).
REQUIREMENTS = ["mypy==2.4.1", "setuptools==80.9.0"]

_BUILD = """
import sys
from mypyc.build import mypycify
from setuptools import setup

out, temp, config, *modules = sys.argv[1:]
setup(
    name="sce-compiled",
    ext_modules=mypycify(
        ["--config-file", config, "--ignore-missing-imports", *modules],
        opt_level="3",
        target_dir=temp + "/c",
    ),
    script_args=["build_ext", "--build-lib", out, "--build-temp", temp + "/o"],
)
"""


def compiling() -> bool:
    return os.environ.get("SCE_COMPILE", "") == "1"


class CompileHook(BuildHookInterface):  # type: ignore[type-arg]  # generic over the builder configuration
    """Adds the mypyc-compiled verifier modules to a standard wheel when ``SCE_COMPILE=1``."""

    PLUGIN_NAME = "custom"

    def dependencies(self) -> list[str]:
        return list(REQUIREMENTS) if compiling() else []

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version != "standard" or not compiling():
            return
        work = Path(tempfile.mkdtemp(prefix="sce-mypyc-"))
        self._work = work
        try:
            self._compile(work, build_data)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise

    def _compile(self, work: Path, build_data: dict[str, Any]) -> None:
        out = work / "lib"
        environment = {**os.environ, "MYPY_CACHE_DIR": str(work / "cache")}
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                _BUILD,
                str(out),
                str(work),
                str(Path(self.root) / "pyproject.toml"),
                *COMPILED,
            ],
            cwd=Path(self.root) / "src",
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"compiling the verifier with mypyc failed:\n{done.stdout[-4000:]}")
        built = sorted(out.rglob("*.so")) + sorted(out.rglob("*.pyd"))
        names = [path.relative_to(out).as_posix() for path in built]
        missing = [m for m in COMPILED if not any(name.startswith(m[:-3] + ".") for name in names)]
        if missing:
            raise RuntimeError(f"mypyc built no extension for {', '.join(missing)}")
        for path in built:
            build_data["force_include"][str(path)] = path.relative_to(out).as_posix()
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
