"""The English message ids of the checker's and the planner's explanations (keys of the catalogues)."""

from __future__ import annotations

from typing import Final

# Rule in force
RULE_10_PERCENT: Final = "Rule in force on {date}: the 10 % rule (until 30 June 2016)."
RULE_25000: Final = "Rule in force on {date}: the 25,000 EUR rule (from 1 July 2016)."
TEN_PERCENT_ANNULLED: Final = (
    "The Council of State annulled the 10 % rule on 14 October 2015; it remained the rule applied "
    "until the 25,000 EUR rule took over on 1 July 2016."
)

# Classification of activities
ACTIVITY_LINE: Final = "Activity {id} ({amount}): {reason}"
TAKEAWAY_GOODS: Final = "taken away: a delivery of goods."
OPEN_AIR_TOLERANCE_GOODS: Final = (
    "typical products eaten in the open air, single-use packaging and cutlery only, no table service: "
    "a delivery of goods under the open-air tolerance (until 30 November 2017)."
)
OPEN_AIR_TOLERANCE_SERVICE: Final = (
    "eaten in the open air without meeting every condition of the open-air tolerance (typical products, "
    "single-use packaging and cutlery only, no table service): a restaurant service."
)
INDOOR_SERVICE: Final = "an indoor space is made available for eating or drinking: a restaurant service."
OPEN_AIR_SERVICE: Final = (
    "eaten in the open air with tables or a counter and at least one extra service element: "
    "a restaurant service."
)
OPEN_AIR_NO_TABLES_GOODS: Final = "eaten in the open air without tables or a counter: a delivery of goods."
OPEN_AIR_NO_EXTRA_GOODS: Final = (
    "eaten in the open air with tables or a counter but without any extra service element: "
    "a delivery of goods."
)
CUSTOMER_STAFF_SERVICE: Final = "at the customer's place with staff serving: a catering service."
CUSTOMER_NO_STAFF_GOODS: Final = (
    "delivered at the customer's place without staff serving: a delivery of goods."
)

# Amounts
SERVICES_SUM: Final = (
    "Restaurant and catering services, drinks excluded: restaurant {restaurant} + catering {catering} "
    "+ activities classified as services {activities} = {total}."
)
HOTEL_BILL: Final = (
    "Food and drinks charged on the global hotel bill (hotel cluster 1, {amount}) never count towards "
    "the rule; for them a VAT receipt is issued at the end of the stay, or a full invoice at that moment."
)
TOTAL_SUM: Final = (
    "Total horeca turnover: services {services} + drinks {drinks} + take-away meals {takeaway} "
    "+ food sales {food} + other horeca income {other} + hotel bills {hotel} "
    "+ activities classified as deliveries of goods {goods} = {total}."
)
NOT_COUNTED_25000: Final = (
    "Not counted: drinks {drinks}, take-away meals {takeaway}, food sales {food}, other horeca income "
    "{other}, hotel bills {hotel} and activities classified as deliveries of goods {goods}."
)

# Evaluation of the rule
NO_TURNOVER_10: Final = (
    "There is no horeca turnover, so the share cannot be computed: not obliged by the 10 % rule."
)
SHARE_AT_LEAST: Final = (
    "Share of restaurant and catering services: {services} × 100 / {total} = {percent} %, at least 10 %."
)
SHARE_BELOW: Final = (
    "Share of restaurant and catering services: {services} × 100 / {total} = {percent} %, below 10 %."
)
ABOVE_THRESHOLD: Final = "{services} is above the threshold of {threshold}."
NOT_ABOVE_THRESHOLD: Final = (
    "{services} is not above the threshold of {threshold}; the rule requires strictly more."
)

# Exceptions
MANUAL_DECISION: Final = (
    "This is a {kind}: special rules apply that are not settled here, so the result needs a manual "
    "decision. The result shown is that of the general rules."
)
KIND_COMPANY_RESTAURANT: Final = "company restaurant"
KIND_AMUSEMENT_PARK: Final = "amusement park"
KIND_FAIRGROUND: Final = "fairground business"
SUBCONTRACTING_APPLIES: Final = (
    "All restaurant and catering services are left to a subcontractor and the establishment takes no part "
    "in preparing meals or buying unprepared food: the subcontracting exception applies; the "
    "subcontractor invoices and issues the certified ticket."
)
SUBCONTRACTING_NOT_APPLIES: Final = (
    "A subcontractor is used, but the establishment prepares meals or buys unprepared food itself: "
    "the subcontracting exception does not apply."
)
ONCE_IN_ALWAYS_IN: Final = (
    "A certified system is already in use and there is still restaurant or catering turnover: once in, "
    "always in; the turnover no longer matters."
)
ONCE_IN_MAY_STOP: Final = (
    "A certified system is in use but there is no restaurant or catering turnover any more: "
    "it may be given up."
)
OCCASIONAL_APPLIES: Final = (
    "Restaurant or catering services on {days} days a year (at most 5) and no other horeca or food "
    "activity: exempt as a very occasional activity."
)
OCCASIONAL_NOT_APPLIES: Final = (
    "Active on {days} days a year, but with another horeca or food activity: the exception for a very "
    "occasional activity does not apply."
)

# Conclusion
OBLIGED: Final = (
    "Obliged: every transaction of this establishment linked to meals and drinks, including all food and "
    "drink sales there, must go through a certified cash register system."
)
NOT_OBLIGED: Final = "Not obliged to use a certified cash register system."
BEFORE_ACTIVATION: Final = (
    "Until the system is activated, a control document (VAT receipt or ordinary cash ticket) is due for "
    "every meal eaten on the spot."
)

VERDICT_OBLIGED: Final = "OBLIGED"
VERDICT_NOT_OBLIGED: Final = "NOT OBLIGED"
VERDICT_MANUAL: Final = "needs a manual decision"

# What to do instead
INSTEAD_VAT_RECEIPT: Final = "Issue a VAT receipt from an approved printer for every meal and its drinks."
INSTEAD_DAILY_BOOK: Final = "Keep a daily receipts book."
INSTEAD_VOLUNTARY: Final = "A certified system may be used voluntarily; all its rules then apply."
INSTEAD_SUBCONTRACTING: Final = (
    "Keep a daily receipts book from dated supporting documents; no VAT receipts are needed."
)
INSTEAD_HOTEL_BILL: Final = (
    "For food and drinks on the hotel bill: a VAT receipt at the end of the stay, or a full invoice "
    "issued at that moment."
)

# Planner
PLAN_REGISTER_BY: Final = (
    "Register in the e-service by {date}: the end of the month {months} months after the start of the "
    "activity ({start})."
)
PLAN_USE_BY: Final = (
    "Issue certified tickets by {date}: the end of the month {months} months after the start of the activity."
)
PLAN_TRANSITION_2016: Final = (
    "Activity started in the first half of 2016: register before 1 October 2016 ({register}) and use the "
    "system by {use}."
)
PLAN_REGISTER_PASSED: Final = "The registration deadline has passed: register without delay."
PLAN_USE_PASSED: Final = "The deadline for using the system has passed: activate it without delay."
PLAN_REDUCTION: Final = (
    "First quarter that can count for the social-charge reduction: the one starting on {quarter}. Finish "
    "every registration step (delivery confirmed, FDM linked to the register, card or certificate "
    "requested, system activated) by {by}, {days} days before."
)
PLAN_SCE2_NEW: Final = (
    "SCE 2.0 date for a new establishment or a first crossing of 25,000 EUR: {date} (schedule: {version})."
)
PLAN_SCE2_MIGRATION: Final = (
    "SCE 1.0 commissioned on {commissioned} ({bracket}): migrate to SCE 2.0 by {date} (schedule: {version})."
)
PLAN_SCE2_DIRECT: Final = (
    "The activity starts on or after that date: the system to install is an SCE 2.0 system."
)
BRACKET_BEFORE_2018: Final = "commissioned before 2018"
BRACKET_2018_2021: Final = "commissioned 2018–2021"
BRACKET_FROM_2022: Final = "commissioned from 2022"

# Social-security advantages
ADV_REDUCTION_TITLE: Final = "Target-group reduction of social charges for permanent horeca workers"
ADV_REDUCTION_AMOUNT: Final = (
    "{amount} per quarter per worker ({young} for a worker under 26 at the end of the quarter), for at most "
    "5 permanent full-time workers (joint committee 302), for employers with at most 49 workers."
)
ADV_REDUCTION_WHOLE_QUARTER: Final = (
    "The certified system is in use from the first to the last day of the quarter."
)
ADV_REDUCTION_PRESENCE: Final = (
    "The start and end of presence of every worker is registered daily, in the certified system or in an "
    "alternative presence registration linked to Dimona; breaks need not be registered; extras, "
    "volunteers, flexi-workers and trainees are excluded."
)
ADV_REDUCTION_CLAIM: Final = (
    "Claimed in the quarterly DmfA declaration (reduction code 3900) and checked afterwards."
)
ADV_OVERTIME_TITLE: Final = "Higher ceiling of tax-reduced overtime"
ADV_OVERTIME_CEILING: Final = (
    "360 overtime hours per calendar year instead of 300 when the certified system is used in every "
    "establishment; installed during the year: 300 hours before installation and the remaining 60 after."
)
ADV_OVERTIME_FISCAL: Final = (
    "The fiscal advantage covers up to 360 paid overtime hours; the voluntary overtime motive is available "
    "only with a certified system."
)


# Labels of the plan's dates (calendar events, PDF)
LABEL_REGISTER_BY: Final = "Certified cash register: register in the e-service"
LABEL_USE_BY: Final = "Certified cash register: issue certified tickets"
LABEL_COMPLETE_STEPS_BY: Final = "Certified cash register: finish every registration step"
LABEL_REDUCTION_QUARTER: Final = "First quarter of the social-charge reduction"
LABEL_SCE2: Final = "SCE 2.0 deadline"
PDF_TITLE: Final = "Certified cash register: deadline plan"
PDF_DRAWN_UP: Final = "Drawn up on {date}; activity start {start}."
PDF_DATES: Final = "Dates"
PDF_WHY: Final = "Why"
PDF_ADVANTAGES: Final = "Social-security advantages"
PDF_FROM: Final = "From {date}."
PDF_DISCLAIMER: Final = (
    "Indicative plan computed from the published rules; the e-service of the FPS Finance shows the "
    "deadlines that apply to you."
)


def all_message_ids() -> tuple[str, ...]:
    """Every message id of this module (used to check that each catalogue translates them all)."""
    return tuple(value for name, value in globals().items() if name.isupper() and isinstance(value, str))
