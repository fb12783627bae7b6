"""The SCE 2.0 migration schedule: every published version, read from data, with the one in force."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from sce.obligation.dates import parse_iso_date
from sce.obligation.errors import ObligationInputError

NEW_ESTABLISHMENT = "new_establishment"


@dataclass(frozen=True)
class Bracket:
    """SCE 1.0 systems commissioned between two dates (inclusive; None = open)."""

    id: str
    commissioned_from: date | None
    commissioned_until: date | None

    def contains(self, day: date) -> bool:
        """Whether a system commissioned on ``day`` falls in this bracket."""
        after_start = self.commissioned_from is None or day >= self.commissioned_from
        before_end = self.commissioned_until is None or day <= self.commissioned_until
        return after_start and before_end


@dataclass(frozen=True)
class ScheduleVersion:
    """One version of the schedule, with the dates it left unchanged filled in from the version before."""

    id: str
    label: str
    in_force: bool
    new_establishments: date
    brackets: Mapping[str, date]
    note: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Schedule:
    """All versions in publication order, and the brackets."""

    brackets: tuple[Bracket, ...]
    versions: tuple[ScheduleVersion, ...]

    def in_force(self) -> ScheduleVersion:
        """The version in force."""
        return next(v for v in self.versions if v.in_force)

    def version(self, version_id: str | None) -> ScheduleVersion:
        """A version by id; the one in force when ``version_id`` is None."""
        if version_id is None:
            return self.in_force()
        for version in self.versions:
            if version.id == version_id:
                return version
        known = ", ".join(v.id for v in self.versions)
        raise ObligationInputError("schedule_version", f"unknown schedule version; known: {known}")

    def bracket_of(self, commissioned: date) -> Bracket:
        """The bracket of a 1.0 system commissioned on ``commissioned``."""
        return next(b for b in self.brackets if b.contains(commissioned))


def _date(value: object, where: str) -> date:
    day = parse_iso_date(value)
    if day is None:
        raise ValueError(f"schedule data: {where} is not a YYYY-MM-DD date")
    return day


def _optional_date(value: object, where: str) -> date | None:
    return None if value is None else _date(value, where)


def parse_schedule(data: Mapping[str, Any]) -> Schedule:
    """Build the schedule from its JSON form; checks that exactly one version is in force."""
    brackets = tuple(
        Bracket(
            str(b["id"]),
            _optional_date(b["commissioned_from"], f"bracket {b['id']}"),
            _optional_date(b["commissioned_until"], f"bracket {b['id']}"),
        )
        for b in data["brackets"]
    )
    versions: list[ScheduleVersion] = []
    previous_new: date | None = None
    previous: dict[str, date] = {}
    for raw in data["versions"]:
        where = f"version {raw['id']}"
        new = _optional_date(raw["new_establishments"], where) or previous_new
        dates = dict(previous)
        for bracket in brackets:
            value = raw["brackets"].get(bracket.id)
            if value is not None:
                dates[bracket.id] = _date(value, f"{where} bracket {bracket.id}")
        if new is None or set(dates) != {b.id for b in brackets}:
            raise ValueError(f"schedule data: {where} leaves a date unknown")
        versions.append(
            ScheduleVersion(
                id=str(raw["id"]),
                label=str(raw["label"]),
                in_force=bool(raw["in_force"]),
                new_establishments=new,
                brackets=dates,
                note=str(raw.get("note", "")),
                sources=tuple(str(s) for s in raw.get("sources", ())),
            )
        )
        previous_new, previous = new, dates
    if sum(v.in_force for v in versions) != 1:
        raise ValueError("schedule data: exactly one version must be in force")
    return Schedule(brackets, tuple(versions))


@functools.cache
def default_schedule() -> Schedule:
    """The schedule shipped with the package (``data/sce2_schedule.json``)."""
    text = (resources.files("sce.obligation.data") / "sce2_schedule.json").read_text(encoding="utf-8")
    return parse_schedule(json.loads(text))
