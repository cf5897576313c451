"""Which remote documents a credential needs, so ``portfolio-gen pin`` can store them."""

from __future__ import annotations

from portfolio_gen.ingest.raw import IngestProblem, Kind, RawCredential
from portfolio_gen.net.fetch import Fetcher


def urls_to_pin(item: RawCredential | IngestProblem, fetcher: Fetcher | None = None) -> list[str]:
    """URLs verification of this credential would fetch (issuer, keys, status lists…).

    With a ``fetcher`` the chain is followed (assertion → BadgeClass → issuer → keys and
    revocation list), which is what ``portfolio-gen pin`` needs.
    """
    if isinstance(item, IngestProblem):
        return []
    urls = _credential_urls(item, fetcher)
    if item.presentation is not None:  # the holder's key documents (a wallet export)
        from portfolio_gen.verify.ob3.presentation import pin_urls as holder_urls

        urls += [u for u in holder_urls(item.presentation) if u not in urls]
    return urls


def _credential_urls(item: RawCredential, fetcher: Fetcher | None) -> list[str]:
    if item.kind in (Kind.OB2_ASSERTION, Kind.OB2_SIGNED, Kind.OB2_HOSTED_URL):
        from portfolio_gen.verify.ob2 import collect_pin_urls

        return list(collect_pin_urls(item, fetcher))
    if item.kind in (Kind.OB3_CREDENTIAL, Kind.OB3_JWT):
        from portfolio_gen.verify.ob3 import collect_pin_urls as collect_ob3

        return list(collect_ob3(item, fetcher))
    return []
