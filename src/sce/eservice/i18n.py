"""Languages of the pages (NL/FR/DE/EN): the ``eservice`` catalogues and one Jinja environment each."""

from __future__ import annotations

import functools
from importlib import resources

from fastapi import Request
from jinja2 import Environment, PackageLoader, select_autoescape

from sce.obligation.i18n import DEFAULT_LANG, LANGUAGES, Lang, load_translations, parse_lang

DOMAIN = "eservice"


@functools.cache
def environment(lang: Lang) -> Environment:
    env = Environment(
        loader=PackageLoader("sce.eservice", "templates"),
        autoescape=select_autoescape(),
        extensions=["jinja2.ext.i18n"],
    )
    translations = load_translations(resources.files("sce.eservice") / "locale", DOMAIN, lang)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    return env


def language(request: Request) -> Lang:
    return (
        parse_lang(request.query_params.get("lang", ""))
        or parse_lang(request.cookies.get("lang", ""))
        or DEFAULT_LANG
    )


__all__ = ["LANGUAGES", "Lang", "environment", "language"]
