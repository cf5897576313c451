"""Helpers to *make* test credentials (issuers, keys, baking). Used by tests, the sample
portfolio generator and benchmarks; never used by verification itself."""
