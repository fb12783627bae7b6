"""The POS application core: services that turn each user action into one event through the fiscal port."""
