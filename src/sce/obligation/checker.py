"""The obligation checker: per establishment, obliged or not under the rule in force, with the reasons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sce.obligation import texts
from sce.obligation.classify import classify
from sce.obligation.message import Amount, Message, Percent, msg
from sce.obligation.model import (
    ActivityResult,
    CheckRequest,
    Classification,
    Decision,
    Establishment,
    Exemption,
    Rule,
    SpecialCase,
)
from sce.obligation.money import ZERO, quantize
from sce.obligation.rules import (
    OCCASIONAL_MAX_DAYS,
    TEN_PERCENT,
    TEN_PERCENT_ANNULLED,
    THRESHOLD,
    rule_on,
)

_KINDS = {
    SpecialCase.COMPANY_RESTAURANT: texts.KIND_COMPANY_RESTAURANT,
    SpecialCase.AMUSEMENT_PARK: texts.KIND_AMUSEMENT_PARK,
    SpecialCase.FAIRGROUND: texts.KIND_FAIRGROUND,
}


@dataclass(frozen=True)
class _Figures:
    activity_services: Decimal
    activity_goods: Decimal
    services: Decimal
    total: Decimal


def _figures(establishment: Establishment, activities: tuple[ActivityResult, ...]) -> _Figures:
    activity_services = sum(
        (a.amount for a in activities if a.classified_as is Classification.SERVICE), start=ZERO
    )
    activity_goods = sum(
        (a.amount for a in activities if a.classified_as is Classification.GOODS), start=ZERO
    )
    services = establishment.restaurant_services + establishment.catering_services + activity_services
    total = (
        services
        + establishment.drinks
        + establishment.takeaway_meals
        + establishment.food_sales
        + establishment.other_horeca
        + establishment.hotel_bill_services
        + activity_goods
    )
    return _Figures(activity_services, activity_goods, services, total)


def _amount_lines(establishment: Establishment, figures: _Figures, rule: Rule) -> list[Message]:
    e = establishment
    lines = [
        msg(
            texts.SERVICES_SUM,
            restaurant=Amount(e.restaurant_services),
            catering=Amount(e.catering_services),
            activities=Amount(figures.activity_services),
            total=Amount(figures.services),
        )
    ]
    if e.hotel_bill_services > ZERO:
        lines.append(msg(texts.HOTEL_BILL, amount=Amount(e.hotel_bill_services)))
    others = {
        "drinks": Amount(e.drinks),
        "takeaway": Amount(e.takeaway_meals),
        "food": Amount(e.food_sales),
        "other": Amount(e.other_horeca),
        "hotel": Amount(e.hotel_bill_services),
        "goods": Amount(figures.activity_goods),
    }
    if rule is Rule.TEN_PERCENT:
        lines.append(
            msg(texts.TOTAL_SUM, services=Amount(figures.services), total=Amount(figures.total), **others)
        )
    else:
        lines.append(msg(texts.NOT_COUNTED_25000, **others))
    return lines


def _by_rule(figures: _Figures, rule: Rule) -> tuple[bool, Decimal | None, Message]:
    """Obliged by the turnover rule alone, the percentage (10 % rule only) and the sentence saying why."""
    services = Amount(figures.services)
    if rule is Rule.EUR_25000:
        if figures.services > THRESHOLD:
            return True, None, msg(texts.ABOVE_THRESHOLD, services=services, threshold=Amount(THRESHOLD))
        return False, None, msg(texts.NOT_ABOVE_THRESHOLD, services=services, threshold=Amount(THRESHOLD))
    if figures.total == ZERO:
        return False, None, msg(texts.NO_TURNOVER_10)
    percentage = quantize(figures.services * 100 / figures.total)
    # Compare the exact share, not the rounded one: 9.996 % is below 10 % even though it shows as 10.00.
    obliged = figures.services * 100 >= TEN_PERCENT * figures.total
    text = texts.SHARE_AT_LEAST if obliged else texts.SHARE_BELOW
    return (
        obliged,
        percentage,
        msg(text, services=services, total=Amount(figures.total), percent=Percent(percentage)),
    )


def _exemption(
    establishment: Establishment, figures: _Figures
) -> tuple[bool | None, Exemption | None, list[Message]]:
    """The exception that settles the case, if any: (obliged or None, exemption, the sentences saying why)."""
    e = establishment
    notes: list[Message] = []
    if e.relies_on_subcontractor:
        if not e.prepares_food_or_buys_ingredients:
            return False, Exemption.SUBCONTRACTING, [msg(texts.SUBCONTRACTING_APPLIES)]
        notes.append(msg(texts.SUBCONTRACTING_NOT_APPLIES))
    if e.already_using_sce:
        if figures.services > ZERO:
            return True, None, [*notes, msg(texts.ONCE_IN_ALWAYS_IN)]
        return False, None, [*notes, msg(texts.ONCE_IN_MAY_STOP)]
    if e.days_active_per_year <= OCCASIONAL_MAX_DAYS:
        if not e.other_horeca_or_food_activity:
            days = e.days_active_per_year
            return False, Exemption.VERY_OCCASIONAL, [*notes, msg(texts.OCCASIONAL_APPLIES, days=days)]
        notes.append(msg(texts.OCCASIONAL_NOT_APPLIES, days=e.days_active_per_year))
    return None, None, notes


def decide(establishment: Establishment, as_of: date) -> Decision:
    """Decide one establishment on ``as_of``.

    Order: classify the activities, add up the amounts, apply the rule in force; then the exceptions
    that settle the case whatever the amounts, in this order: subcontracting, once in always in,
    very occasional activity. Special cases are decided by the general rules and flagged for a
    manual decision.
    """
    rule = rule_on(as_of)
    activities = tuple(classify(a, as_of) for a in establishment.activities)
    figures = _figures(establishment, activities)

    explanation: list[Message] = [
        msg(texts.RULE_10_PERCENT if rule is Rule.TEN_PERCENT else texts.RULE_25000, date=as_of)
    ]
    if rule is Rule.TEN_PERCENT and as_of >= TEN_PERCENT_ANNULLED:
        explanation.append(msg(texts.TEN_PERCENT_ANNULLED))
    explanation.extend(
        msg(texts.ACTIVITY_LINE, id=a.id, amount=Amount(a.amount), reason=a.reason) for a in activities
    )
    explanation.extend(_amount_lines(establishment, figures, rule))
    obliged, percentage, verdict = _by_rule(figures, rule)
    explanation.append(verdict)

    settled, exemption, notes = _exemption(establishment, figures)
    explanation.extend(notes)
    if settled is not None:
        obliged = settled

    manual = establishment.special_case is not None
    if establishment.special_case is not None:
        explanation.append(msg(texts.MANUAL_DECISION, kind=msg(_KINDS[establishment.special_case])))

    instead: list[Message] = []
    if obliged:
        explanation.append(msg(texts.OBLIGED))
        if not establishment.already_using_sce:
            explanation.append(msg(texts.BEFORE_ACTIVATION))
    else:
        explanation.append(msg(texts.NOT_OBLIGED))
        if exemption is Exemption.SUBCONTRACTING:
            instead.append(msg(texts.INSTEAD_SUBCONTRACTING))
        else:
            instead.extend([msg(texts.INSTEAD_VAT_RECEIPT), msg(texts.INSTEAD_DAILY_BOOK)])
        if establishment.hotel_bill_services > ZERO:
            instead.append(msg(texts.INSTEAD_HOTEL_BILL))
        instead.append(msg(texts.INSTEAD_VOLUNTARY))
    explanation.extend(instead)

    return Decision(
        id=establishment.id,
        obliged=obliged,
        rule=rule,
        restaurant_catering_turnover=figures.services,
        total_horeca_turnover=figures.total,
        percentage=percentage,
        activities=activities,
        explanation=tuple(explanation),
        instead=tuple(instead),
        exemption=exemption,
        needs_manual_decision=manual,
    )


def check(request: CheckRequest) -> tuple[Decision, ...]:
    """Decide every establishment of the request."""
    return tuple(decide(e, request.as_of) for e in request.establishments)
