"""Dispatch each ingested credential to the verifier for its format.

``verify_item`` never raises for credential problems: a file that could not be
read becomes an ``invalid``/``unsupported`` report naming the problem, and a
format without a verifier becomes ``unsupported``.
"""

from __future__ import annotations

from dataclasses import replace

from portfolio_gen.ingest.raw import IngestProblem, Kind, RawCredential
from portfolio_gen.verify.checks import FORMAT_DETECT, FORMAT_PARSE
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.report import (
    Check,
    CheckStatus,
    Verdict,
    VerificationReport,
)


def verify_item(item: RawCredential | IngestProblem, ctx: VerifyContext) -> VerificationReport:
    """Verify one ingested credential (or report why the file could not be read), and say
    what anchors its issuer's identity (``verify.anchor``).

    A credential found in a Verifiable Presentation also gets the presentation's
    holder check, which never changes its verdict.
    """
    from portfolio_gen.verify.anchor import anchor_report

    report = _verify_one(item, ctx)
    if isinstance(item, RawCredential) and item.presentation is not None:
        from portfolio_gen.verify.ob3.presentation import check_holder

        proven = report.document if report.verdict is Verdict.VERIFIED else None
        holder = check_holder(item.presentation, ctx, proven)
        report = replace(report, checks=(*report.checks, holder))
    return anchor_report(report, ctx.options.registries)


def _verify_one(item: RawCredential | IngestProblem, ctx: VerifyContext) -> VerificationReport:
    if isinstance(item, IngestProblem):
        implies = Verdict.UNSUPPORTED if item.unsupported else Verdict.INVALID
        check = Check(FORMAT_PARSE, CheckStatus.FAIL, item.code, item.reason, implies)
        return VerificationReport(source=item.source, format=item.container,
                                  spec_version="unknown", checked_at=ctx.now, checks=(check,))
    if item.kind in (Kind.OB2_ASSERTION, Kind.OB2_SIGNED, Kind.OB2_HOSTED_URL):
        from portfolio_gen.verify.ob2 import verify_ob2

        return verify_ob2(item, ctx)
    if item.kind in (Kind.OB3_CREDENTIAL, Kind.OB3_JWT):
        try:
            from portfolio_gen.verify.ob3 import verify_ob3
        except ImportError:  # pragma: no cover - until the OB 3.0 verifier lands
            return _unsupported(item, ctx, "Open Badges 3.0 verification is not available yet.")
        return verify_ob3(item, ctx)
    return _unsupported(item, ctx, "The file holds no Open Badges credential this tool knows.")


def _unsupported(item: RawCredential, ctx: VerifyContext, message: str) -> VerificationReport:
    check = Check(FORMAT_DETECT, CheckStatus.FAIL, "unsupported_format", message,
                  Verdict.UNSUPPORTED)
    return VerificationReport(source=item.source, format=item.container.value,
                              spec_version="unknown", checked_at=ctx.now, checks=(check,))
