"""Full JSON form of a :class:`VerificationReport`, for the verification cache.

``VerificationReport.to_dict`` is the public, display-oriented form; it drops what the
verdict is computed from (each check's ``implies``) and what the model reads display
data from (``document``, ``related``). The cache needs all of it back, exactly, so this
module owns a lossless round trip: ``report_from_dict(report_to_cache_dict(r)) == r``
for every report whose documents and details are JSON values (they come from JSON).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from portfolio_gen.verify.report import Check, CheckStatus, IssuerRef, Verdict, VerificationReport

FORMAT = 2


def report_to_cache_dict(report: VerificationReport) -> dict[str, Any]:
    return {
        "source": report.source,
        "format": report.format,
        "spec_version": report.spec_version,
        "checked_at": report.checked_at.isoformat(),
        "checks": [_check(c) for c in report.checks],
        "credential_id": report.credential_id,
        "issuer": _issuer(report.issuer),
        "achievement_name": report.achievement_name,
        "document": _plain(report.document) if report.document is not None else None,
        "related": _plain(report.related),
        "nested": [report_to_cache_dict(n) for n in report.nested],
        "key_id": report.key_id,
        "family": report.family,
    }


def report_from_dict(data: Mapping[str, Any]) -> VerificationReport:
    """Inverse of :func:`report_to_cache_dict` (raises KeyError/ValueError on bad input).

    Checks and nested reports already built (the verification cache shares checks
    between reports) are taken as they are.
    """
    if isinstance(data, VerificationReport):
        return data
    issuer = data.get("issuer") or {}
    return VerificationReport(
        source=data["source"],
        format=data["format"],
        spec_version=data["spec_version"],
        checked_at=datetime.fromisoformat(data["checked_at"]),
        checks=tuple(_check_from(c) for c in data["checks"]),
        credential_id=data.get("credential_id"),
        issuer=IssuerRef(issuer.get("id"), issuer.get("name"),
                         issuer.get("anchor") or "self-asserted", issuer.get("anchor_detail"),
                         issuer.get("listed_name"), issuer.get("listed_url")),
        achievement_name=data.get("achievement_name"),
        document=data.get("document"),
        related=data.get("related") or {},
        nested=tuple(report_from_dict(n) for n in data.get("nested", ())),
        key_id=data.get("key_id"),
        family=data.get("family"),
    )


def _issuer(issuer: IssuerRef) -> dict[str, Any]:
    return {"id": issuer.id, "name": issuer.name, "anchor": issuer.anchor,
            "anchor_detail": issuer.anchor_detail, "listed_name": issuer.listed_name,
            "listed_url": issuer.listed_url}


def _check(check: Check) -> dict[str, Any]:
    return {"id": check.id, "status": check.status.value, "code": check.code,
            "message": check.message,
            "implies": check.implies.value if check.implies is not None else None,
            "details": _plain(check.details)}


_STATUSES = {s.value: s for s in CheckStatus}
_VERDICTS = {v.value: v for v in Verdict}


def _check_from(data: Mapping[str, Any]) -> Check:
    if isinstance(data, Check):
        return data
    implies = data.get("implies")
    return Check(data["id"], _STATUSES[data["status"]], data["code"], data["message"],
                 _VERDICTS[implies] if implies is not None else None, data.get("details") or {})


def _plain(value: Any) -> Any:
    """JSON values as they are; anything else (a stray object in details) as its text."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


#: One check back from its cache form: the verification cache stores and shares checks one by one.
check_from_dict = _check_from
