"""Translatable messages: an English message id with typed parameters, rendered in the user's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Amount:
    """A euro amount parameter, shown as currency in the user's locale."""

    value: Decimal


@dataclass(frozen=True)
class Percent:
    """A percentage parameter, shown with two decimals in the user's locale."""

    value: Decimal


@dataclass(frozen=True)
class Message:
    """One sentence: ``msgid`` is the English catalogue key with ``{name}`` placeholders."""

    msgid: str
    params: tuple[tuple[str, Param], ...] = ()


Param = Amount | Percent | date | int | str | Message


def msg(msgid: str, **params: Param) -> Message:
    """Build a message; the parameters keep their order so rendering is deterministic."""
    return Message(msgid, tuple(params.items()))
