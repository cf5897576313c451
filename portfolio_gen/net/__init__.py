"""Fetching remote documents: one guarded HTTP client, pins, cache and policies."""
