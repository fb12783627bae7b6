"""Sales figures for the back office's report page and their charts (inline SVG bars, no script, no
library): per hour, per department and per payment method, from the journal's events (training left
out), with the turnover report's own rules. Amounts stay in cents."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from html import escape
from typing import Any

from sqlalchemy import select

from sce.db import tables as t
from sce.domain.money import Money
from sce.pos import reports
from sce.pos.service import Pos


def _cents(text: str) -> int:
    return Money.from_decimal(Decimal(text)).cents


def sales_figures(pos: Pos, booking_date: str | None = None, period_id: str | None = None) -> dict[str, Any]:
    """The day's (or period's) sales per hour, and per department and payment method as the turnover
    report computes them (:func:`sce.pos.reports.turnover`), so the charts and the X/Z report agree."""
    query = select(t.journal.c.body).where(
        t.journal.c.record_type == "event", t.journal.c.training.is_(False)
    )
    if period_id:
        query = query.where(t.journal.c.period_id == period_id)
    elif booking_date:
        query = query.where(t.journal.c.booking_date == booking_date)
    with pos.store.engine.begin() as c:
        records = [json.loads(r[0]) for r in c.execute(query.order_by(t.journal.c.seq)).all()]
    figures = reports.turnover(records)
    hours: dict[str, int] = {f"{h:02d}": 0 for h in range(24)}
    for record in records:
        event = record["event"]
        if event["kind"] == "SALE":
            hour = datetime.fromisoformat(event["pos_datetime"]).strftime("%H")
            hours[hour] += _cents(event["total"])
    departments = {d["name"] or d["id"] or "?": _cents(d["amount"]) for d in figures["departments"]}
    methods = {p["method"]: _cents(p["amount"]) for p in figures["payments"]}
    first = min((h for h, v in hours.items() if v), default="08")
    last = max((h for h, v in hours.items() if v), default="22")
    return {
        "count": figures["sales"]["count"],
        "total": figures["sales"]["amount"],
        "hours": {h: v for h, v in hours.items() if first <= h <= last},
        "departments": dict(sorted(departments.items(), key=lambda kv: -kv[1])),
        "methods": dict(sorted(methods.items(), key=lambda kv: -kv[1])),
    }


def bar_chart(
    title: str, values: dict[str, int], *, width: int = 460, bar: int = 22, empty: str = "no sales yet"
) -> str:
    """Horizontal bars with their amount; an empty chart says so (``empty``)."""
    if not values:
        return f'<p class="muted">{escape(title)}: {escape(empty)}</p>'
    top = max(*values.values(), 1)
    height = 28 + bar * len(values) + 4
    label_width = 120
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="0" y="16" class="chart-title">{escape(title)}</text>',
    ]
    for index, (label, cents) in enumerate(values.items()):
        y = 26 + index * bar
        length = int((width - label_width - 90) * max(cents, 0) / top)
        parts.append(f'<text x="0" y="{y + bar - 8}" class="chart-label">{escape(label[:16])}</text>')
        box = f'x="{label_width}" y="{y + 3}" width="{max(length, 1)}" height="{bar - 6}"'
        parts.append(f'<rect {box} class="chart-bar"/>')
        at = f'x="{label_width + length + 6}" y="{y + bar - 8}"'
        parts.append(f'<text {at} class="chart-value">{Money(cents)}</text>')
    parts.append("</svg>")
    return "".join(parts)
