"""The pure domain of the POS: money, VAT, identifiers, catalogue, orders, payments, periods, events.

Nothing here does I/O or knows a framework; only :mod:`sce.domain.events` knows the fiscal port.
"""
