"""Date parsing and the validity-window checks shared by OB 2.0 and OB 3.0.

Credentials carry ISO 8601 / RFC 3339 instants; an instant without a timezone is
ambiguous (the Open Badges verification rules: Open Badges 2.0 §DateTime, VC Data Model §Validity
Period), so it is refused rather than guessed. A bare calendar date (``2024-05-01``, seen in OB
1.x badges) is read as midnight UTC. Clock skew (§7.12, 300 s by default) is applied in the
credential's favour on both ends of the window.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from portfolio_gen.verify.checks import VALIDITY_EXPIRATION, VALIDITY_NOT_BEFORE
from portfolio_gen.verify.report import Check, Verdict, failed, passed, skipped

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})?")



def parse_datetime(value: object) -> datetime:
    """An aware UTC datetime from an ISO 8601 string; ValueError says what is wrong."""
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO 8601 date-time string, found {type(value).__name__}")
    text = value.strip()
    if _DATE_ONLY.fullmatch(text):
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    if not _DATETIME.fullmatch(text):
        raise ValueError(f"{_short(text)!r} is not an ISO 8601 date-time")
    normalised = text.upper().replace(" ", "T")
    if normalised.endswith("Z"):
        normalised = normalised[:-1] + "+00:00"
    if "." in normalised:  # fromisoformat accepts at most microseconds
        head, _, rest = normalised.partition(".")
        digits = re.match(r"\d+", rest)
        frac = digits.group(0) if digits else ""
        normalised = head + "." + frac[:6].ljust(6, "0") + rest[len(frac):]
    try:
        parsed = datetime.fromisoformat(normalised)
    except ValueError:
        raise ValueError(f"{_short(text)!r} is not a valid date-time") from None
    if parsed.tzinfo is None:
        raise ValueError(f"{_short(text)!r} has no timezone, so the instant is ambiguous")
    return parsed.astimezone(UTC)


def format_instant(value: datetime) -> str:
    """``2026-01-01T00:00:00Z`` for messages."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def check_validity_window(*, issued: datetime | None, not_before: datetime | None,
                          not_after: datetime | None, now: datetime, skew: timedelta,
                          issued_label: str = "issuedOn", not_before_label: str = "validFrom",
                          not_after_label: str = "expires") -> list[Check]:
    """``validity.not_before`` and ``validity.expiration`` checks.

    ``issued`` is the claimed issue instant: in the future it makes the credential
    *invalid* (it claims something that has not happened). ``not_before`` is the
    start of validity: in the future it is *not yet valid*. An end before the
    issue/start instant is invalid; an end in the past is *expired*.
    """
    return [_check_start(issued, not_before, now, skew, issued_label, not_before_label),
            _check_end(issued, not_before, not_after, now, skew, issued_label,
                       not_before_label, not_after_label)]


def _check_start(issued: datetime | None, not_before: datetime | None, now: datetime,
                 skew: timedelta, issued_label: str, not_before_label: str) -> Check:
    limit = now + skew
    if issued is not None and issued > limit:
        return failed(VALIDITY_NOT_BEFORE, "issued_in_future",
                      f"The {issued_label} date {format_instant(issued)} is after the "
                      f"verification time {format_instant(now)}.", Verdict.INVALID,
                      **{issued_label: format_instant(issued)})
    if not_before is not None and not_before > limit:
        return failed(VALIDITY_NOT_BEFORE, "not_yet_valid",
                      f"The credential is not valid before {format_instant(not_before)} "
                      f"({not_before_label}).", Verdict.NOT_YET_VALID,
                      **{not_before_label: format_instant(not_before)})
    start = not_before or issued
    if start is None:
        return skipped(VALIDITY_NOT_BEFORE, "no_start_date", "The credential states no start date.")
    label = not_before_label if not_before is not None else issued_label
    return passed(VALIDITY_NOT_BEFORE, "started",
                  f"Valid since {format_instant(start)} ({label}).",
                  **{label: format_instant(start)})


def _check_end(issued: datetime | None, not_before: datetime | None, not_after: datetime | None,
               now: datetime, skew: timedelta, issued_label: str, not_before_label: str,
               not_after_label: str) -> Check:
    if not_after is None:
        return skipped(VALIDITY_EXPIRATION, "no_expiry", "The credential has no expiry date.")
    end = format_instant(not_after)
    for start, label in ((issued, issued_label), (not_before, not_before_label)):
        if start is not None and not_after < start:
            return failed(VALIDITY_EXPIRATION, "expires_before_start",
                          f"The {not_after_label} date {end} is before the {label} date "
                          f"{format_instant(start)}.", Verdict.INVALID,
                          **{not_after_label: end, label: format_instant(start)})
    if not_after < now - skew:
        return failed(VALIDITY_EXPIRATION, "expired",
                      f"The credential expired on {end}.", Verdict.EXPIRED,
                      **{not_after_label: end})
    return passed(VALIDITY_EXPIRATION, "not_expired",
                  f"The credential has not expired (expires {end}).",
                  **{not_after_label: end})


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."
