"""Audit: the self-describing journal export, the FDM verification keys and the inspector's web view."""
