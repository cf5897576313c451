"""Verification of Open Badges 2.0, 3.0 and CLR 2.0 credentials into per-check reports."""
