"""The dates and figures of the scope rules (KB no. 1 art. 21bis, circular 2017/C/70)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Final

from sce.obligation.model import Rule

FIRST_DAY: Final = date(2010, 1, 1)
"""Start of the registered cash register rules (12 % VAT on restaurant services); earlier is refused."""

RULE_25000_FROM: Final = date(2016, 7, 1)
"""The 25,000 EUR rule replaces the 10 % rule on this day."""

TEN_PERCENT_ANNULLED: Final = date(2015, 10, 14)
"""The Council of State annulled the 10 % rule on this day; it stayed the rule applied until 30 June 2016."""

OPEN_AIR_TOLERANCE_UNTIL: Final = date(2017, 11, 30)
"""Last day of the open-air tolerance; from 1 December 2017 the criteria of circular 2017/C/70 apply."""

THRESHOLD: Final = Decimal(25000)
"""Yearly restaurant and catering turnover excluding VAT and drinks that must be strictly exceeded."""

TEN_PERCENT: Final = Decimal(10)
"""Minimum share of restaurant and catering services in the total horeca turnover under the 10 % rule."""

OCCASIONAL_MAX_DAYS: Final = 5
"""Very occasional activity: at most this many calendar days a year (Decision 9)."""


def rule_on(day: date) -> Rule:
    """The scope rule in force on ``day``."""
    return Rule.TEN_PERCENT if day < RULE_25000_FROM else Rule.EUR_25000


def open_air_tolerance_applies(day: date) -> bool:
    """Whether the pre-December-2017 service/goods criteria apply on ``day``."""
    return day <= OPEN_AIR_TOLERANCE_UNTIL
