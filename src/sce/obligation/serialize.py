"""The checker's and the planner's JSON output: plain dicts with amounts as two-decimal strings."""

from __future__ import annotations

from typing import Any

from sce.obligation.i18n import DEFAULT_LANG, Lang, render, render_all
from sce.obligation.model import Decision
from sce.obligation.money import format_amount
from sce.obligation.planner import Plan


def decision_to_dict(decision: Decision, lang: Lang = DEFAULT_LANG) -> dict[str, Any]:
    """One establishment's decision in the published output format (plus a few additive keys)."""
    return {
        "id": decision.id,
        "obliged": decision.obliged,
        "rule": decision.rule.value,
        "restaurant_catering_turnover": format_amount(decision.restaurant_catering_turnover),
        "total_horeca_turnover": format_amount(decision.total_horeca_turnover),
        "percentage": None if decision.percentage is None else format_amount(decision.percentage),
        "activities": [
            {"id": a.id, "classified_as": a.classified_as.value, "reason": render(a.reason, lang)}
            for a in decision.activities
        ],
        "explanation": render_all(decision.explanation, lang),
        "instead": render_all(decision.instead, lang),
        "exemption": None if decision.exemption is None else decision.exemption.value,
        "needs_manual_decision": decision.needs_manual_decision,
    }


def decisions_to_dict(decisions: tuple[Decision, ...], lang: Lang = DEFAULT_LANG) -> dict[str, Any]:
    """The checker's whole output object."""
    return {"establishments": [decision_to_dict(d, lang) for d in decisions]}


def plan_to_dict(plan: Plan, lang: Lang = DEFAULT_LANG) -> dict[str, Any]:
    """The planner's output object; dates as ``YYYY-MM-DD``."""
    return {
        "as_of": plan.as_of.isoformat(),
        "activity_start": plan.activity_start.isoformat(),
        "register_by": plan.register_by.isoformat(),
        "use_by": plan.use_by.isoformat(),
        "reduction_quarter_start": plan.reduction_quarter_start.isoformat(),
        "complete_steps_by": plan.complete_steps_by.isoformat(),
        "sce2_deadline": plan.sce2_deadline.isoformat(),
        "sce2_bracket": plan.sce2_bracket,
        "sce1_commissioned": None if plan.sce1_commissioned is None else plan.sce1_commissioned.isoformat(),
        "schedule_version": plan.schedule_version,
        "margin_days": plan.margin_days,
        "notes": render_all(plan.notes, lang),
        "advantages": [
            {
                "id": a.id,
                "title": render(a.title, lang),
                "from": None if a.starts is None else a.starts.isoformat(),
                "conditions": render_all(a.conditions, lang),
            }
            for a in plan.advantages
        ],
    }
