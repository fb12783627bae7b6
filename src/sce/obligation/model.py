"""The obligation checker's data: establishments and activities as read, and the decision for each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sce.obligation.message import Message
from sce.obligation.money import ZERO


class Place(StrEnum):
    """Where the customer eats or receives what an activity sells."""

    INDOOR = "indoor"
    OPEN_AIR = "open_air"
    CUSTOMER_PREMISES = "customer_premises"
    TAKEAWAY = "takeaway"


class Classification(StrEnum):
    """A restaurant or catering service, or a delivery of goods."""

    SERVICE = "service"
    GOODS = "goods"


class Rule(StrEnum):
    """The scope rule in force on the date checked."""

    TEN_PERCENT = "10_PERCENT"
    EUR_25000 = "25000_EUR"


class SpecialCase(StrEnum):
    """Kinds of business whose special rules are not settled: the result needs a manual decision."""

    COMPANY_RESTAURANT = "company_restaurant"
    AMUSEMENT_PARK = "amusement_park"
    FAIRGROUND = "fairground"


class Exemption(StrEnum):
    """An exception that removes the obligation whatever the turnover."""

    SUBCONTRACTING = "subcontracting"
    VERY_OCCASIONAL = "very_occasional"


@dataclass(frozen=True)
class Activity:
    """A line of business whose meals are a service or a delivery of goods depending on how they are sold."""

    id: str
    amount: Decimal = ZERO
    place: Place = Place.INDOOR
    tables_or_counter: bool = False
    extra_service_element: bool = False
    table_service: bool = False
    single_use_only: bool = False
    typical_niche_product: bool = False
    staff_serves: bool = False


@dataclass(frozen=True)
class Establishment:
    """One establishment's yearly turnover (euro, excluding VAT) and the facts the exceptions depend on."""

    id: str
    restaurant_services: Decimal = ZERO
    catering_services: Decimal = ZERO
    drinks: Decimal = ZERO
    takeaway_meals: Decimal = ZERO
    food_sales: Decimal = ZERO
    other_horeca: Decimal = ZERO
    hotel_bill_services: Decimal = ZERO
    activities: tuple[Activity, ...] = ()
    already_using_sce: bool = False
    days_active_per_year: int = 365
    relies_on_subcontractor: bool = False
    prepares_food_or_buys_ingredients: bool = False
    other_horeca_or_food_activity: bool = False
    special_case: SpecialCase | None = None


@dataclass(frozen=True)
class CheckRequest:
    """The checker's whole input: the date and the establishments."""

    as_of: date
    establishments: tuple[Establishment, ...]


@dataclass(frozen=True)
class ActivityResult:
    """How one activity was classified, and why."""

    id: str
    classified_as: Classification
    amount: Decimal
    reason: Message


@dataclass(frozen=True)
class Decision:
    """The answer for one establishment, with every step of the reasoning as messages."""

    id: str
    obliged: bool
    rule: Rule
    restaurant_catering_turnover: Decimal
    total_horeca_turnover: Decimal
    percentage: Decimal | None
    activities: tuple[ActivityResult, ...]
    explanation: tuple[Message, ...]
    instead: tuple[Message, ...]
    exemption: Exemption | None
    needs_manual_decision: bool
