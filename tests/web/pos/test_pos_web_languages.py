"""The POS screens speak NL/FR/DE/EN: complete catalogues for the templates, the Python labels and the
messages of pos.js; the language of a request (``?lang=``, the ``sce_lang`` cookie, the site's screen
language set in the back office, English) and the language switch that keeps the page."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from pos_web_support import MANAGER_PIN, WAITER_PIN, Api, clock_in, demo_runtime, key
from sqlalchemy import select

import sce.web.pos
from sce.db import tables as t
from sce.fiscal.errors import UserAction
from sce.web.pos import i18n
from sce.web.pos.app import create_app
from sce.web.pos.errors import localized
from sce.web.pos.runtime import Runtime

POS = Path(sce.web.pos.__file__).parent
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")
# English texts of buttons, links and headings that a Dutch screen must not show
ENGLISH = (
    "Send round",
    "Provisional bill",
    "Pay",
    "Log out",
    "Log in",
    "Clock in",
    "Clock out",
    "Floor",
    "Kitchen",
    "Back office",
    "Open drawer",
    "Reports",
    "Latest sales",
    "Transfer",
    "Split",
    "Pay and print the VAT ticket",
    "Ready",
    "Products",
    "Staff",
    "Save",
    "Configuration changes",
    "Fiscal data module",
    "Print",
    "Back",
    "Charts",
    "Copy",
    "Refund",
    "Invoice",
    "Make the invoice",
    "Counter and channels",
    "New take-away",
    "Drawer",
    "Training mode",
    "Clocked in now",
    "free",
)


def _used_messages() -> list[str]:
    """Every message of the templates (``_()``) and of the Python modules (``N_()``), in order."""
    found: list[str] = []
    for template in sorted((POS / "templates").glob("*.html")):
        for _line, message, _comments, _context in extract_from_file(
            "jinja2", str(template), options={"extensions": "jinja2.ext.i18n"}
        ):
            assert isinstance(message, str)
            found.append(message)
    for module in sorted(POS.glob("*.py")):
        for _line, message, _comments, _context in extract_from_file(
            "python", str(module), keywords={"N_": None}
        ):
            assert isinstance(message, str)
            found.append(message)
    return list(dict.fromkeys(found))


def _catalogue(lang: str) -> dict[str, str]:
    with (POS / "locale" / lang / "LC_MESSAGES" / "pos.po").open("rb") as handle:
        catalog = read_po(handle)
    return {str(m.id): str(m.string) for m in catalog if m.id}


@pytest.mark.parametrize("lang", ["nl", "fr", "de", "en"])
def test_catalogue_translates_every_message_and_nothing_else(lang: str) -> None:
    used = _used_messages()
    assert len(used) > 250
    catalogue = _catalogue(lang)
    missing = [m for m in used if not catalogue.get(m)]
    assert not missing, f"{lang}: untranslated {missing}"
    unused = sorted(set(catalogue) - set(used))
    assert not unused, f"{lang}: no longer used {unused}"
    for message, text in catalogue.items():
        assert sorted(PLACEHOLDER.findall(message)) == sorted(PLACEHOLDER.findall(text)), (lang, message)
        assert "%" not in PLACEHOLDER.sub("", text), f"{lang}: a bare % in {text!r} (newstyle gettext)"
    if lang == "en":
        assert all(text == message for message, text in catalogue.items())
    else:
        translated = [m for m, text in catalogue.items() if text != m]
        assert len(translated) > 0.85 * len(catalogue), f"{lang}: most texts must differ from English"


def test_the_messages_of_pos_js_come_from_the_catalogue() -> None:
    script = (POS / "static" / "pos.js").read_text(encoding="utf-8")
    calls = re.findall(r't\("(\w+)", "((?:[^"\\]|\\.)*)"\)', script)
    assert len(calls) >= 8
    for name, english in calls:
        assert i18n.JS_MESSAGES[name] == english, name
    assert {name for name, _english in calls} == set(i18n.JS_MESSAGES)
    # no literal English message left outside t(...)
    assert not re.search(r'showDialog\("', script)


class _Text(HTMLParser):
    """The visible text nodes of a page (not scripts or styles)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def _texts(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.texts


@pytest.fixture
def rt(tmp_path: Path) -> Iterator[Runtime]:
    with demo_runtime(tmp_path, 1) as made:
        yield made


def _manager(rt: Runtime) -> tuple[TestClient, Api]:
    client = TestClient(create_app(rt))
    clock_in(client, MANAGER_PIN)
    manager = Api(client, MANAGER_PIN)
    client.cookies.set("sce_session", manager.token)
    return client, manager


def test_french_is_chosen_with_lang_and_sticks_through_the_cookie(rt: Runtime) -> None:
    client = TestClient(create_app(rt))
    english = client.get("/")
    assert '<html lang="en">' in english.text and "Log in" in _texts(english.text)
    assert "sce_lang" not in english.headers.get("set-cookie", "")
    login = client.get("/?lang=fr")
    assert login.status_code == 200
    assert '<html lang="fr">' in login.text
    assert "Se connecter" in _texts(login.text) and "Log in" not in _texts(login.text)
    cookie = next(c for c in login.headers.get_list("set-cookie") if c.startswith("sce_lang="))
    assert cookie.startswith("sce_lang=fr;") and "Path=/" in cookie and "SameSite=lax" in cookie
    # the choice sticks: the next page, without ?lang=, is French
    again = client.get("/")
    assert '<html lang="fr">' in again.text and "Pointer l'arrivée" in _texts(again.text)
    clock_in(client, MANAGER_PIN)
    client.cookies.set("sce_session", Api(client, MANAGER_PIN).token)
    floor = client.get("/pos/floor")
    assert '<html lang="fr">' in floor.text
    texts = _texts(floor.text)
    assert "Se déconnecter" in texts and "Log out" not in texts
    assert "Table 1" in texts and "libre" in texts and "Salle" in texts
    # another language on another page, then a client without a choice is English
    german = client.get("/pos/cash?lang=de")
    assert '<html lang="de">' in german.text and "Kassenlade öffnen" in _texts(german.text)
    assert client.get("/pos/floor").text.count('<html lang="de">') == 1
    fresh = TestClient(create_app(rt))
    fresh.cookies.set("sce_session", client.cookies.get("sce_session") or "")
    plain = fresh.get("/pos/floor")
    assert '<html lang="en">' in plain.text and "Log out" in _texts(plain.text)


def test_an_unknown_language_is_ignored(rt: Runtime) -> None:
    client = TestClient(create_app(rt))
    page = client.get("/?lang=xx")
    assert '<html lang="en">' in page.text and "sce_lang" not in page.headers.get("set-cookie", "")
    client.cookies.set("sce_lang", "klingon")
    assert '<html lang="en">' in client.get("/").text


def test_the_language_switch_keeps_the_page_and_its_query(rt: Runtime) -> None:
    client, _manager_api = _manager(rt)
    page = client.get("/kitchen?station=Keuken&lang=nl")
    for code in ("nl", "fr", "de", "en"):
        assert f'href="/kitchen?station=Keuken&amp;lang={code}"' in page.text, code
        assert f'data-testid="lang-{code}"' in page.text
    login = TestClient(create_app(rt)).get("/")
    for code in ("nl", "fr", "de", "en"):
        assert f'data-testid="login-lang-{code}"' in login.text and f'href="/?lang={code}"' in login.text


def test_dutch_screens_show_no_english_labels(rt: Runtime) -> None:
    client, manager = _manager(rt)
    order = manager.ok("/orders", {"table": "4"})
    order = manager.ok(
        f"/orders/{order['order_id']}/items",
        {"version": order["version"], "product_id": "BEER", "quantity": "2"},
    )
    line = order["lines"][-1]["number"]
    manager.ok(
        f"/orders/{order['order_id']}/lines/{line}/discount", {"version": order["version"], "amount": "1"}
    )
    sale = manager.ok(
        "/quick-sale", {"items": [{"product_id": "BEER"}], "tenders": [{"method": "CASH", "amount": "5"}]}
    )
    report = manager.ok("/reports", {"kind": "turnover", "mode": "X"})["reports"][-1]["ticket_number"]
    client.cookies.set("sce_lang", "nl")
    pages = (
        "/pos/floor",
        f"/pos/orders/{order['order_id']}",
        f"/pos/orders/{order['order_id']}?mode=split",
        f"/pos/orders/{order['order_id']}/pay",
        "/pos/tickets",
        f"/pos/tickets/{sale['ticket_number']}",
        "/pos/cash",
        f"/pos/reports/{report}",
        "/pos/printers",
        "/kitchen",
        "/office",
        "/office/products",
        "/office/staff",
        "/office/terminals",
        "/office/fdm",
        "/office/reports",
        "/office/journal",
        "/office/config-log",
    )
    seen: set[str] = set()
    for path in pages:
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert '<html lang="nl">' in answer.text, path
        texts = _texts(answer.text)
        data = {"Kitchen"} if path in ("/kitchen", "/office/terminals") else set()  # a station of the demo
        left = [text for text in texts if text in ENGLISH and text not in data]
        assert not left, f"{path}: English left {left}"
        seen.update(texts)
    for dutch in (
        "Keuken",
        "Zaal",
        "Ronde versturen",
        "Voorlopige rekening",
        "Afrekenen",
        "Afmelden",
        "Kassalade openen",
    ):
        assert dutch in seen, dutch
    assert "Afrekenen en btw-kasticket afdrukken" in seen
    assert "X OMZET" in " ".join(seen)
    assert any(text.startswith("korting van lijn") for text in seen), "the reason of the discount line"
    # the same order page in English still has the English labels the browser tests look for
    client.cookies.set("sce_lang", "en")
    english = _texts(client.get(f"/pos/orders/{order['order_id']}").text)
    assert "Send round" in english and "Provisional bill" in english and "Pay" in english


def test_the_script_messages_follow_the_language(rt: Runtime) -> None:
    client, _manager_api = _manager(rt)
    for lang, offline in (("de", "Verbindung unterbrochen"), ("en", "Connection lost")):
        page = client.get(f"/pos/floor?lang={lang}")
        block = page.text.split('<script type="application/json" id="i18n">')[1].split("</script>")[0]
        messages = json.loads(block)
        assert set(messages) == set(i18n.JS_MESSAGES)
        assert messages["offlineTitle"] == offline


def test_the_site_screen_language_is_a_logged_back_office_setting(rt: Runtime) -> None:
    client, manager = _manager(rt)
    office = client.get("/office")
    assert 'data-testid="screen-language"' in office.text
    headers = {"X-SCE-Fetch": "1", "Authorization": f"Bearer {manager.token}"}
    waiter = Api(client, WAITER_PIN)
    refused = client.post(
        "/office/screen-language",
        data={"language": "fr", "idem": key()},
        headers={"X-SCE-Fetch": "1", "Authorization": f"Bearer {waiter.token}"},
    )
    assert refused.status_code == 403
    wrong = client.post("/office/screen-language", data={"language": "xx", "idem": key()}, headers=headers)
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "language"
    done = client.post("/office/screen-language", data={"language": "fr", "idem": key()}, headers=headers)
    assert done.status_code == 200, done.text
    # the default of every screen without a choice is now French; a terminal's own choice still wins
    fresh = TestClient(create_app(rt))
    login = fresh.get("/")
    assert '<html lang="fr">' in login.text and "Se connecter" in _texts(login.text)
    assert '<html lang="nl">' in fresh.get("/?lang=nl").text
    assert '<html lang="nl">' in fresh.get("/").text
    assert "sce_lang" not in client.cookies
    assert '<html lang="fr">' in client.get("/office").text
    assert 'value="fr" selected' in client.get("/office").text
    done = client.post("/office/screen-language", data={"language": "de", "idem": key()}, headers=headers)
    assert done.status_code == 200, done.text
    with rt.engine.begin() as c:
        entries = c.execute(
            select(
                t.config_log.c.entity,
                t.config_log.c.entity_id,
                t.config_log.c.action,
                t.config_log.c.employee_id,
                t.config_log.c.body,
            ).where(t.config_log.c.entity == i18n.SETTING_KIND)
        ).all()
    assert [(e.entity_id, e.action) for e in entries] == [("language", "create"), ("language", "update")]
    assert {e.employee_id for e in entries} == {"85073003328"}
    last = json.loads(entries[-1].body)
    assert last["before"] == {"language": "fr"} and last["after"] == {"language": "de"}
    log = client.get("/office/config-log?lang=en")
    assert "screen language" in log.text


def test_the_screens_give_the_plain_words_of_an_error_in_their_language(rt: Runtime) -> None:
    client = TestClient(create_app(rt))
    clock_in(client, WAITER_PIN)
    waiter = Api(client, WAITER_PIN)
    form = {"employee_id": "75010112371", "alias": "Dirk", "role": "waiter", "pin": "5757", "idem": key()}
    headers = {"X-SCE-Fetch": "1", "Authorization": f"Bearer {waiter.token}"}
    client.cookies.set("sce_lang", "nl")
    dutch = client.post("/office/staff", data=form, headers=headers)
    assert dutch.status_code == 403
    assert dutch.json()["error"]["rule"] == "FORBIDDEN"
    assert dutch.json()["error"]["message"].startswith("Uw rol mag dit niet doen. (")  # + the detail
    client.cookies.set("sce_lang", "fr")
    french = client.post("/office/staff", data={**form, "idem": key()}, headers=headers)
    assert french.json()["error"]["message"].startswith("Votre rôle ne permet pas de faire ceci. (")
    # the JSON API keeps the English words (a program reads the rule)
    api = client.post(
        "/api/v1/reports",
        json={"kind": "turnover", "mode": "Z"},
        headers={**waiter.headers, "Idempotency-Key": key()},
    )
    assert api.status_code == 403 and api.json()["error"]["message"].startswith("Your role may not do this.")


def test_the_fdm_action_words_are_translated_and_unknown_errors_left_as_they_are() -> None:
    blocked = {"error": {"rule": "FDM_BLOCKED", "action": "enter_pin", "message": "x", "pending": True}}
    dutch = localized(blocked, lambda m: i18n.gettext("nl", m))
    assert dutch["error"]["message"].startswith("De fiscale datamodule is vergrendeld")
    assert dutch["error"]["pending"] is True and dutch["error"]["action"] == "enter_pin"
    german = localized({"error": {"rule": "INVALID_PIN", "message": "x"}}, lambda m: i18n.gettext("de", m))
    assert german["error"]["message"] == "Falsche VSC-PIN: Versuchen Sie es erneut."
    stale = {"error": {"rule": "OPEN_TABLES", "message": "x", "detail": "5, 7"}}
    assert localized(stale, lambda m: i18n.gettext("fr", m))["error"]["message"].endswith("rapport Z. (5, 7)")
    other = {"error": {"rule": "SOMETHING_ELSE", "message": "field: SOMETHING_ELSE"}}
    assert localized(other, lambda m: i18n.gettext("fr", m)) == other
    every_action = {a.value for a in UserAction}
    for action in every_action:
        body = {"error": {"rule": "FDM_BLOCKED", "action": action, "message": "x"}}
        assert localized(body, lambda m: i18n.gettext("fr", m))["error"]["message"] not in ("x", ""), action


def test_the_till_errors_are_in_the_screen_language_and_a_missing_field_is_named(rt: Runtime) -> None:
    client = TestClient(create_app(rt))
    clock_in(client, MANAGER_PIN)
    manager = Api(client, MANAGER_PIN)
    headers = {"X-SCE-Fetch": "1", "Authorization": f"Bearer {manager.token}"}
    client.cookies.set("sce_lang", "fr")
    zero = client.post("/pos/money", data={"amount": "0", "reason": "fond", "idem": key()}, headers=headers)
    assert zero.status_code == 422 and zero.json()["error"]["rule"] == "ZERO_AMOUNT"
    assert zero.json()["error"]["message"].startswith("Saisissez un montant différent de zéro.")
    client.cookies.set("sce_lang", "nl")
    blank = client.post("/pos/money", data={"amount": "5", "reason": " ", "idem": key()}, headers=headers)
    error = blank.json()["error"]
    assert (error["field"], error["rule"]) == ("reason", "REQUIRED")
    # a rule met on many fields names the field after the plain words
    assert error["message"].startswith("Er ontbreekt een verplicht gegeven. (reason: ")
    api = client.post(
        "/api/v1/money",
        json={"amount": "5.00", "reason": "  "},
        headers={**manager.headers, "Idempotency-Key": key()},
    )
    assert api.json()["error"]["message"].startswith("Something required is missing. (reason: ")
    # nothing was registered by the refused requests
    with rt.engine.begin() as c:
        kinds = c.execute(select(t.journal.c.event_kind)).scalars().all()
    assert "MONEY_IN_OUT" not in kinds
