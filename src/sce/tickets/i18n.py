"""Ticket languages: the gettext catalogue of ticket words and Belgian number, date and money formats.

The catalogues are the ``.po`` files under ``locale/``, compiled in memory by the project's shared loader.
Numbers, dates and amounts follow the Belgian locale of the language (nl_BE, fr_BE, de_BE, en_BE).
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from typing import Final
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal
from babel.support import Translations

from sce.domain.money import Money
from sce.obligation.i18n import LANGUAGES, Lang, load_translations

__all__ = ["LANGUAGES", "LOCALES", "Lang", "TicketLanguage", "parse_language"]

LOCALES: Final[dict[Lang, str]] = {"nl": "nl_BE", "fr": "fr_BE", "de": "de_BE", "en": "en_BE"}
DOMAIN: Final = "tickets"
SCE2_CONTEXT: Final = "SCE 2.0"
BRUSSELS: Final = ZoneInfo("Europe/Brussels")
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


def parse_language(value: str) -> Lang:
    """The ticket language from ``nl``/``NL``/``fr``...; raises ``ValueError`` for any other value."""
    code = value.strip().lower()
    for lang in LANGUAGES:
        if lang == code:
            return lang
    raise ValueError(f"language {value!r} is not one of NL, FR, DE, EN")


@functools.cache
def _translations(lang: Lang) -> Translations:
    return load_translations(resources.files("sce.tickets") / "locale", DOMAIN, lang)


class TicketLanguage:
    """Words and formats of one ticket language; plain spaces replace the locale's no-break spaces."""

    def __init__(self, lang: Lang) -> None:
        self.lang: Final = lang
        self.locale: Final = LOCALES[lang]

    def __call__(self, msgid: str) -> str:
        """The ticket word ``msgid`` (English) in this language."""
        return _translations(self.lang).gettext(msgid)

    def title(self, msgid: str, generation: int) -> str:
        """A ticket label; the SCE 2.0 wording of a label, where it differs, has the context ``SCE 2.0``."""
        if generation == 2:
            text = str(_translations(self.lang).pgettext(SCE2_CONTEXT, msgid))
            if text != msgid:
                return text
        return self(msgid)

    def amount(self, value: Money) -> str:
        """An amount without currency sign: ``1.234,50``."""
        return format_decimal(value.euros, "#,##0.00", locale=self.locale).translate(_SPACES)

    def money(self, value: Money) -> str:
        """An amount with the euro sign where the locale puts it: ``€ 52,00`` or ``52,00 €``."""
        return format_currency(value.euros, "EUR", locale=self.locale).translate(_SPACES)

    def quantity(self, value: Decimal) -> str:
        """A quantity, with up to three decimals for weights: ``2``, ``0,375``."""
        return format_decimal(value, "#,##0.###", locale=self.locale).translate(_SPACES)

    def rate(self, value: Decimal) -> str:
        """A VAT rate in percent: ``21%``."""
        return format_decimal(value, "0.##", locale=self.locale) + "%"

    def day(self, value: date) -> str:
        """A date with a four-digit year: ``29/07/2024``, German ``29.07.2024``."""
        return format_date(value, "dd.MM.yyyy" if self.lang == "de" else "dd/MM/yyyy", locale=self.locale)

    def date_time(self, value: datetime) -> str:
        """Date (4-digit year) and time to the second; an aware time is shown in Belgian time."""
        if value.tzinfo is not None:
            value = value.astimezone(BRUSSELS)
        day = self.day(value)
        return f"{day} {format_time(value, 'HH:mm:ss', locale=self.locale)}".translate(_SPACES)
