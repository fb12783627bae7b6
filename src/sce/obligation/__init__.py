"""Obligation checker and deadline planner: must an establishment use a certified system, and by when?

Pure library: the 10 % and 25,000 EUR rules, service versus delivery of goods, the exceptions, the
registration and social-charge deadlines and the SCE 2.0 migration schedule. Messages are rendered in
NL, FR, DE or EN by :mod:`sce.obligation.i18n`.
"""

from sce.obligation.checker import check, decide
from sce.obligation.classify import classify
from sce.obligation.errors import ObligationInputError
from sce.obligation.model import (
    Activity,
    ActivityResult,
    CheckRequest,
    Classification,
    Decision,
    Establishment,
    Exemption,
    Place,
    Rule,
    SpecialCase,
)
from sce.obligation.parse import parse_request, parse_request_text
from sce.obligation.planner import Plan, PlannerSettings, plan
from sce.obligation.serialize import decisions_to_dict, plan_to_dict

__all__ = [
    "Activity",
    "ActivityResult",
    "CheckRequest",
    "Classification",
    "Decision",
    "Establishment",
    "Exemption",
    "ObligationInputError",
    "Place",
    "Plan",
    "PlannerSettings",
    "Rule",
    "SpecialCase",
    "check",
    "classify",
    "decide",
    "decisions_to_dict",
    "parse_request",
    "parse_request_text",
    "plan",
    "plan_to_dict",
]
