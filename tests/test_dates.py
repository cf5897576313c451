"""Date parsing and the validity window (verification.md §1.5, §7.12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portfolio_gen.verify.dates import check_validity_window, format_instant, parse_datetime
from portfolio_gen.verify.report import CheckStatus, Verdict

NOW = datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)
SKEW = timedelta(seconds=300)


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-21T14:56:35Z", datetime(2024, 3, 21, 14, 56, 35, tzinfo=UTC)),
    ("2024-03-21T14:56:35z", datetime(2024, 3, 21, 14, 56, 35, tzinfo=UTC)),
    ("2024-03-21T16:56:35+02:00", datetime(2024, 3, 21, 14, 56, 35, tzinfo=UTC)),
    ("2024-03-21T14:56:35.123456789Z", datetime(2024, 3, 21, 14, 56, 35, 123456, tzinfo=UTC)),
    ("2024-03-21T14:56Z", datetime(2024, 3, 21, 14, 56, tzinfo=UTC)),
    ("2024-03-21", datetime(2024, 3, 21, tzinfo=UTC)),
])
def test_parse_accepts_zoned_instants(text: str, expected: datetime) -> None:
    parsed = parse_datetime(text)
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize(("value", "fragment"), [
    ("2024-03-21T14:56:35", "no timezone"),
    ("21/03/2024", "not an ISO 8601"),
    ("2024-13-40T00:00:00Z", "not a valid"),
    (1711032995, "found int"),
    (None, "found NoneType"),
    ("", "not an ISO 8601"),
])
def test_parse_rejects_ambiguous_or_malformed(value: object, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        parse_datetime(value)


def test_format_instant_uses_z() -> None:
    assert format_instant(NOW) == "2026-06-01T12:00:00Z"


def _window(**kw: datetime | None) -> dict[str, tuple[CheckStatus, Verdict | None, str]]:
    args: dict[str, datetime | None] = {"issued": None, "not_before": None, "not_after": None}
    args.update(kw)
    checks = check_validity_window(now=NOW, skew=SKEW, **args)
    return {c.id: (c.status, c.implies, c.code) for c in checks}


def test_valid_window_passes() -> None:
    out = _window(issued=NOW - timedelta(days=10), not_after=NOW + timedelta(days=1))
    assert out["validity.not_before"][0] is CheckStatus.PASS
    assert out["validity.expiration"][0] is CheckStatus.PASS


def test_no_dates_skip() -> None:
    out = _window()
    assert out["validity.not_before"][0] is CheckStatus.SKIP
    assert out["validity.expiration"] == (CheckStatus.SKIP, None, "no_expiry")


def test_issued_in_future_is_invalid() -> None:
    out = _window(issued=NOW + timedelta(days=1))
    assert out["validity.not_before"] == (CheckStatus.FAIL, Verdict.INVALID, "issued_in_future")


def test_not_before_in_future_is_not_yet_valid() -> None:
    out = _window(issued=NOW - timedelta(days=1), not_before=NOW + timedelta(days=1))
    assert out["validity.not_before"] == (CheckStatus.FAIL, Verdict.NOT_YET_VALID,
                                          "not_yet_valid")


def test_expired() -> None:
    out = _window(issued=NOW - timedelta(days=10), not_after=NOW - timedelta(days=1))
    assert out["validity.expiration"] == (CheckStatus.FAIL, Verdict.EXPIRED, "expired")


def test_expires_before_issued_is_invalid() -> None:
    out = _window(issued=NOW - timedelta(days=1), not_after=NOW - timedelta(days=2))
    assert out["validity.expiration"] == (CheckStatus.FAIL, Verdict.INVALID,
                                          "expires_before_start")


def test_skew_is_lenient_at_both_ends() -> None:
    inside = timedelta(seconds=299)
    out = _window(issued=NOW + inside, not_after=NOW + inside + timedelta(days=1))
    assert out["validity.not_before"][0] is CheckStatus.PASS
    out = _window(issued=NOW - timedelta(days=1), not_after=NOW - inside)
    assert out["validity.expiration"][0] is CheckStatus.PASS
    outside = timedelta(seconds=301)
    assert _window(issued=NOW + outside)["validity.not_before"][0] is CheckStatus.FAIL
    out = _window(issued=NOW - timedelta(days=1), not_after=NOW - outside)
    assert out["validity.expiration"][0] is CheckStatus.FAIL
