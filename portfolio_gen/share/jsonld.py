"""schema.org JSON-LD: ``EducationalOccupationalCredential`` per credential, ``Person`` home.

Serialised for a ``<script type="application/ld+json">`` block with ``<``, ``>``, ``&`` and
the JS line separators escaped as ``\\uXXXX``, so a badge name such as ``</script>`` cannot
end the block; the JSON still parses to the same strings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from markupsafe import Markup

from portfolio_gen.share.info import ShareInfo
from portfolio_gen.verify.report import Verdict

_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                          "\u2028": "\\u2028", "\u2029": "\\u2029"})
_SPLIT_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat().replace("+00:00", "Z")


def credential_category(achievement_type: str | None) -> str:
    """OB 3.0 ``achievementType`` (``MicroCredential``, ``ext:Foo``) as words; ``badge`` else."""
    if not achievement_type:
        return "badge"
    name = achievement_type.split(":", 1)[1] if achievement_type.startswith("ext:") else (
        achievement_type)
    return " ".join(_SPLIT_CAMEL.sub(" ", name).split()).lower() or "badge"


def _drop_empty(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if v not in (None, "", [], {})}


def credential_jsonld(info: ShareInfo) -> dict[str, Any]:
    """The credential as schema.org data (its verification result is not a schema.org term,
    so a failed credential is described only, never asserted as valid)."""
    issuer = _organization(info)
    competencies = [
        _drop_empty({"@type": "DefinedTerm", "name": s.name, "url": s.url, "termCode": s.code,
                     "inDefinedTermSet": s.framework})
        for s in info.skills
    ]
    doc = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalCredential",
        "name": info.name,
        "description": info.description,
        "credentialCategory": credential_category(info.achievement_type),
        "recognizedBy": issuer,
        "dateCreated": _iso(info.issued),
        "expires": _iso(info.expires),
        "competencyRequired": competencies,
        "url": info.page_url,
    }
    if info.learner_name:
        doc["about"] = {"@type": "Person", "name": info.learner_name}
    return _drop_empty(doc)


def _organization(info: ShareInfo) -> dict[str, Any]:
    """The issuer as schema.org sees it. Only an anchored issuer is named as an organisation
    plainly (with the address that anchors it); a name nothing anchors is given in the honest
    words the page uses, so no search result shows "recognized by Harvard University"."""
    if info.issuer_anchored:
        return _drop_empty({"@type": "Organization", "name": info.issuer_name,
                            "url": info.issuer_url, "description": info.issued_by})
    return {"@type": "Organization", "name": info.issuer_words, "description": info.issued_by}


def person_jsonld(name: str, *, url: str | None, description: str | None = None,
                  credentials: Sequence[ShareInfo] = ()) -> dict[str, Any]:
    """The learner, with only verified credentials listed as held."""
    held = [_drop_empty({"@type": "EducationalOccupationalCredential", "name": c.name,
                         "url": c.page_url,
                         "recognizedBy": _organization(c)})
            for c in credentials if c.verdict is Verdict.VERIFIED]
    return _drop_empty({"@context": "https://schema.org", "@type": "Person", "name": name,
                        "url": url, "description": description, "hasCredential": held})


def dumps_for_script(doc: dict[str, Any]) -> str:
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.translate(_ESCAPES)


def script_block(doc: dict[str, Any]) -> Markup:
    return Markup(f'<script type="application/ld+json">{dumps_for_script(doc)}</script>')
