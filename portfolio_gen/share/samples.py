"""Sample :class:`ShareInfo` values with a real Pillow-drawn badge image.

Used by the card benchmark and the sharing tests, and handy for previewing cards without
building a whole site.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

from PIL import Image, ImageDraw

from portfolio_gen.model.wording import VERDICTS
from portfolio_gen.share.info import ShareInfo, ShareSkill
from portfolio_gen.verify.anchor import DOMAIN, anchor_note, card_issuer, issuer_phrase
from portfolio_gen.verify.report import Verdict


def badge_png(size: int = 256, colour: str = "#2f6feb", seed: int = 0) -> bytes:
    """A simple round badge PNG, varied by ``seed`` so cache keys differ."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((4, 4, size - 4, size - 4), fill=colour, outline="#0b2a66", width=size // 24)
    inset = size // 4 + seed % (size // 8)
    draw.regular_polygon((size / 2, size / 2, size / 2 - inset), 5, fill="#ffd33d")
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def sample_info(verdict: Verdict = Verdict.VERIFIED, *, seed: int = 0, **changes: object
                ) -> ShareInfo:
    """A realistic credential whose issuer is anchored by its domain (pass
    ``issuer_anchored=False`` for one whose name is only its own claim); keyword arguments
    override any field."""
    info = ShareInfo(
        credential_id="https://badges.example.org/assertions/3f2c",
        name=f"Data Analysis with Python — Level {seed + 1}",
        description="Cleans, explores and visualises real data sets with pandas.",
        issuer_name="Example University",
        issuer_url="https://example.org/",
        achievement_type="Certificate",
        issued=datetime(2025, 3, 14, 9, 30, tzinfo=UTC),
        expires=None,
        verdict=verdict,
        verdict_label=VERDICTS[verdict].label,
        page_url=f"https://learner.example.net/portfolio/credentials/data-analysis-{seed}/",
        page_path=f"credentials/data-analysis-{seed}/",
        image_bytes=badge_png(seed=seed),
        image_mime="image/png",
        skills=(ShareSkill("Data analysis", "https://esco.example/skill/1", "S1.2", "ESCO"),),
        learner_name="Ada Lovelace",
        issuer_anchored=True,
    )
    info = replace(info, **changes)  # type: ignore[arg-type]
    if info.issuer_anchored and not info.issuer_phrase:
        # as the site maps an issuer anchored by its domain (verify.anchor)
        domain = urlsplit(info.issuer_url or "").hostname or "example.org"
        info = replace(info, issuer_phrase=issuer_phrase(info.issuer_name, DOMAIN, domain),
                       issuer_short=card_issuer(info.issuer_name, DOMAIN),
                       issuer_note=anchor_note(DOMAIN, domain))
    return info
