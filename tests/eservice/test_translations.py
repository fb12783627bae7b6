"""The pages speak NL/FR/DE/EN: every text of the templates, and every status, role, reason and history
action the pages translate, has a Dutch, French and German translation; the rendered pages use them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import httpx
import pytest
from babel.messages.pofile import read_po

from sce.eservice import lifecycle, support
from sce.eservice.accounts import Role
from sce.eservice.seed import OPERATOR_A
from tests.eservice.support import client, served

TEMPLATES = Path(str(resources.files("sce.eservice") / "templates"))
LOCALE = Path(str(resources.files("sce.eservice") / "locale"))
LITERAL = re.compile(r"""_\(\s*(["'])(.+?)\1\s*\)""")
# values the templates pass to _() at run time
COMPONENT_STATUSES = (
    "produced",
    "at_distributor",
    "delivered",
    "confirmed",
    "linked",
    "active",
    "decommissioned",
)
DISTRIBUTOR_STATUSES = ("pending", "validated", "refused")
CARD_STATUSES = ("requested", "inserted", "active", "deactivated")
ACTIONS = (
    "produced",
    "delivered_to_distributor",
    "resold_to_distributor",
    "delivered_to_operator",
    "delivery_confirmed",
    "linked",
    "vsc_requested",
    "activated",
    "certificate_issued",
    "first_boot",
    "decommissioned",
)


def _page_strings() -> set[str]:
    found = set()
    for template in TEMPLATES.glob("*.html"):
        found |= {m.group(2) for m in LITERAL.finditer(template.read_text(encoding="utf-8"))}
    assert len(found) > 100
    return (
        found
        | {r.value for r in Role}
        | set(lifecycle.REASONS)
        | set(support.STATUSES)
        | set(COMPONENT_STATUSES + DISTRIBUTOR_STATUSES + CARD_STATUSES + ACTIONS)
    )


@pytest.mark.parametrize("lang", ["nl", "fr", "de", "en"])
def test_every_page_string_is_in_the_catalogue(lang: str) -> None:
    with (LOCALE / lang / "LC_MESSAGES" / "eservice.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    strings = _page_strings()
    missing = sorted(s for s in strings if s not in catalog)
    assert not missing, f"{lang}: not in the catalogue: {missing}"
    if lang != "en":
        untranslated = sorted(s for s in strings if not catalog[s].string)
        assert not untranslated, f"{lang}: without translation: {untranslated}"


def test_history_actions_are_the_ones_the_code_records() -> None:
    source = Path(str(resources.files("sce.eservice")))
    recorded = set()
    for module in source.glob("*.py"):
        recorded |= set(re.findall(r'record\(\s*conn,\s*\w+,\s*"(\w+)"', module.read_text()))
    assert recorded and recorded <= set(ACTIONS), recorded - set(ACTIONS)


@pytest.fixture(scope="module")
def operator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    with served(tmp_path_factory.mktemp("languages")) as url:
        yield client(url, "operator-a")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("nl", ("Uitbater: Brasserie De Markt", "Vestigingseenheid", "Buitengebruikstelling", "Kassa's")),
        ("fr", ("Exploitant: Brasserie De Markt", "Unité d'établissement", "Mise hors service", "Caisses")),
        ("de", ("Betreiber: Brasserie De Markt", "Niederlassungseinheit", "Außerbetriebnahme", "Kassen")),
        ("en", ("Operator: Brasserie De Markt", "Establishment unit", "Decommissioning", "Cash registers")),
    ],
)
def test_the_operator_page_in_each_language(
    operator: httpx.Client, lang: str, words: tuple[str, ...]
) -> None:
    page = operator.get(f"/eservice/operator/{OPERATOR_A}?lang={lang}")
    assert page.status_code == 200 and f'<html lang="{lang}">' in page.text
    text = page.text.replace("&#39;", "'")
    for word in words:
        assert word in text, (lang, word)
