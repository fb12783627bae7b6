"""The SCE 2.0 schedule is data: every version is kept and read from the package's JSON file."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from typer.testing import CliRunner

from sce.obligation.cli import app
from sce.obligation.schedule import default_schedule, parse_schedule


def _data() -> dict[str, Any]:
    return {
        "brackets": [
            {"id": "old", "commissioned_from": None, "commissioned_until": "2019-12-31"},
            {"id": "new", "commissioned_from": "2020-01-01", "commissioned_until": None},
        ],
        "versions": [
            {
                "id": "v1",
                "label": "V1",
                "in_force": False,
                "new_establishments": "2030-01-01",
                "brackets": {"old": "2031-01-01", "new": "2032-01-01"},
            },
            {
                "id": "v2",
                "label": "V2",
                "in_force": True,
                "new_establishments": None,
                "brackets": {"old": "2033-01-01", "new": None},
            },
        ],
    }


def test_every_version_of_the_spec_is_kept() -> None:
    schedule = default_schedule()
    assert [v.id for v in schedule.versions] == [
        "original-2024",
        "tolerance-2025-06",
        "extended-tolerance-2026-03",
        "revised-2026-06",
    ]
    revised = schedule.in_force()
    assert revised.new_establishments == date(2026, 7, 1)
    assert dict(revised.brackets) == {
        "before_2018": date(2027, 7, 1),
        "2018_2021": date(2028, 7, 1),
        "from_2022": date(2029, 1, 1),
    }


def test_unchanged_dates_are_inherited() -> None:
    schedule = parse_schedule(_data())
    v2 = schedule.version("v2")
    assert v2.new_establishments == date(2030, 1, 1)
    assert dict(v2.brackets) == {"old": date(2033, 1, 1), "new": date(2032, 1, 1)}
    assert schedule.bracket_of(date(2019, 12, 31)).id == "old"
    assert schedule.bracket_of(date(2020, 1, 1)).id == "new"


def test_exactly_one_version_in_force() -> None:
    data = _data()
    data["versions"][0]["in_force"] = True
    with pytest.raises(ValueError, match="exactly one version"):
        parse_schedule(data)


def test_bad_date_in_data_is_refused() -> None:
    data = _data()
    data["versions"][0]["new_establishments"] = "1 July"
    with pytest.raises(ValueError, match="version v1"):
        parse_schedule(data)


def test_schedule_command_lists_versions() -> None:
    result = CliRunner().invoke(app, ["schedule", "--json"])
    assert result.exit_code == 0
    versions = json.loads(result.stdout)["versions"]
    assert [v["in_force"] for v in versions] == [False, False, False, True]
    assert versions[1]["brackets"]["before_2018"] == "2026-07-01"
    text = CliRunner().invoke(app, ["schedule"]).stdout
    assert "* revised-2026-06: new 2026-07-01" in text
