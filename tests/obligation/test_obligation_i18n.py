"""Catalogues: every explanation exists in NL, FR, DE and EN with the same placeholders."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from sce.obligation import texts
from sce.obligation.i18n import LANGUAGES, Lang, render
from sce.obligation.message import Amount, Percent, msg

PLACEHOLDER = re.compile(r"\{(\w+)\}")
LOCALE_DIR = Path(texts.__file__).parent / "locale"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(lang: Lang) -> None:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "obligation.po").open("rb") as handle:
        catalog = read_po(handle)
    for msgid in texts.all_message_ids():
        entry = catalog.get(msgid)
        assert entry is not None and entry.string, f"{lang}: missing {msgid!r}"
        assert isinstance(entry.string, str)
        assert set(PLACEHOLDER.findall(entry.string)) == set(PLACEHOLDER.findall(msgid)), msgid
        if lang != "en":
            assert entry.string != msgid or len(msgid) < 12, f"{lang}: untranslated {msgid!r}"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "€25,000.01 is above the threshold of €25,000.00."),
        ("nl", "€\xa025.000,01 ligt boven de grens van €\xa025.000,00."),
        ("fr", "25\u202f000,01\xa0€ dépasse le seuil de 25\u202f000,00\xa0€."),
        ("de", "25.000,01\xa0€ liegt über der Grenze von 25.000,00\xa0€."),
    ],
)
def test_amounts_in_each_locale(lang: Lang, expected: str) -> None:
    message = msg(
        texts.ABOVE_THRESHOLD, services=Amount(Decimal("25000.005")), threshold=Amount(Decimal(25000))
    )
    assert render(message, lang) == expected


def test_dates_percentages_and_nested_messages() -> None:
    message = msg(
        texts.ACTIVITY_LINE, id="x", amount=Amount(Decimal("0.125")), reason=msg(texts.TAKEAWAY_GOODS)
    )
    assert render(message, "de") == "Tätigkeit x (0,13\xa0€): zum Mitnehmen: eine Warenlieferung."
    assert render(msg(texts.RULE_25000, date=date(2016, 7, 1)), "fr").startswith(
        "Règle en vigueur le 1 juillet 2016"
    )
    share = msg(
        texts.SHARE_BELOW,
        services=Amount(Decimal(1)),
        total=Amount(Decimal(3)),
        percent=Percent(Decimal("33.335")),
    )
    assert "= 33,34 %" in render(share, "nl")
