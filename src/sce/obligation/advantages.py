"""The social-security and labour advantages that depend on when the certified system is in use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

from sce.obligation import texts
from sce.obligation.message import Amount, Message, msg

REDUCTION_PER_QUARTER: Final = Decimal(500)
REDUCTION_PER_QUARTER_UNDER_26: Final = Decimal(800)


@dataclass(frozen=True)
class Advantage:
    """One advantage: from which day it can apply (None: from installation) and its conditions."""

    id: str
    title: Message
    starts: date | None
    conditions: tuple[Message, ...]


def advantages(reduction_quarter_start: date) -> tuple[Advantage, ...]:
    """The target-group reduction (from the planned quarter) and the higher overtime ceiling."""
    reduction = Advantage(
        id="target_group_reduction",
        title=msg(texts.ADV_REDUCTION_TITLE),
        starts=reduction_quarter_start,
        conditions=(
            msg(
                texts.ADV_REDUCTION_AMOUNT,
                amount=Amount(REDUCTION_PER_QUARTER),
                young=Amount(REDUCTION_PER_QUARTER_UNDER_26),
            ),
            msg(texts.ADV_REDUCTION_WHOLE_QUARTER),
            msg(texts.ADV_REDUCTION_PRESENCE),
            msg(texts.ADV_REDUCTION_CLAIM),
        ),
    )
    overtime = Advantage(
        id="overtime_ceiling",
        title=msg(texts.ADV_OVERTIME_TITLE),
        starts=None,
        conditions=(msg(texts.ADV_OVERTIME_CEILING), msg(texts.ADV_OVERTIME_FISCAL)),
    )
    return (reduction, overtime)
