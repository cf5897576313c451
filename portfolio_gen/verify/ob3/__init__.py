"""Open Badges 3.0 and CLR 2.0: Data Integrity proofs, VC-JWT, DIDs and status lists."""

from portfolio_gen.verify.ob3.verifier import collect_pin_urls, verify_ob3

__all__ = ["collect_pin_urls", "verify_ob3"]
