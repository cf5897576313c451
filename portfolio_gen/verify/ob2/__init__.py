"""Open Badges 2.0 verification: hosted and signed assertions (the Open Badges verification rules:
Open Badges 2.0 §Verification)."""

from portfolio_gen.verify.ob2.pins import collect_pin_urls
from portfolio_gen.verify.ob2.verifier import verify_ob2

__all__ = ["collect_pin_urls", "verify_ob2"]
