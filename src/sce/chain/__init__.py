"""Chains of sites: each site's journal and reports replicated to head office, and consolidated there."""
