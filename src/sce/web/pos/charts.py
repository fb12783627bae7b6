"""Sales figures for the user reports and their charts (inline SVG bars, no script, no library):
per hour, per department and per payment method, from the SALE events of the journal (training and pro
forma left out). Amounts stay in cents."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from html import escape
from typing import Any

from sqlalchemy import select

from sce.db import tables as t
from sce.domain.money import Money
from sce.pos.service import Pos


def _cents(text: str) -> int:
    return Money.from_decimal(Decimal(text)).cents


def sales_figures(pos: Pos, booking_date: str | None = None, period_id: str | None = None) -> dict[str, Any]:
    query = select(t.journal.c.body).where(
        t.journal.c.record_type == "event", t.journal.c.event_kind == "SALE", t.journal.c.training.is_(False)
    )
    if period_id:
        query = query.where(t.journal.c.period_id == period_id)
    elif booking_date:
        query = query.where(t.journal.c.booking_date == booking_date)
    with pos.store.engine.begin() as c:
        bodies = [json.loads(r[0]) for r in c.execute(query.order_by(t.journal.c.seq)).all()]
    hours: dict[str, int] = {f"{h:02d}": 0 for h in range(24)}
    departments: dict[str, int] = {}
    methods: dict[str, int] = {}
    count = 0
    total = 0
    for body in bodies:
        event = body["event"]
        count += 1
        total += _cents(event["total"])
        hour = datetime.fromisoformat(event["pos_datetime"]).strftime("%H")
        hours[hour] = hours.get(hour, 0) + _cents(event["total"])
        for line in event["lines"]:
            name = line.get("department_name") or line.get("department_id") or "?"
            departments[name] = departments.get(name, 0) + _cents(line["line_total"])
        for payment in event["payments"]:
            if payment.get("kind") in ("PAYMENT", "TIP", None, ""):
                methods[payment["method"]] = methods.get(payment["method"], 0) + _cents(payment["amount"])
    first = min((h for h, v in hours.items() if v), default="08")
    last = max((h for h, v in hours.items() if v), default="22")
    shown_hours = {h: v for h, v in hours.items() if first <= h <= last}
    return {
        "count": count,
        "total": str(Money(total)),
        "hours": shown_hours,
        "departments": dict(sorted(departments.items(), key=lambda kv: -kv[1])),
        "methods": dict(sorted(methods.items(), key=lambda kv: -kv[1])),
    }


def bar_chart(title: str, values: dict[str, int], *, width: int = 460, bar: int = 22) -> str:
    """Horizontal bars with their amount; an empty chart says so."""
    if not values:
        return f'<p class="muted">{escape(title)}: no sales yet</p>'
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
