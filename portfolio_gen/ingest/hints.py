"""What to tell a learner about a file that holds no badge (import.md §8 A6, G).

The reason says what is wrong; the hint says what to do instead, in the learner's terms:
where the real badge file is on each platform, or which ``portfolio-gen add`` command
fetches it. Decided from the problem code and the file's first bytes, never its name.
"""

from __future__ import annotations

from portfolio_gen.ingest.raw import IngestProblem

DOWNLOAD_HINT = ("download the badge file itself on a computer: Credly → the badge's "
                 "Share/Download option; Canvas Credentials/Badgr → Download Baked Image or "
                 "Download JSON; Accredible → Download Badge; Open Badge Passport → download "
                 "the baked badge. Or run `portfolio-gen add <badge page URL>`.")
_MAGIC = ((b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"), (b"%PDF", "a PDF"),
          (b"PK\x03\x04", "a ZIP archive or office document"), (b"\x00\x00\x00", "a media file"))


#: Codes whose hint already says what is wrong, so the technical reason is left out.
_SELF_EXPLAINED = frozenset({"no_badge", "not_a_badge", "too_large", "unknown_format"})


def file_kind(head: bytes) -> str | None:
    """``"a JPEG image"``, ``"a PDF"``… from the first bytes, or ``None``."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "a WebP image"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None


def explain(problem: IngestProblem, head: bytes = b"") -> str:
    """Why this file is not a badge and what to do instead, in a learner's words."""
    hint = hint_for(problem, head)
    if problem.code in _SELF_EXPLAINED or file_kind(head) is not None:
        return hint
    return f"{problem.reason} {hint}"


def hint_for(problem: IngestProblem, head: bytes = b"") -> str:
    """One or two sentences: what to do instead (for most codes, also what is wrong)."""
    code = problem.code
    kind = file_kind(head)
    if kind == "a PDF":
        return ("A PDF certificate holds no verifiable badge. Ask the issuer for the badge "
                "itself, or " + DOWNLOAD_HINT[0].lower() + DOWNLOAD_HINT[1:])
    if kind is not None and kind.endswith("image"):
        return (f"This is {kind}, which cannot carry badge data (a screenshot or a converted "
                "image?); " + DOWNLOAD_HINT)
    if code == "no_badge":
        return ("This PNG has no badge data baked in (a screenshot, a resized copy or an image "
                "saved on a phone?); " + DOWNLOAD_HINT)
    if code in ("png_truncated", "png_bad_crc", "png_malformed", "json_malformed",
                "json_bad_unicode", "xml_malformed", "jws_malformed", "empty"):
        return ("The file is damaged or incomplete (an interrupted download?); download it "
                "again, or run `portfolio-gen add <badge page URL>`.")
    if code == "not_a_badge" and b"UniversalWallet2020" in head:
        return ("This is a wallet backup holding your private keys: move it out of the "
                "portfolio folder and never publish it; `portfolio-gen add <backup file>` "
                "takes only its credentials.")
    if code == "not_a_badge" and b"VerifiablePresentation" in head:
        return "This is a wallet export; `portfolio-gen add <file>` splits it into badge files."
    if code == "not_a_badge":
        return ("This JSON is not an award (a badge description, issuer profile or key?); "
                "add the assertion or credential instead: " + DOWNLOAD_HINT)
    if code == "outside_folder":
        return ("Copy the badge file itself into badges/ instead of linking to a file "
                "elsewhere: a portfolio only publishes what is inside its own folder.")
    if code == "too_large":
        return "Badge files are small; this is probably something else. Move it out of badges/."
    if code == "unknown_format":
        return ("Only badge files belong here (Open Badges JSON, .jws/.jwt, baked PNG or SVG); "
                "move this file elsewhere, or " + DOWNLOAD_HINT[0].lower() + DOWNLOAD_HINT[1:])
    return "Fix or replace the file, or move it out of badges/ (see `portfolio-gen verify -v`)."
