"""Random valid and invalid inputs: each gets data or a spec-shaped error from the emulator, never a 500."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sce.fiscal.v2.documents import sign_document
from sce.fiscal.v2.messages import ERROR_CODES, WARNING_CODES
from sce.fiscal.v2.schema import OPERATIONS
from tests.fiscal.v2.support import RunningEmulator, data_for, line, running_emulator, transaction

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False).map(float),
    st.text(max_size=30),
    st.sampled_from(
        ["", " x", "BE0477472701", "2000000042", "00000000097", "2024-07-29T13:00:00+02:00", "NL", "A"]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from _paths(item, (*prefix, index))


@st.composite
def requests(draw: st.DrawFn) -> dict[str, Any]:
    operation = draw(st.sampled_from(OPERATIONS))
    ticket = draw(st.integers(min_value=1, max_value=10_000))
    data = data_for(operation.mutation, ticket)
    if operation.mutation in ("signSale", "signOrder", "signPreBill"):
        lines = draw(
            st.lists(
                st.tuples(
                    st.decimals(min_value=-5, max_value=5, places=0, allow_nan=False).filter(
                        lambda q: q != 0
                    ),
                    st.decimals(min_value=0, max_value=200, places=2, allow_nan=False),
                    st.sampled_from("ABCDX"),
                ),
                max_size=4,
            )
        )
        built = [
            line("Item", float(q), float(p), label, "REFUND" if q < 0 else None) for q, p, label in lines
        ]
        data["transaction"] = transaction(*built)
    mutations = draw(st.integers(min_value=0, max_value=3))
    for _ in range(mutations):
        paths = list(_paths(data))
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        target = data
        for step in path[:-1]:
            target = target[step]
        if draw(st.booleans()) and isinstance(target, dict):
            target.pop(path[-1], None)
        else:
            target[path[-1]] = draw(VALUES)
    training = draw(st.one_of(st.booleans(), VALUES))
    return {"query": sign_document(operation.mutation), "variables": {"data": data, "isTraining": training}}


SEEN: dict[str, int] = {"signed": 0, "refused": 0}


@pytest.fixture(scope="module")
def shared_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    with running_emulator(Path(tmp_path_factory.mktemp("hypothesis")) / "fdm") as running:
        yield running


def _check_message(message: dict[str, Any]) -> None:
    assert isinstance(message["message"], str) and message["message"]
    extensions = message.get("extensions") or {}
    if "code" in extensions:
        assert extensions["category"] in ("SPF_FOD", "FDM", "OTHER")
        assert extensions["showPos"] in ("MANDATORY", "OPTIONAL", "NEVER")
        assert all(set(item) == {"name", "value"} for item in extensions["data"])


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(request=requests())
def test_every_input_gets_data_or_a_spec_shaped_error(
    shared_emulator: RunningEmulator, request: dict[str, Any]
) -> None:
    body = json.dumps(copy.deepcopy(request)).encode()
    answer = httpx.post(shared_emulator.url, content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code in (200, 400), answer.text
    payload = answer.json()
    assert set(payload) <= {"data", "errors"} and payload
    for error in payload.get("errors") or []:
        _check_message(error)
        code = (error.get("extensions") or {}).get("code")
        assert code is None or code in ERROR_CODES
    result = next(iter((payload.get("data") or {}).values()), None)
    SEEN["signed" if result is not None else "refused"] += 1
    if result is not None:
        assert not payload.get("errors")
        assert result["fdmRef"]["totalCounter"] >= 1
        for warning in result["warnings"]:
            _check_message(warning)
            assert warning["extensions"]["code"] in WARNING_CODES


def test_the_random_run_saw_both_signed_and_refused_inputs() -> None:
    assert SEEN["signed"] > 10 and SEEN["refused"] > 10, SEEN


BODIES = st.one_of(
    st.binary(max_size=200),
    VALUES.map(lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries(
        {
            "query": st.one_of(
                st.text(max_size=80), st.sampled_from(["{ status { device { fdmId } } }", "mutation {"])
            )
        },
        optional={"variables": VALUES, "operationName": VALUES},
    ).map(lambda value: json.dumps(value).encode()),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=BODIES)
def test_any_body_gets_a_json_answer_never_a_500(shared_emulator: RunningEmulator, body: bytes) -> None:
    answer = httpx.post(shared_emulator.url, content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code in (200, 400), answer.text
    payload = answer.json()
    assert payload.get("data") is not None or payload["errors"]
    for error in payload.get("errors") or []:
        _check_message(error)
