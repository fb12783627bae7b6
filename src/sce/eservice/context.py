"""The e-service's settings and run-time context (engine, state directory, mail), read once at start-up."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from sce.eservice.mail import MailSettings


@dataclass(frozen=True, slots=True)
class EserviceSettings:
    """``db_url`` (SQLite by default), ``state_dir`` for the emulated FDMs, SMTP, and the FPS stand-in's
    URL for first boots (default: the one mounted in this app under ``/fps``)."""

    db_url: str = "sqlite:///eservice.sqlite3"
    state_dir: Path = Path("eservice-state")
    mail: MailSettings = field(default_factory=MailSettings)
    fps_url: str | None = None


@dataclass(frozen=True, slots=True)
class Context:
    settings: EserviceSettings
    engine: Engine
