"""The ``sce obligation`` commands: check, plan, schedule and serve; thin wrappers around the library."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from sce.obligation import texts
from sce.obligation.checker import check
from sce.obligation.dates import parse_iso_date
from sce.obligation.errors import ObligationInputError
from sce.obligation.i18n import DEFAULT_LANG, LANGUAGES, Lang, parse_lang, render
from sce.obligation.ical import plan_to_ical
from sce.obligation.message import msg
from sce.obligation.parse import parse_request_text
from sce.obligation.pdf import plan_to_pdf
from sce.obligation.planner import PlannerSettings, plan
from sce.obligation.schedule import default_schedule
from sce.obligation.serialize import decisions_to_dict, plan_to_dict

app = typer.Typer(help="Must an establishment use a certified system, and by when?", no_args_is_help=True)

EXIT_INPUT_ERROR = 2

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (errors too) instead of text.")]
LangOption = Annotated[str, typer.Option("--lang", help="Language of the explanations: nl, fr, de or en.")]


def _emit(data: dict[str, Any]) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _fail(error: ObligationInputError, as_json: bool) -> NoReturn:
    if as_json:
        _emit({"error": error.as_dict()})
    else:
        typer.echo(f"error: {error}", err=True)
    raise typer.Exit(EXIT_INPUT_ERROR)


def _lang(value: str) -> Lang:
    lang = parse_lang(value)
    if lang is None:
        raise ObligationInputError("--lang", f"must be one of {', '.join(LANGUAGES)}")
    return lang


def _required_date(value: str, field: str) -> date:
    day = parse_iso_date(value)
    if day is None:
        raise ObligationInputError(field, "a date written YYYY-MM-DD is required")
    return day


def _date_option(value: str | None, field: str) -> date | None:
    return None if value is None else _required_date(value, field)


def _read_input(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    try:
        return Path(file).read_text(encoding="utf-8")
    except OSError as error:
        raise ObligationInputError("FILE", f"a readable JSON file is required ({error.strerror})") from error


@app.command("check")
def check_command(
    file: Annotated[str, typer.Argument(help="JSON input file, or - for standard input.")],
    as_json: JsonOption = False,
    lang: LangOption = DEFAULT_LANG,
) -> None:
    """Decide per establishment whether a certified cash register system is obligatory, with the reasons."""
    try:
        language = _lang(lang)
        decisions = check(parse_request_text(_read_input(file)))
    except ObligationInputError as error:
        _fail(error, as_json)
    output = decisions_to_dict(decisions, language)
    if as_json:
        _emit(output)
        return
    for item in output["establishments"]:
        verdict = render(
            msg(texts.VERDICT_OBLIGED if item["obliged"] else texts.VERDICT_NOT_OBLIGED), language
        )
        manual = f" ({render(msg(texts.VERDICT_MANUAL), language)})" if item["needs_manual_decision"] else ""
        typer.echo(f"{item['id']}: {verdict}{manual} [{item['rule']}]")
        for line in item["explanation"]:
            typer.echo(f"  - {line}")


@app.command("plan")
def plan_command(
    day: Annotated[str, typer.Option("--date", help="Date of planning (YYYY-MM-DD).")],
    activity_start: Annotated[
        str | None, typer.Option(help="Start of the activity or of the obligation (default: --date).")
    ] = None,
    sce1_commissioned: Annotated[
        str | None, typer.Option(help="Commissioning date of the SCE 1.0 system, for its migration bracket.")
    ] = None,
    margin_days: Annotated[int, typer.Option(help="Days between the last step and the quarter start.")] = 28,
    schedule_version: Annotated[
        str | None, typer.Option(help="SCE 2.0 schedule version (default: the one in force).")
    ] = None,
    ics: Annotated[Path | None, typer.Option(help="Also write the dates as an iCalendar file.")] = None,
    pdf: Annotated[Path | None, typer.Option(help="Also write the plan as a PDF file.")] = None,
    as_json: JsonOption = False,
    lang: LangOption = DEFAULT_LANG,
) -> None:
    """Plan registration and use deadlines, the social-charge reduction quarter and the SCE 2.0 date."""
    try:
        language = _lang(lang)
        as_of = _required_date(day, "--date")
        settings = PlannerSettings(margin_days=margin_days, schedule_version=schedule_version)
        result = plan(
            as_of,
            _date_option(activity_start, "--activity-start"),
            _date_option(sce1_commissioned, "--sce1-commissioned"),
            settings,
        )
    except ObligationInputError as error:
        _fail(error, as_json)
    if ics is not None:
        ics.write_bytes(plan_to_ical(result, language))
    if pdf is not None:
        pdf.write_bytes(plan_to_pdf(result, language))
    output = plan_to_dict(result, language)
    if as_json:
        _emit(output)
        return
    for key in ("register_by", "use_by", "complete_steps_by", "reduction_quarter_start", "sce2_deadline"):
        typer.echo(f"{key}: {output[key]}")
    for note in output["notes"]:
        typer.echo(f"  - {note}")
    for advantage in output["advantages"]:
        typer.echo(f"{advantage['title']}" + (f" ({advantage['from']})" if advantage["from"] else ""))
        for condition in advantage["conditions"]:
            typer.echo(f"  - {condition}")


@app.command("schedule")
def schedule_command(as_json: JsonOption = False) -> None:
    """Show every version of the SCE 2.0 migration schedule; the one in force is marked."""
    schedule = default_schedule()
    versions: list[dict[str, Any]] = [
        {
            "id": v.id,
            "label": v.label,
            "in_force": v.in_force,
            "new_establishments": v.new_establishments.isoformat(),
            "brackets": {key: value.isoformat() for key, value in v.brackets.items()},
            "note": v.note,
        }
        for v in schedule.versions
    ]
    if as_json:
        _emit({"versions": versions})
        return
    for v in versions:
        mark = "*" if v["in_force"] else " "
        brackets = ", ".join(f"{k} {d}" for k, d in v["brackets"].items())
        typer.echo(f"{mark} {v['id']}: new {v['new_establishments']}; {brackets}")


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
) -> None:
    """Run the questionnaire and plan pages until the POS web application hosts them."""
    import uvicorn  # noqa: PLC0415 - only this command needs the server

    from sce.web.obligation_pages import create_app  # noqa: PLC0415 - the pages depend on this package

    uvicorn.run(create_app(), host=host, port=port)
