"""End to end in Debian's Chromium: two terminals (a waiter's tablet and the manager's till) serve a
table from clock-in to Z report on a real server with the SCE 2.0 emulator; screenshots at 1024x768 and
at phone size are kept under tests/artefacts/pos/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pos_web_support import MANAGER_PIN, WAITER_PIN, demo_runtime, live_server
from sqlalchemy import func, select
from tests.browser import Screenshots, chromium

from sce.db import tables as t
from sce.web.pos.runtime import Runtime

DESKTOP = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Runtime, str]]:
    with demo_runtime(tmp_path_factory.mktemp("pos-web"), 2) as rt, live_server(rt) as base:
        yield rt, base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def shots() -> Screenshots:
    return Screenshots("pos")


def _terminal(browser: Browser, base: str, viewport: dict[str, int] = DESKTOP) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport=viewport, base_url=base)  # type: ignore[arg-type]
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def _login(page: Page, pin: str, terminal: str, button: str = "clock-in") -> None:
    page.goto("/?switch=1")
    page.select_option("[data-testid=terminal]", terminal)
    for digit in pin:
        page.click(f".login .key[data-key='{digit}']")
    with page.expect_navigation():
        page.click(f"[data-testid={button}]")


def _act(page: Page, selector: str) -> None:
    """Click a form button of the page script and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)


def _product(page: Page, department: str, product: str, quantity: str | None = None) -> None:
    if not page.locator(f"[data-testid=product-{product}]").count():
        with page.expect_navigation():
            page.click(f"[data-testid=dept-{department}]")
    if quantity is not None:
        page.fill("[data-testid=qty]", quantity)
    _act(page, f"[data-testid=product-{product}]")


def _count_orders(rt: Runtime, table: str) -> int:
    with rt.engine.begin() as c:
        return int(
            c.execute(
                select(func.count()).select_from(t.orders).where(t.orders.c.cost_center_id == table)
            ).scalar_one()
        )


def _due(page: Page) -> Decimal:
    text = page.locator("[data-testid=due]").inner_text()
    return Decimal(text.replace("€", "").strip())


def test_a_table_served_on_two_terminals(
    served: tuple[Runtime, str], browser: Browser, shots: Screenshots
) -> None:
    rt, base = served
    tablet_ctx, tablet = _terminal(browser, base)
    till_ctx, till = _terminal(browser, base)
    tablet.goto("/")
    shots.take(tablet, "login 1024x768")
    _login(tablet, WAITER_PIN, "T2")
    _login(till, MANAGER_PIN, "T1")
    expect(tablet.locator("[data-testid=who]")).to_contain_text("Bram")
    shots.take(till, "floor 1024x768")

    # Table 5: first round; the manager's floor follows live.
    _act(tablet, "[data-testid=new-5]")
    _product(tablet, "DRINKS", "BEER", "2")
    expect(till.locator("[data-testid=table-5]")).to_have_attribute("data-status", "ordering", timeout=5000)
    with tablet.expect_navigation():
        tablet.click("[data-testid=dept-MAINS]")
    tablet.check("[data-testid=mod-RARE]")
    tablet.select_option("[data-testid=seat]", "1")
    tablet.fill("[data-testid=note]", "no salt")
    _product(tablet, "MAINS", "STEAK")
    shots.take(tablet, "order entry 1024x768")
    expect(tablet.locator("[data-testid=lines]")).to_contain_text("Pils")
    _act(tablet, "[data-testid=rounds]")
    expect(till.locator("[data-testid=table-5]")).to_have_attribute("data-status", "waiting", timeout=5000)

    # Second round with a correction, a starter (course 1) and a dessert held as course 2.
    _act(tablet, "[data-testid=open-5-1]")
    with tablet.expect_navigation():
        tablet.click("[data-testid=dept-STARTERS]")
    tablet.select_option("[data-testid=course]", "1")
    _product(tablet, "STARTERS", "SOUP", "2")
    expect(tablet.locator("tr.pending", has_text="Dagsoep")).to_contain_text("2")
    _act(tablet, "tr.pending [data-testid^=correct-]")
    expect(tablet.locator("[data-testid=lines]")).to_contain_text("correction")
    with tablet.expect_navigation():
        tablet.click("[data-testid=dept-DESSERTS]")
    tablet.select_option("[data-testid=course]", "2")
    _product(tablet, "DESSERTS", "MOUSSE")
    expect(tablet.locator("tr", has_text="Chocolademousse")).to_contain_text("course 2 · hold")
    _act(tablet, "[data-testid=rounds]")

    # The kitchen holds course 2 until the waiter fires it; the display follows live.
    till.goto("/kitchen")
    held = till.locator("[data-testid=kcard]", has_text="Chocolademousse")
    expect(held.locator("[data-testid=kcourse-2]")).to_contain_text("HOLD")
    expect(held.locator("[data-testid=kcourse-1]")).not_to_contain_text("HOLD")
    _act(tablet, "[data-testid=open-5-1]")
    shots.take(tablet, "held course 1024x768")
    _act(tablet, "[data-testid=fire-course-2]")
    expect(tablet.locator("tr", has_text="Chocolademousse")).to_contain_text("course 2 · fired")
    expect(tablet.locator("[data-testid=fire-course-2]")).to_have_count(0)
    expect(till.locator("[data-testid=fire-notice]")).to_contain_text(
        "FIRE course 2 \u2013 table 5", timeout=5000
    )
    expect(held.locator("[data-testid=hold]")).to_have_count(0)
    shots.take(till, "kitchen fired course 1024x768")
    till.goto("/pos/floor")
    tablet.goto("/pos/floor")

    # Transfer to table 7, then split one beer to a separate bill and pay it in cash.
    _act(tablet, "[data-testid=open-5-1]")
    with tablet.expect_navigation():
        tablet.click("[data-testid=transfer-mode]")
    tablet.select_option("[data-testid=transfer-table]", "7")
    _act(tablet, "[data-testid=transfer-go]")
    expect(tablet.locator("h1")).to_contain_text("Table 7")
    expect(till.locator("[data-testid=table-7]")).not_to_have_attribute("data-status", "free", timeout=5000)
    expect(till.locator("[data-testid=table-5]")).to_have_attribute("data-status", "free", timeout=5000)
    with tablet.expect_navigation():
        tablet.click("[data-testid=split-mode]")
    tablet.locator("[data-testid=split-panel] tr", has_text="Pils").locator("input").fill("1")
    _act(tablet, "[data-testid=split-go]")
    expect(tablet.locator("[data-testid=order-total]")).to_contain_text("3.50")
    with tablet.expect_navigation():
        tablet.click("[data-testid=pay]")
    tablet.fill("[data-testid=amount-1]", "5.00")
    _act(tablet, "[data-testid=pay-go]")
    expect(tablet.locator("[data-testid=change]")).to_contain_text("1.50")

    # The rest of table 7: cash and card with a tip on the card.
    tablet.goto("/pos/floor")
    _act(tablet, "[data-testid=open-7-1]")
    with tablet.expect_navigation():
        tablet.click("[data-testid=pay]")
    shots.take(tablet, "payment 1024x768")
    due = _due(tablet)
    tablet.fill("[data-testid=amount-1]", "20.00")
    tablet.select_option("[data-testid=method-2]", "CARD")
    tablet.fill("[data-testid=amount-2]", str(due - 20 + 2))
    tablet.select_option("[data-testid=tip-method]", "CARD")
    tablet.fill("[data-testid=tip]", "2.00")
    _act(tablet, "[data-testid=pay-go]")
    expect(tablet.locator("[data-testid=change]")).to_contain_text("0.00")
    ticket = tablet.frame_locator("[data-testid=ticket-frame]")
    expect(ticket.locator("body")).to_contain_text("Steak")
    expect(ticket.locator("body")).to_contain_text("BTW")
    shots.take(tablet, "vat ticket 1024x768")
    sale = int(re.search(r"/pos/tickets/(\d+)", tablet.url).group(1))  # type: ignore[union-attr]

    # A double tap creates one order and one line.
    tablet.goto("/pos/floor")
    with tablet.expect_navigation():
        tablet.dblclick("[data-testid=new-9]")
    assert _count_orders(rt, "9") == 1
    if not tablet.locator("[data-testid=product-COLA]").count():
        with tablet.expect_navigation():
            tablet.click("[data-testid=dept-DRINKS]")
    with tablet.expect_navigation():
        tablet.dblclick("[data-testid=product-COLA]")
    tablet.wait_for_timeout(500)
    tablet.reload()
    expect(tablet.locator("[data-testid=lines] tr")).to_have_count(1)
    with tablet.expect_navigation():
        tablet.click("[data-testid=pay]")
    tablet.fill("[data-testid=amount-1]", "10")
    _act(tablet, "[data-testid=pay-go]")

    # The manager gives one line on the house: a DISCOUNT line, and the total drops by its price.
    till.goto("/pos/floor")
    _act(till, "[data-testid=new-10]")
    _product(till, "DRINKS", "BEER")
    _product(till, "DRINKS", "COLA")
    expect(till.locator("[data-testid=order-total]")).to_contain_text("6.70")
    cola = till.locator("[data-testid=lines] tr", has_text="Cola").first.get_attribute("data-line")
    till.click(f"[data-testid=tools-{cola}] summary")
    expect(till.locator(f"[data-testid=house-{cola}]")).to_be_visible()
    shots.take(till, "line on the house 1024x768")
    _act(till, f"[data-testid=house-{cola}]")
    expect(till.locator("[data-testid=order-total]")).to_contain_text("3.50")
    expect(till.locator("[data-testid=lines]")).to_contain_text("discount of line")
    with till.expect_navigation():
        till.click("[data-testid=pay]")
    till.fill("[data-testid=amount-1]", "3.50")
    _act(till, "[data-testid=pay-go]")
    gift = int(re.search(r"/pos/tickets/(\d+)", till.url).group(1))  # type: ignore[union-attr]
    lines = rt.pos.record(gift)["event"]["lines"]
    assert [(x["product_id"], x["line_total"], x["neg_reason"]) for x in lines if x["neg_reason"]] == [
        ("DISCOUNT:COLA", "-3.20", "DISCOUNT")
    ]

    # Refund and copy on the manager's till.
    till.goto(f"/pos/tickets/{sale}")
    till.click("[data-testid=refund-panel] summary")
    _act(till, "[data-testid=refund-go]")
    expect(till.frame_locator("[data-testid=ticket-frame]").locator("body")).to_contain_text(
        re.compile("TERUGBETALING|REFUND", re.IGNORECASE)
    )
    till.goto(f"/pos/tickets/{sale}")
    _act(till, "[data-testid=copy]")
    expect(till.locator("h1")).to_contain_text("COPY")

    # Kitchen display: the rounds wait per station and are bumped.
    till.goto("/kitchen")
    cards = till.locator("[data-testid=kcard]")
    before = cards.count()
    assert before >= 2
    shots.take(till, "kitchen display 1024x768")
    _act(till, "[data-testid=bump] >> nth=0")
    expect(cards).to_have_count(before - 1)

    # Training is marked on every screen of the terminal.
    till.goto("/pos/cash")
    _act(till, "[data-testid=training-toggle]")
    expect(till.locator("[data-testid=training-banner]")).to_be_visible()
    till.goto("/pos/floor")
    expect(till.locator("[data-testid=training-banner]")).to_be_visible()
    shots.take(till, "training mode 1024x768")
    till.goto("/pos/cash")
    _act(till, "[data-testid=training-toggle]")
    expect(till.locator("[data-testid=training-banner]")).to_have_count(0)

    # X report with its charts.
    _act(till, "[data-testid=report-X-turnover]")
    expect(till.locator("[data-testid=report]")).to_contain_text("X OMZET")
    expect(till.locator("svg.chart").first).to_be_visible()
    shots.take(till, "x report 1024x768")

    # A terminal that lost its connection says so and blocks fiscal actions.
    tablet.goto("/pos/floor")
    tablet_ctx.set_offline(True)
    expect(tablet.locator("body")).to_have_class(re.compile("offline"), timeout=10_000)
    expect(tablet.locator("[data-testid=offline-banner]")).to_be_visible()
    shots.take(tablet, "connection lost 1024x768")
    tablet.locator("[data-testid=new-2]").evaluate("button => button.form.requestSubmit(button)")
    expect(tablet.locator("[data-testid=dialog-message]")).to_contain_text("connection")
    assert _count_orders(rt, "2") == 0
    tablet_ctx.set_offline(False)
    expect(tablet.locator("body")).not_to_have_class(re.compile("offline"), timeout=10_000)

    # Day closing: everybody clocks out, the manager logs in and makes the Z report.
    for page, pin in ((tablet, WAITER_PIN), (till, MANAGER_PIN)):
        page.goto("/?switch=1")
        for digit in pin:
            page.click(f".login .key[data-key='{digit}']")
        page.click("[data-testid=clock-out]")
        expect(page.locator("[data-testid=clocked-out-msg]")).to_be_visible()
    _login(till, MANAGER_PIN, "T1", "login")
    expect(till.locator("[data-testid=clocked-out]")).to_be_visible()
    till.goto("/pos/cash")
    _act(till, "[data-testid=report-Z-turnover]")
    expect(till.locator("[data-testid=report]")).to_contain_text("Z OMZET")
    tablet_ctx.close()
    till_ctx.close()


def test_main_screens_at_phone_size(
    served: tuple[Runtime, str], browser: Browser, shots: Screenshots
) -> None:
    _rt, base = served
    context, page = _terminal(browser, base, PHONE)
    page.goto("/")
    shots.take(page, "login phone")
    _login(page, WAITER_PIN, "T3")
    shots.take(page, "floor phone")
    _act(page, "[data-testid=new-3]")
    _product(page, "DRINKS", "COLA")
    shots.take(page, "order entry phone")
    with page.expect_navigation():
        page.click("[data-testid=pay]")
    shots.take(page, "payment phone")
    page.fill("[data-testid=amount-1]", "5")
    _act(page, "[data-testid=pay-go]")
    expect(page.locator("[data-testid=change]")).to_be_visible()
    shots.take(page, "vat ticket phone")
    page.goto("/kitchen")
    shots.take(page, "kitchen phone")
    _login(page, MANAGER_PIN, "T3", "login")
    page.goto("/office/reports")
    shots.take(page, "back office reports phone")
    page.set_viewport_size(DESKTOP)
    shots.take(page, "back office reports 1024x768")
    page.goto("/office/fdm")
    shots.take(page, "fdm health 1024x768")
    context.close()
    assert all(Path(p).exists() for p in shots.taken)


def test_sce1_pin_pad_when_the_fdm_asks_for_the_vsc_pin(
    tmp_path: Path, browser: Browser, shots: Screenshots
) -> None:
    """An SCE 1.0 FDM without its PIN: the clock-in is refused in plain words, the PIN pad unlocks it and
    the waiting WORK IN is sent."""
    with demo_runtime(tmp_path, 1, unlock=False) as rt, live_server(rt) as base:
        context, page = _terminal(browser, base)
        page.goto("/")
        for digit in WAITER_PIN:
            page.click(f".login .key[data-key='{digit}']")
        page.click("[data-testid=clock-in]")
        expect(page.locator("[data-testid=dialog-message]")).to_contain_text("PIN of the VAT signing card")
        expect(page.locator("[data-testid=vsc-pin]")).to_be_visible()
        for digit in "12345":
            page.click(f"#pinpad .key[data-key='{digit}']")
        shots.take(page, "vsc pin pad 1024x768")
        with page.expect_navigation():
            page.click("#pinpad button.primary")
        expect(page.locator("[data-testid=unlocked-msg]")).to_be_visible()
        expect(page.locator("[data-testid=present]")).to_contain_text("Bram")
        assert rt.pos.clocked_in()
        context.close()
