"""Bad input: a clear error naming the field and the rule, non-zero exit, JSON errors with ``--json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sce.obligation import ObligationInputError, parse_request, parse_request_text
from sce.obligation.cli import app


def _run(tmp_path: Path, text: str, *extra: str) -> tuple[int, str, str]:
    path = tmp_path / "input.json"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path), *extra])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("payload", "field", "rule_part"),
    [
        ({"establishments": [{"id": "a"}]}, "as_of", "required"),
        ({"as_of": "23/11/2026", "establishments": [{"id": "a"}]}, "as_of", "YYYY-MM-DD"),
        ({"as_of": "2026-02-30", "establishments": [{"id": "a"}]}, "as_of", "YYYY-MM-DD"),
        ({"as_of": "2009-12-31", "establishments": [{"id": "a"}]}, "as_of", "2010-01-01"),
        ({"as_of": "2026-01-01", "establishments": []}, "establishments", "non-empty"),
        ({"as_of": "2026-01-01", "establishments": [{}]}, "establishments[0].id", "needs an id"),
        ({"as_of": "2026-01-01", "establishments": [{"id": ""}]}, "establishments[0].id", "non-empty"),
        (
            {"as_of": "2026-01-01", "establishments": [{"id": "a", "drinks": -1}]},
            "establishments[0].drinks",
            "not negative",
        ),
        (
            {"as_of": "2026-01-01", "establishments": [{"id": "a", "drinks": "lots"}]},
            "establishments[0].drinks",
            "euro excluding VAT",
        ),
        (
            {"as_of": "2026-01-01", "establishments": [{"id": "a", "drinks": True}]},
            "establishments[0].drinks",
            "euro excluding VAT",
        ),
        (
            {"as_of": "2026-01-01", "establishments": [{"id": "a", "already_using_sce": "yes"}]},
            "establishments[0].already_using_sce",
            "true or false",
        ),
        (
            {"as_of": "2026-01-01", "establishments": [{"id": "a", "days_active_per_year": 2.5}]},
            "establishments[0].days_active_per_year",
            "whole number",
        ),
        (
            {"as_of": "2026-01-01", "establishments": [{"id": "a", "restaurant_servics": 1}]},
            "establishments[0].restaurant_servics",
            "unknown field",
        ),
        (
            {
                "as_of": "2026-01-01",
                "establishments": [{"id": "a", "activities": [{"id": "x", "place": "moon"}]}],
            },
            "establishments[0].activities[0].place",
            "indoor, open_air, customer_premises, takeaway",
        ),
        (
            {
                "as_of": "2026-01-01",
                "establishments": [{"id": "a", "activities": [{"id": "x"}, {"id": "x"}]}],
            },
            "establishments[0].activities[1].id",
            "unique",
        ),
        (
            {"as_of": "2026-01-01", "establishments": [{"id": "a"}, {"id": "a"}]},
            "establishments[1].id",
            "unique",
        ),
        (
            {"as_of": "2026-01-01", "establishments": [{"id": "a", "special_case": "zoo"}]},
            "establishments[0].special_case",
            "company_restaurant",
        ),
    ],
)
def test_bad_field_is_named_with_its_rule(payload: dict[str, Any], field: str, rule_part: str) -> None:
    with pytest.raises(ObligationInputError) as raised:
        parse_request(json.loads(json.dumps(payload)))
    assert raised.value.field == field
    assert rule_part in raised.value.rule


def test_numbers_are_read_as_decimal_not_float() -> None:
    request = parse_request_text('{"as_of": "2026-01-01", "establishments": [{"id": "a", "drinks": 0.1}]}')
    assert str(request.establishments[0].drinks) == "0.1"


def test_nan_is_refused() -> None:
    with pytest.raises(ObligationInputError) as raised:
        parse_request_text('{"as_of": "2026-01-01", "establishments": [{"id": "a", "drinks": NaN}]}')
    assert raised.value.field == "input"


def test_cli_error_as_json(tmp_path: Path) -> None:
    code, stdout, _ = _run(
        tmp_path, '{"as_of": "2026-01-01", "establishments": [{"id": "a", "drinks": -5}]}', "--json"
    )
    assert code == 2
    error = json.loads(stdout)["error"]
    assert error["field"] == "establishments[0].drinks"
    assert "not negative" in error["rule"]
    assert error["message"].startswith("establishments[0].drinks: ")


def test_cli_error_as_text_on_stderr(tmp_path: Path) -> None:
    code, stdout, stderr = _run(tmp_path, "{not json", "--lang", "fr")
    assert code == 2
    assert stdout == ""
    assert stderr.startswith("error: input: valid JSON is required")


def test_cli_unknown_language(tmp_path: Path) -> None:
    code, stdout, _ = _run(
        tmp_path, '{"as_of": "2026-01-01", "establishments": [{"id": "a"}]}', "--lang", "it", "--json"
    )
    assert code == 2
    assert json.loads(stdout)["error"]["field"] == "--lang"


def test_cli_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check", str(tmp_path / "nope.json"), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["field"] == "FILE"


def test_plan_bad_date_as_json() -> None:
    result = CliRunner().invoke(app, ["plan", "--date", "2026-13-01", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"] == {
        "field": "--date",
        "rule": "a date written YYYY-MM-DD is required",
        "message": "--date: a date written YYYY-MM-DD is required",
    }


def test_plan_activity_start_before_2016_is_refused() -> None:
    result = CliRunner().invoke(app, ["plan", "--date", "2026-01-01", "--activity-start", "2015-12-31"])
    assert result.exit_code == 2
    assert "activity_start: the planner covers activity starts from 2016-01-01" in result.stderr


def test_plan_unknown_schedule_version() -> None:
    result = CliRunner().invoke(app, ["plan", "--date", "2026-01-01", "--schedule-version", "x", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["field"] == "schedule_version"


def test_text_output_of_check(tmp_path: Path) -> None:
    code, stdout, _ = _run(
        tmp_path, '{"as_of": "2026-01-01", "establishments": [{"id": "a", "restaurant_services": 30000}]}'
    )
    assert code == 0
    assert stdout.splitlines()[0] == "a: OBLIGED [25000_EUR]"
    _, german, _ = _run(
        tmp_path,
        '{"as_of": "2026-01-01", "establishments": [{"id": "a", "special_case": "fairground"}]}',
        "--lang",
        "de",
    )
    assert german.splitlines()[0] == "a: NICHT VERPFLICHTET (manuelle Entscheidung nötig) [25000_EUR]"
    assert "Es handelt sich um: Schaustellerbetrieb." in german


def test_help_of_every_command() -> None:
    for command in ("check", "plan", "schedule", "serve"):
        result = CliRunner().invoke(app, [command, "--help"])
        assert result.exit_code == 0
        assert "Usage" in result.stdout
