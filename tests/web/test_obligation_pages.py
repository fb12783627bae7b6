"""The obligation pages over real HTTP: uvicorn in a thread on a free loopback port, httpx as the browser."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser

import httpx
import pytest
import uvicorn
from icalendar import Calendar

from sce.web.obligation_pages import create_app


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
        yield http
    server.should_exit = True
    thread.join(timeout=10)


class _Texts(HTMLParser):
    """Collects the text of the elements with an id, and every list item."""

    def __init__(self) -> None:
        super().__init__()
        self.by_id: dict[str, str] = {}
        self.items: list[str] = []
        self._stack: list[tuple[str, str | None]] = []
        self._li: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack.append((tag, dict(attrs).get("id")))
        if tag == "li":
            self._li = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._li is not None:
            self.items.append("".join(self._li))
            self._li = None
        if self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if self._li is not None:
            self._li.append(data)
        for _tag, element_id in self._stack:
            if element_id:
                self.by_id[element_id] = self.by_id.get(element_id, "") + data


def _parse(html: str) -> _Texts:
    parser = _Texts()
    parser.feed(html)
    return parser


def test_home_redirects_to_the_questionnaire(client: httpx.Client) -> None:
    response = client.get("/", follow_redirects=True)
    assert response.status_code == 200
    assert "<h1>Must I use a certified cash register?</h1>" in response.text


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("nl", "Moet ik een geregistreerd kassasysteem gebruiken?"),
        ("fr", "Dois-je utiliser un système de caisse enregistreuse ?"),
        ("de", "Muss ich ein Registrierkassensystem verwenden?"),
        ("en", "Must I use a certified cash register?"),
    ],
)
def test_questionnaire_in_four_languages(client: httpx.Client, lang: str, question: str) -> None:
    response = client.get("/obligation/", params={"lang": lang})
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text
    assert question in response.text
    assert 'name="a1_extra_service_element"' in response.text


def test_decision_obliged_with_explanation(client: httpx.Client) -> None:
    answers = {
        "as_of": "2026-11-23",
        "name": "Tea room",
        "restaurant_services": "30000,50",
        "food_sales": "400000",
        "lang": "en",
    }
    response = client.get("/obligation/decision", params=answers)
    assert response.status_code == 200
    page = _parse(response.text)
    assert page.by_id["verdict"].strip() == "Obliged to use a certified cash register"
    assert "€30,000.50 is above the threshold of €25,000.00." in page.items
    assert "&#34;restaurant_services&#34;: 30000.50," in response.text


def test_decision_with_terrace_activity_before_and_after_december_2017(client: httpx.Client) -> None:
    answers = {
        "name": "Friterie",
        "a1_name": "terrace",
        "a1_amount": "60000",
        "a1_place": "open_air",
        "a1_tables_or_counter": "1",
        "a1_extra_service_element": "1",
        "a1_single_use_only": "1",
        "a1_typical_niche_product": "1",
    }
    before = _parse(client.get("/obligation/decision", params={**answers, "as_of": "2017-11-30"}).text)
    after = _parse(client.get("/obligation/decision", params={**answers, "as_of": "2017-12-01"}).text)
    assert before.by_id["verdict"].strip() == "Not obliged to use a certified cash register"
    assert "Issue a VAT receipt from an approved printer for every meal and its drinks." in before.items
    assert after.by_id["verdict"].strip() == "Obliged to use a certified cash register"


def test_decision_in_german_shows_the_share_under_the_ten_percent_rule(client: httpx.Client) -> None:
    answers = {"as_of": "2015-06-30", "restaurant_services": "1000", "drinks": "9000", "lang": "de"}
    response = client.get("/obligation/decision", params=answers)
    page = _parse(response.text)
    assert page.by_id["verdict"].strip() == "Verpflichtet, ein Registrierkassensystem zu verwenden"
    assert "10,00 %" in response.text
    assert any("= 10,00 %, mindestens 10 %." in item for item in page.items)


def test_bad_answer_is_shown_with_the_field(client: httpx.Client) -> None:
    response = client.get("/obligation/decision", params={"as_of": "2026-11-23", "drinks": "lots"})
    assert response.status_code == 400
    assert "establishments[0].drinks: an amount in euro excluding VAT" in response.text
    assert 'value="lots"' in response.text


def test_plan_page_with_downloads(client: httpx.Client) -> None:
    params = {"date": "2027-12-10", "sce1_commissioned": "2019-05-01", "lang": "en"}
    response = client.get("/obligation/plan", params=params)
    assert response.status_code == 200
    dates = _parse(response.text).by_id["dates"]
    for expected in ("2028-02-29", "2028-03-31", "2028-03-04", "2028-04-01", "2028-07-01"):
        assert expected in dates
    assert "Target-group reduction of social charges for permanent horeca workers" in response.text

    pdf = client.get("/obligation/plan.pdf", params=params)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    ics = client.get("/obligation/plan.ics", params=params)
    assert ics.headers["content-type"].startswith("text/calendar")
    events = {str(e["SUMMARY"]): e.decoded("DTSTART") for e in Calendar.from_ical(ics.content).walk("VEVENT")}
    assert events["Certified cash register: register in the e-service"] == date(2028, 2, 29)
    assert events["SCE 2.0 deadline"] == date(2028, 7, 1)
    assert len(events) == 5


def test_plan_page_without_date_shows_the_form(client: httpx.Client) -> None:
    response = client.get("/obligation/plan", params={"lang": "nl"})
    assert response.status_code == 200
    assert "Tegen wanneer moet het gebeuren?" in response.text
    assert 'id="dates"' not in response.text


def test_plan_download_with_bad_date_is_a_json_error(client: httpx.Client) -> None:
    response = client.get("/obligation/plan.ics", params={"date": "2027-02-30"})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "date"


def test_json_api_matches_the_cli_format(client: httpx.Client) -> None:
    body = '{"as_of": "2026-11-23", "establishments": [{"id": "x", "restaurant_services": 25000}]}'
    response = client.post("/obligation/api/check", content=body)
    assert response.status_code == 200
    result = response.json()["establishments"][0]
    assert (result["obliged"], result["restaurant_catering_turnover"], result["rule"]) == (
        False,
        "25000.00",
        "25000_EUR",
    )
    bad = client.post("/obligation/api/check", content='{"as_of": "2026-11-23"}')
    assert bad.status_code == 400
    assert bad.json()["error"]["field"] == "establishments"
    plan = client.get("/obligation/api/plan", params={"date": "2027-03-04"}).json()
    assert plan["reduction_quarter_start"] == "2027-04-01"
