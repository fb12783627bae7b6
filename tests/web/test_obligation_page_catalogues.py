"""Every text of the obligation pages is in the NL, FR, DE and EN catalogues."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

import sce.web

WEB = Path(sce.web.__file__).parent


def _template_messages() -> list[str]:
    found: list[str] = []
    for template in sorted((WEB / "templates" / "obligation").glob("*.html")):
        for _line, message, _comments, _context in extract_from_file(
            "jinja2", str(template), options={"extensions": "jinja2.ext.i18n"}
        ):
            assert isinstance(message, str)
            found.append(message)
    return found


@pytest.mark.parametrize("lang", ["nl", "fr", "de", "en"])
def test_catalogue_is_complete(lang: str) -> None:
    with (WEB / "locale" / lang / "LC_MESSAGES" / "obligation_pages.po").open("rb") as handle:
        catalog = read_po(handle)
    messages = _template_messages()
    assert len(messages) > 50
    for message in messages:
        entry = catalog.get(message)
        assert entry is not None and entry.string, f"{lang}: {message!r}"
