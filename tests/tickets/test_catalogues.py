"""The ticket catalogues: the same messages in NL, FR, DE and EN, every one translated."""

from __future__ import annotations

from importlib import resources

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from sce.tickets.i18n import LANGUAGES, TicketLanguage, parse_language
from sce.tickets.layout import NOT_VALID
from sce.tickets.model import KIND_LABELS, MONEY_OUT
from sce.tickets.report_model import REPORT_HEADINGS
from sce.tickets.reports import REASON_LABELS


def _catalog(lang: str) -> Catalog:
    path = resources.files("sce.tickets") / "locale" / lang / "LC_MESSAGES" / "tickets.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def _ids(catalog: Catalog) -> set[tuple[str, str | None]]:
    return {(str(message.id), message.context) for message in catalog if message.id}


def test_every_language_has_the_same_messages() -> None:
    expected = _ids(_catalog("en"))
    assert len(expected) > 30
    for lang in LANGUAGES:
        assert _ids(_catalog(lang)) == expected, lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated(lang: str) -> None:
    untranslated = [message.id for message in _catalog(lang) if message.id and not message.string]
    assert untranslated == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_label_of_the_model_is_in_the_catalogue(lang: str) -> None:
    ids = {message_id for message_id, _context in _ids(_catalog(lang))}
    for label in [*KIND_LABELS.values(), MONEY_OUT, NOT_VALID, "VAT TICKET"]:
        assert not label or label in ids, label


def test_words_differ_per_language() -> None:
    words = {TicketLanguage(lang)("Served by") for lang in LANGUAGES}
    assert words == {"Bediend door", "Servi par", "Bedient von", "Served by"}


def test_language_codes_of_the_fdm_are_accepted_and_others_refused() -> None:
    assert parse_language("NL") == "nl"
    assert parse_language(" de ") == "de"
    with pytest.raises(ValueError, match="language"):
        parse_language("ES")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_report_heading_and_reason_is_in_the_catalogue(lang: str) -> None:
    ids = {message_id for message_id, _context in _ids(_catalog(lang))}
    for label in [*REPORT_HEADINGS.values(), *REASON_LABELS.values()]:
        assert label in ids, label
