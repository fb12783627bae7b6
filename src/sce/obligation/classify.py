"""Service or delivery of goods: the criteria of each period, applied to one activity."""

from __future__ import annotations

from datetime import date

from sce.obligation import texts
from sce.obligation.message import msg
from sce.obligation.model import Activity, ActivityResult, Classification, Place
from sce.obligation.rules import open_air_tolerance_applies

SERVICE = Classification.SERVICE
GOODS = Classification.GOODS


def _decide(activity: Activity, as_of: date) -> tuple[Classification, str]:
    if activity.place is Place.TAKEAWAY:
        return GOODS, texts.TAKEAWAY_GOODS
    if activity.place is Place.CUSTOMER_PREMISES:
        if activity.staff_serves:
            return SERVICE, texts.CUSTOMER_STAFF_SERVICE
        return GOODS, texts.CUSTOMER_NO_STAFF_GOODS
    if activity.place is Place.INDOOR:
        return SERVICE, texts.INDOOR_SERVICE
    if open_air_tolerance_applies(as_of):
        tolerated = activity.typical_niche_product and activity.single_use_only and not activity.table_service
        if tolerated:
            return GOODS, texts.OPEN_AIR_TOLERANCE_GOODS
        return SERVICE, texts.OPEN_AIR_TOLERANCE_SERVICE
    if not activity.tables_or_counter:
        return GOODS, texts.OPEN_AIR_NO_TABLES_GOODS
    if not activity.extra_service_element:
        return GOODS, texts.OPEN_AIR_NO_EXTRA_GOODS
    return SERVICE, texts.OPEN_AIR_SERVICE


def classify(activity: Activity, as_of: date) -> ActivityResult:
    """Classify one activity under the criteria in force on ``as_of``; depends on nothing else."""
    classified_as, reason = _decide(activity, as_of)
    return ActivityResult(activity.id, classified_as, activity.amount, msg(reason))
