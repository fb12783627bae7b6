"""Languages: loads the gettext catalogues (.po, compiled in memory) and renders messages per locale."""

from __future__ import annotations

import functools
import io
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Final, Literal, get_args

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import Translations

from sce.obligation.message import Amount, Message, Param, Percent
from sce.obligation.money import quantize

Lang = Literal["nl", "fr", "de", "en"]
LANGUAGES: Final[tuple[Lang, ...]] = get_args(Lang)
DEFAULT_LANG: Final[Lang] = "en"
LOCALES: Final[dict[Lang, str]] = {"nl": "nl_BE", "fr": "fr_BE", "de": "de_BE", "en": "en_GB"}
DOMAIN: Final = "obligation"


def parse_lang(value: str) -> Lang | None:
    """The language code if supported, else None."""
    for lang in LANGUAGES:
        if lang == value:
            return lang
    return None


def load_translations(localedir: Traversable, domain: str, lang: Lang) -> Translations:
    """Read ``<localedir>/<lang>/LC_MESSAGES/<domain>.po`` and compile it in memory."""
    po_file = localedir / lang / "LC_MESSAGES" / f"{domain}.po"
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=domain)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=domain)


@functools.cache
def translations(lang: Lang) -> Translations:
    """The catalogue of the library's explanations for ``lang``."""
    return load_translations(resources.files("sce.obligation") / "locale", DOMAIN, lang)


def format_money(value: Amount, lang: Lang) -> str:
    """A euro amount in the locale of ``lang``."""
    return format_currency(quantize(value.value), "EUR", locale=LOCALES[lang])


def format_day(value: date, lang: Lang) -> str:
    """A date in long form in the locale of ``lang``."""
    return format_date(value, "long", locale=LOCALES[lang])


def _render_param(value: Param, lang: Lang) -> str:
    if isinstance(value, Amount):
        return format_money(value, lang)
    if isinstance(value, Percent):
        return format_decimal(quantize(value.value), "#,##0.00", locale=LOCALES[lang])
    if isinstance(value, Message):
        return render(value, lang)
    if isinstance(value, date):
        return format_day(value, lang)
    return str(value)


def render(message: Message, lang: Lang = DEFAULT_LANG) -> str:
    """The message in ``lang`` with its parameters formatted for that locale."""
    template = translations(lang).gettext(message.msgid)
    return template.format(**{name: _render_param(value, lang) for name, value in message.params})


def render_all(messages: tuple[Message, ...], lang: Lang = DEFAULT_LANG) -> list[str]:
    """Render several messages."""
    return [render(message, lang) for message in messages]
