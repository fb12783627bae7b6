"""Fiscal data modules: the generation-neutral FiscalModule port and its SCE 1.0 / SCE 2.0 adapters."""

from sce.fiscal.port import (
    DeviceInfo,
    EventKind,
    FiscalEvent,
    FiscalLine,
    FiscalModule,
    FiscalReceipt,
    FiscalReference,
    VatAmounts,
    split_vat,
)

__all__ = [
    "DeviceInfo",
    "EventKind",
    "FiscalEvent",
    "FiscalLine",
    "FiscalModule",
    "FiscalReceipt",
    "FiscalReference",
    "VatAmounts",
    "split_vat",
]
