"""The domain stays pure: it imports nothing of the project but itself (and the port, in events only)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import sce.domain

DOMAIN = Path(sce.domain.__file__).parent
ALLOWED_THIRD_PARTY = {"stdnum"}
STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}
IO_MODULES = {"os", "io", "socket", "subprocess", "sqlite3", "pathlib", "time", "random", "logging"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_imports_only_itself_the_port_and_stdnum() -> None:
    modules = sorted(DOMAIN.glob("*.py"))
    assert len(modules) >= 10
    for path in modules:
        for name in _imports(path):
            top = name.split(".")[0]
            if top == "sce":
                allowed = name.startswith("sce.domain") or (
                    path.name == "events.py" and name == "sce.fiscal.port"
                )
                assert allowed, f"{path.name} imports {name}"
            else:
                assert top not in IO_MODULES, f"{path.name} imports {name}"
                assert top in ALLOWED_THIRD_PARTY or top in STDLIB, f"{path.name} imports {name}"


def test_every_domain_module_says_what_it_owns() -> None:
    for path in DOMAIN.glob("*.py"):
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert docstring and len(docstring.splitlines()[0]) > 20, path.name
