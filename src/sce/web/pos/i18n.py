"""Languages of the POS screens (NL/FR/DE/EN): the ``pos`` catalogues, one Jinja environment per language,
the language of a request (``?lang=``, the ``sce_lang`` cookie, the site's screen language, English) and
the site's screen language, a back-office setting logged in the configuration log."""

from __future__ import annotations

import functools
import uuid
from importlib import resources
from pathlib import Path
from typing import Any, Final

from fastapi import Request
from fastapi.responses import Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from sce.domain.errors import DomainError
from sce.domain.identifiers import validate_employee_id
from sce.obligation.i18n import DEFAULT_LANG, LANGUAGES, Lang, load_translations, parse_lang
from sce.web.pos import security as sec
from sce.web.pos.security import Session

DOMAIN: Final = "pos"
COOKIE: Final = "sce_lang"
COOKIE_SECONDS: Final = 365 * 86400
#: The configuration item holding the site's screen language (kind, id).
SETTING_KIND: Final = "screen"
SETTING_ID: Final = "language"
NAMES: Final[dict[Lang, str]] = {"nl": "Nederlands", "fr": "Français", "de": "Deutsch", "en": "English"}
TEMPLATES: Final = Path(__file__).resolve().parent / "templates"


def N_(text: str) -> str:  # noqa: N802 - the usual name of the gettext no-op marker
    """Marks a message for the catalogues; translated where it is shown."""
    return text


#: The status of a table or an order as the screens name it.
STATUS_LABELS: Final[dict[str, str]] = {
    "free": N_("free"),
    "ordering": N_("ordering"),
    "waiting": N_("waiting"),
    "bill": N_("bill asked"),
    "signing": N_("signing"),
}
#: The roles of the staff as the screens name them.
ROLE_LABELS: Final[dict[str, str]] = {
    "waiter": N_("waiter"),
    "manager": N_("manager"),
    "technician": N_("technician"),
    "inspector": N_("inspector"),
    "robot": N_("robot"),
}
#: Why an order line takes something away, as the order screen names it.
REASON_LABELS: Final[dict[str, str]] = {
    "CORRECTION": N_("correction"),
    "REFUND": N_("refund"),
    "PRICE_CHANGE": N_("price change"),
    "COST_CENTER_CHANGE": N_("cost center change"),
    "WASTE": N_("waste"),
    "DAMAGE": N_("damage"),
    "VOUCHER": N_("voucher"),
    "DISCOUNT": N_("discount"),
}
#: The messages of pos.js, by key (rendered as JSON in base.html; pos.js falls back to English).
JS_MESSAGES: Final[dict[str, str]] = {
    "pinTitle": N_("VSC PIN"),
    "pinMessage": N_("Enter the PIN of the VAT signing card."),
    "offlineTitle": N_("Connection lost"),
    "offlineMessage": N_(
        "This terminal lost its connection to the server: fiscal actions are blocked until it is back."
    ),
    "noAnswer": N_(
        "The server did not answer: nothing is lost. Try again when the connection is back; "
        "the same action will not be done twice."
    ),
    "unexpected": N_("Unexpected answer ({status})"),
    "fdmTitle": N_("Fiscal data module"),
    "conflictTitle": N_("Changed elsewhere"),
    "notDoneTitle": N_("Not done"),
}


@functools.cache
def translations(lang: Lang) -> Any:
    """The ``pos`` catalogue of ``lang`` (a ``babel.support.Translations``)."""
    return load_translations(resources.files("sce.web.pos") / "locale", DOMAIN, lang)


def gettext(lang: Lang, message: str) -> str:
    text: str = translations(lang).gettext(message)
    return text


def _status_label(lang: Lang, status: str) -> str | None:
    label = STATUS_LABELS.get(status)
    return None if label is None else gettext(lang, label)


def _role_label(lang: Lang, role: str) -> str:
    label = ROLE_LABELS.get(role)
    return role if label is None else gettext(lang, label)


def _reason_label(lang: Lang, reason: str) -> str:
    label = REASON_LABELS.get(reason)
    return reason.lower().replace("_", " ") if label is None else gettext(lang, label)


@functools.cache
def environment(lang: Lang) -> Environment:
    """The templates of the screens with the catalogue of ``lang`` installed."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals["status_label"] = functools.partial(_status_label, lang)
    env.globals["role_label"] = functools.partial(_role_label, lang)
    env.globals["reason_label"] = functools.partial(_reason_label, lang)
    env.globals["idem"] = lambda: uuid.uuid4().hex
    env.globals["js_messages"] = {name: gettext(lang, text) for name, text in JS_MESSAGES.items()}
    return env


def screen_language(rt: Any) -> Lang | None:
    """The site's screen language, if one was chosen in the back office."""
    try:
        with rt.pos.store.tx() as tx:
            found = tx.item(SETTING_KIND, SETTING_ID)
    except Exception:
        return None
    return None if found is None else parse_lang(str(found[1].get("language", "")))


def chosen(request: Request) -> Lang | None:
    """The language asked for in the query (``?lang=``), to remember in the cookie."""
    return parse_lang(request.query_params.get("lang", ""))


def language(request: Request, rt: Any) -> Lang:
    """``?lang=``, else the ``sce_lang`` cookie, else the site's screen language, else English."""
    return (
        chosen(request) or parse_lang(request.cookies.get(COOKIE, "")) or screen_language(rt) or DEFAULT_LANG
    )


def remember(response: Response, lang: Lang) -> None:
    response.set_cookie(COOKIE, lang, max_age=COOKIE_SECONDS, path="/", samesite="lax")


def save_screen_language(rt: Any, s: Session, value: str) -> dict[str, Any]:
    """The site's screen language (the default of every screen), journaled in the configuration log."""
    sec.require_role(s, sec.CONFIGURE)
    lang = parse_lang(value.strip().lower())
    if lang is None:
        raise DomainError("language", "UNKNOWN_LANGUAGE", ", ".join(LANGUAGES))
    document = {"language": lang}
    with rt.pos.store.tx() as tx:
        found = tx.item(SETTING_KIND, SETTING_ID)
        tx.put_item(SETTING_KIND, SETTING_ID, document, None if found is None else found[0])
        tx.append_config(
            validate_employee_id(s.employee_id),
            SETTING_KIND,
            SETTING_ID,
            "create" if found is None else "update",
            None if found is None else found[1],
            document,
        )
    rt.touch()
    rt.bus.publish({"kind": "config", "entity": SETTING_KIND})
    return document


__all__ = [
    "COOKIE",
    "DEFAULT_LANG",
    "JS_MESSAGES",
    "LANGUAGES",
    "NAMES",
    "N_",
    "Lang",
    "environment",
    "gettext",
    "language",
    "remember",
    "save_screen_language",
    "screen_language",
]
