"""Keep learner identifiers (emails, phone numbers, DIDs from the profile) out of outputs.

Identifiers exist only for recipient matching; a cohort page, index or staff file that
repeats one would leak contact data of someone who consented to be shown, not to be
contacted. Every free text the cohort writes passes through :func:`scrub`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

REDACTED = "[redacted]"
EMAIL = re.compile(r"(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
#: International numbers (+44 7700 900123, +1 (555) 010-9999); dates are not matched.
PHONE = re.compile(r"(?:tel:)?\+\d[\d ().-]{6,}\d")


def scrub(text: str, identifiers: Iterable[str] = ()) -> str:
    """``text`` with the given identifiers and anything shaped like an email or phone removed."""
    for ident in sorted({i.strip() for i in identifiers if i and i.strip()}, key=len,
                        reverse=True):
        text = re.sub(re.escape(ident), REDACTED, text, flags=re.IGNORECASE)
    return PHONE.sub(REDACTED, EMAIL.sub(REDACTED, text))
