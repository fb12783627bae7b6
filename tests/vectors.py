"""Locates the shared test vectors (``shared/vectors`` beside the checkout) and loads them."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def vectors_dir() -> Path:
    """``$SCE_VECTORS_DIR``, else the first ``shared/vectors`` found beside the checkout or above it."""
    configured = os.environ.get("SCE_VECTORS_DIR")
    if configured:
        return Path(configured)
    for parent in ROOT.parents:
        candidate = parent / "shared" / "vectors"
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "shared/vectors not found beside the checkout or above it; set SCE_VECTORS_DIR to its path"
    )


@cache
def load(name: str) -> Any:
    return json.loads((vectors_dir() / name).read_text(encoding="utf-8"))


def case(name: str, case_id: str) -> dict[str, Any]:
    for item in load(name)["cases"]:
        if item["id"] == case_id:
            return dict(item)
    raise KeyError(f"{name} has no case {case_id!r}")
