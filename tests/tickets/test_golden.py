"""Golden text tickets: every ticket type x generation x language, compared with reviewed files."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sce.domain.money import Money
from sce.tickets.i18n import Lang
from sce.tickets.render_text import render_text
from tests.tickets.support import WIDE_CASES, cases, golden_path, ticket


@pytest.mark.parametrize(("kind", "generation", "lang"), cases())
def test_ticket_matches_its_golden_file(kind: str, generation: int, lang: Lang) -> None:
    expected = golden_path(kind, generation, lang).read_text("utf-8")
    assert render_text(ticket(kind, generation, lang)) == expected


@pytest.mark.parametrize(("kind", "generation", "lang"), WIDE_CASES)
def test_48_column_ticket_matches_its_golden_file(kind: str, generation: int, lang: Lang) -> None:
    expected = golden_path(kind, generation, lang, 48).read_text("utf-8")
    assert render_text(ticket(kind, generation, lang), 48) == expected


@pytest.mark.parametrize("width", [42, 48])
@pytest.mark.parametrize(("kind", "generation", "lang"), cases())
def test_no_line_is_wider_than_the_paper(kind: str, generation: int, lang: Lang, width: int) -> None:
    text = render_text(ticket(kind, generation, lang), width)
    assert max(len(line) for line in text.splitlines()) <= width


def test_other_widths_are_refused() -> None:
    with pytest.raises(ValueError, match="width"):
        render_text(ticket("vat", 2, "nl"), 40)


def test_large_amounts_are_wrapped_never_cut() -> None:
    sale = ticket("vat", 1, "nl")
    row = replace(sale.vat_rows[0], base=Money(123456789), vat=Money(14814815))
    text = render_text(replace(sale, vat_rows=(row,)))
    assert "1.234.567,89" in text
    assert "148.148,15" in text
    assert "1.382.716,04" in text
