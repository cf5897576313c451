"""Generate ``sample_portfolio/``: a fictional learner with verifiable Open Badges.

Run ``python scripts/make_sample.py [OUT]`` (default: ``sample_portfolio/`` beside this
script's folder). Everything is derived from fixed, labelled seeds and fixed dates, so running it
again writes the same bytes, except ECDSA signatures, which are randomised by design.

    SAMPLE / TEST-ONLY KEYS. Every private key used here is derived from a public seed string
    printed in this file. Anyone can recompute them: they prove nothing and must never sign a
    real credential.

The people, issuers, URLs (``*.example``) and credentials are fictional. Every issuer document a
verifier needs is written to ``pins/`` so the whole portfolio verifies offline on a fresh machine;
did:key and did:jwk issuers need no documents at all.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import math
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a source checkout
    sys.path.insert(0, str(ROOT))

from portfolio_gen.testing import ob3  # noqa: E402
from portfolio_gen.testing.bake import bake_png, bake_svg  # noqa: E402
from portfolio_gen.testing.keys import seeded_rsa  # noqa: E402
from portfolio_gen.testing.ob2 import TestIssuer, hashed_identity  # noqa: E402

#: Every key below is derived from this label plus a per-key name. SAMPLE / TEST-ONLY.
SEED_LABEL = "portfolio-gen sample portfolio: PUBLIC TEST-ONLY SEED, never for real credentials"
#: The instant the sample is meant to be judged at (mkdocs.yml ``now``; tests' FIXED_NOW).
SAMPLE_NOW = datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)
#: When the pinned issuer documents are recorded as fetched.
PINNED_AT = datetime(2026, 5, 31, 9, 0, 0, tzinfo=UTC)

LEARNER_NAME = "Maya Okafor"
LEARNER_EMAIL = "maya.okafor@example.org"
LEARNER_SALT = "c0ffee-sample-salt"
#: A classmate the sample holds one copied badge of (never in profile.yml identifiers).
CLASSMATE_DID = "did:web:sam-lee.example"
#: A file whose bytes may differ between runs (randomised ECDSA), compared by content in tests.
RANDOMISED: set[str] = set()


# -- deterministic test-only keys ---------------------------------------------------------------

def seed(name: str) -> bytes:
    """32 bytes derived from the public test-only seed label and ``name``."""
    return hashlib.sha256(f"{SEED_LABEL}/{name}".encode()).digest()


def ed25519_key(name: str) -> ed25519.Ed25519PrivateKey:
    """SAMPLE / TEST-ONLY Ed25519 key derived from a public seed."""
    return ed25519.Ed25519PrivateKey.from_private_bytes(seed(name))


def p256_key(name: str) -> ec.EllipticCurvePrivateKey:
    """SAMPLE / TEST-ONLY P-256 key derived from a public seed."""
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    return ec.derive_private_key(int.from_bytes(seed(name), "big") % (order - 1) + 1,
                                 ec.SECP256R1())


def rsa_key(name: str, bits: int = 2048) -> rsa.RSAPrivateKey:
    """SAMPLE / TEST-ONLY RSA key whose primes come from a PRNG seeded with a public seed."""
    return seeded_rsa(seed(name).hex(), bits)


# -- artwork ------------------------------------------------------------------------------------

def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def badge_art(colour: tuple[int, int, int], accent: tuple[int, int, int], shape: str,
              size: int = 160) -> bytes:
    """A badge picture: a hexagon in the issuer's colour with a simple emblem."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    c, r = size / 2, size * 0.47
    hexagon = [(c + r * math.cos(math.radians(60 * i - 90)),
                c + r * math.sin(math.radians(60 * i - 90))) for i in range(6)]
    draw.polygon(hexagon, fill=colour)
    inner = [(c + (x - c) * 0.82, c + (y - c) * 0.82) for x, y in hexagon]
    draw.polygon(inner, outline=accent, width=max(2, size // 40))
    s = size * 0.2
    if shape == "bars":
        for i, h in enumerate((0.5, 0.9, 0.7, 1.2)):
            x0 = c - 1.6 * s + i * 0.85 * s
            draw.rectangle((x0, c + s - h * s * 1.2, x0 + 0.6 * s, c + s), fill=accent)
    elif shape == "grid":
        for i in range(3):
            for j in range(3):
                x0, y0 = c - 1.3 * s + i * 0.9 * s, c - 1.3 * s + j * 0.9 * s
                draw.rectangle((x0, y0, x0 + 0.7 * s, y0 + 0.7 * s), fill=accent)
    elif shape == "star":
        points = [(c + (s * 1.5 if k % 2 == 0 else s * 0.6) * math.cos(math.radians(36 * k - 90)),
                   c + (s * 1.5 if k % 2 == 0 else s * 0.6) * math.sin(math.radians(36 * k - 90)))
                  for k in range(10)]
        draw.polygon(points, fill=accent)
    elif shape == "brackets":
        w = max(3, size // 28)
        draw.line([(c - 0.5 * s, c - s), (c - 1.3 * s, c), (c - 0.5 * s, c + s)], fill=accent,
                  width=w)
        draw.line([(c + 0.5 * s, c - s), (c + 1.3 * s, c), (c + 0.5 * s, c + s)], fill=accent,
                  width=w)
    else:  # "dot"
        draw.ellipse((c - s, c - s, c + s, c + s), fill=accent)
    return png_bytes(img)


def badge_svg(colour: str, accent: str, title: str) -> str:
    """A badge picture as SVG (for baked SVG badges)."""
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160" '
            'viewBox="0 0 160 160" role="img">'
            f"<title>{_xml(title)}</title>"
            f'<polygon points="80,5 145,42 145,118 80,155 15,118 15,42" fill="{colour}"/>'
            f'<polygon points="80,19 133,49 133,111 80,141 27,111 27,49" fill="none" '
            f'stroke="{accent}" stroke-width="4"/>'
            f'<path d="M52 96 L70 70 L88 84 L110 56" fill="none" stroke="{accent}" '
            'stroke-width="8" stroke-linecap="round" stroke-linejoin="round"/></svg>')


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def portrait() -> bytes:
    """The learner's (generated, fictional) photo."""
    size = 320
    img = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(img)
    for y in range(size):  # a soft vertical gradient
        t = y / size
        draw.line([(0, y), (size, y)],
                  fill=(int(38 + 40 * t), int(110 + 50 * t), int(140 + 30 * t)))
    draw.ellipse((40, 200, 280, 420), fill=(245, 166, 35))            # shoulders (jumper)
    draw.rectangle((140, 170, 180, 215), fill=(120, 78, 52))          # neck
    draw.ellipse((60, 40, 260, 190), fill=(34, 24, 20))               # hair
    draw.ellipse((95, 70, 225, 205), fill=(141, 92, 62))              # face
    draw.ellipse((128, 118, 142, 132), fill=(30, 20, 16))             # eyes
    draw.ellipse((178, 118, 192, 132), fill=(30, 20, 16))
    draw.arc((135, 140, 185, 180), start=20, end=160, fill=(90, 40, 30), width=4)  # smile
    return png_bytes(img)


# -- the portfolio being written ----------------------------------------------------------------

@dataclass
class Sample:
    """Files to write (path under the portfolio → bytes) and pinned documents (URL → body)."""

    files: dict[str, bytes] = field(default_factory=dict)
    pins: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    #: badge file name → the verdict the sample intends it to get offline at SAMPLE_NOW.
    expected: dict[str, str] = field(default_factory=dict)
    #: badge files issued to someone else (a verified proof, but not this learner's)
    not_recipient: list[str] = field(default_factory=list)

    def badge(self, name: str, data: bytes | str, verdict: str) -> None:
        self.files[f"badges/{name}"] = data.encode("utf-8") if isinstance(data, str) else data
        self.expected[name] = verdict

    def pin(self, url: str, body: bytes | Mapping[str, Any],
            content_type: str = "application/json") -> None:
        data = body if isinstance(body, bytes) else json.dumps(body, indent=2).encode("utf-8")
        self.pins[url] = (data, content_type)


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def day(year: int, month: int, dd: int, hour: int = 10) -> datetime:
    return datetime(year, month, dd, hour, 0, 0, tzinfo=UTC)


# -- issuer 1: Northbridge Community College (Open Badges 2.0, RSA) ----------------------------

NORTHBRIDGE = "https://badges.northbridge-college.example"
SFIA = "SFIA 9"
SFIA_URL = "https://sfia-online.org/en/sfia-9/skills/"


def sfia(name: str, code: str, slug: str, description: str) -> dict[str, str]:
    return {"targetName": name, "targetFramework": SFIA, "targetCode": code,
            "targetUrl": SFIA_URL + slug, "targetDescription": description}


def northbridge(sample: Sample) -> None:
    """Five OB 2.0 badges: hosted (baked PNG, JSON), signed (baked SVG, JWS), expired, revoked."""
    issuer = TestIssuer(NORTHBRIDGE, name="Northbridge Community College",
                        key=rsa_key("northbridge-college/rsa-2048"))
    issuer.profile_extra = {
        "url": "https://www.northbridge-college.example/",
        "email": "badges@northbridge-college.example",
        "description": "A community college offering evening and online courses in digital "
                       "and data skills.",
        "image": data_uri(badge_art((20, 70, 120), (255, 255, 255), "dot", 96)),
    }
    recipient: dict[str, Any] = {"recipient": LEARNER_EMAIL, "salt": LEARNER_SALT}
    badge_classes: dict[str, dict[str, Any]] = {}

    def use_badge(slug: str, name: str, description: str, criteria: str,
                  alignment: list[dict[str, str]], art: bytes, tags: list[str]) -> None:
        issuer.badge_url = issuer.url(f"/badges/{slug}.json")
        issuer.badge_extra = {
            "name": name, "description": description, "image": data_uri(art),
            "criteria": {"id": issuer.url(f"/badges/{slug}/criteria"), "narrative": criteria},
            "alignment": alignment, "tags": tags,
        }
        badge_classes[issuer.badge_url] = issuer.badge_class()

    teal, white = (0, 121, 107), (255, 255, 255)

    # 1. Hosted assertion, baked into a PNG.
    art = badge_art(teal, white, "grid")
    use_badge("spreadsheet-foundations", "Spreadsheet Foundations",
              "Cleans, structures and summarises tabular data in a spreadsheet.",
              "The learner completed **six graded workbooks** and a final task:\n\n"
              "1. Clean a messy export of 2,000 rows (types, duplicates, blanks).\n"
              "2. Build a pivot table answering three stakeholder questions.\n"
              "3. Explain the result in a one-page note.\n\n"
              "Passing mark: 70% on each workbook.",
              [sfia("Data management", "DATM", "data-management",
                    "Managing data as an asset: quality, structure and lifecycle.")],
              art, ["spreadsheets", "data cleaning"])
    doc = issuer.hosted_assertion(
        "spreadsheet-foundations-mo", issued_on=day(2024, 11, 22), **recipient,
        evidence=[{"id": "https://portfolio.maya-okafor.example/work/bike-share-workbook",
                   "name": "Bike-share usage workbook",
                   "narrative": "Final workbook: a cleaned year of bike-share trips, "
                                "summarised by station and month.",
                   "genre": "Workbook"}])
    sample.badge("northbridge-spreadsheet-foundations.png",
                 bake_png(art, json.dumps(doc, indent=2)), "verified")

    # 2. Hosted assertion as a JSON file.
    art = badge_art((94, 53, 177), white, "dot")
    use_badge("data-ethics-essentials", "Data Ethics Essentials",
              "Recognises privacy, consent and bias issues in everyday data work.",
              "Completed the four-week course and wrote a **case analysis** of a public "
              "dataset, identifying personal data, consent gaps and a mitigation plan.",
              [sfia("Information and data compliance", "PEDP",
                    "information-and-data-compliance",
                    "Implementing and promoting compliance with information and data "
                    "management legislation.")],
              art, ["ethics", "privacy"])
    doc = issuer.hosted_assertion("data-ethics-essentials-mo", issued_on=day(2025, 2, 14),
                                  **recipient)
    sample.badge("northbridge-data-ethics-essentials.json", json.dumps(doc, indent=2),
                 "verified")

    # 3. Signed assertion baked into an SVG.
    use_badge("sql-for-analysts", "SQL for Analysts",
              "Writes SQL queries that join, filter and aggregate relational data.",
              "Passed a two-hour practical exam: **12 queries** against a retail database, "
              "including window functions and a query-plan explanation.",
              [sfia("Data modelling and design", "DTAN", "data-modelling-and-design",
                    "Developing models and diagrams to represent and communicate data "
                    "requirements."),
               {"targetName": "Structured Query Language (SQL)",
                "targetFramework": "Northbridge Digital Skills Framework",
                "targetCode": "NDSF-D3.2",
                "targetUrl": "https://www.northbridge-college.example/frameworks/ndsf#D3.2"}],
              badge_art((21, 101, 192), white, "bars"), ["sql", "databases"])
    jws = issuer.signed_assertion("sql-for-analysts-mo", issued_on=day(2025, 4, 3),
                                  assertion_id=issuer.url("/assertions/sql-for-analysts-mo"),
                                  **recipient)
    sample.badge("northbridge-sql-for-analysts.svg",
                 bake_svg(badge_svg("#1565c0", "#ffffff", "SQL for Analysts"), jws=jws,
                          ob3=False), "verified")

    # 4. Signed assertion that has expired.
    use_badge("statistics-i", "Statistics I",
              "Describes data with summary statistics and tests simple hypotheses.",
              "Completed weekly problem sets and a proctored exam (score ≥ 65%). "
              "This badge is valid for one year.",
              [sfia("Data science", "DATS", "data-science",
                    "Applying mathematics, statistics, data mining and predictive modelling "
                    "techniques to gain insights.")],
              badge_art((198, 40, 40), white, "star"), ["statistics"])
    jws = issuer.signed_assertion("statistics-i-mo", issued_on=day(2024, 9, 30),
                                  expires=day(2025, 9, 30),
                                  assertion_id=issuer.url("/assertions/statistics-i-mo"),
                                  **recipient)
    sample.badge("northbridge-statistics-i.jws", jws + "\n", "expired")

    # 5. Signed assertion the college has revoked.
    use_badge("intro-to-python", "Introduction to Python",
              "Writes small Python programs using functions, lists and dictionaries.",
              "Submitted five programming exercises that pass the automated tests.",
              [sfia("Programming/software development", "PROG",
                    "programming-software-development",
                    "Developing software components to deliver value to stakeholders.")],
              badge_art((255, 179, 0), (33, 33, 33), "brackets"), ["python", "programming"])
    revoked_id = issuer.url("/assertions/intro-to-python-mo")
    jws = issuer.signed_assertion("intro-to-python-mo", issued_on=day(2024, 10, 12),
                                  assertion_id=revoked_id, **recipient)
    issuer.revoke(revoked_id, "Issued in error: the final exercise was graded against the "
                              "wrong cohort's tests. A replacement is being issued.")
    sample.badge("northbridge-intro-to-python.jws", jws + "\n", "revoked")

    for url, body in issuer.url_map().items():
        sample.pin(url, body)
    for url, bc in badge_classes.items():
        sample.pin(url, bc)


# -- Open Badges 3.0 helpers --------------------------------------------------------------------

OB3_CONTEXT = [ob3.VC_V2, ob3.OB_303]
ED25519_2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"


def seeded_issuer(private_key: ob3.PrivateKey, key_type: ob3.KeyType, method: ob3.Method,
                  name: str, host: str | None = None) -> ob3.Ob3Issuer:
    """An :class:`Ob3Issuer` whose key is a SAMPLE / TEST-ONLY key derived from a seed."""
    issuer = ob3.Ob3Issuer("Ed25519", "did:key", name=name)  # then given the seeded key
    issuer.key_type = key_type
    issuer.private_key = private_key
    issuer.method = method
    issuer.host_port = host
    if method == "did:key":
        issuer.id = ob3.did_key(private_key)
        issuer.vm_id = f"{issuer.id}#{issuer.id[len('did:key:'):]}"
    elif method == "did:jwk":
        issuer.id = ob3.did_jwk(private_key)
        issuer.vm_id = f"{issuer.id}#0"
    else:
        assert host is not None
        issuer.id = ob3.did_web(host)
        issuer.vm_id = f"{issuer.id}#key-1"
    return issuer


LEARNER_DID = ob3.did_key(ed25519_key("learner/maya-okafor/ed25519"))


def learner_subject(achievement: dict[str, Any], *, by_email: bool = False,
                    **extra: Any) -> dict[str, Any]:
    """credentialSubject naming Maya by DID, or by a hashed email identifier."""
    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if by_email:
        subject["identifier"] = [{
            "type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
            "identityHash": hashed_identity(LEARNER_EMAIL, LEARNER_SALT),
            "salt": LEARNER_SALT}]
    else:
        subject["id"] = LEARNER_DID
    subject["achievement"] = achievement
    subject.update(extra)
    return subject


def achievement(issuer_url: str, slug: str, name: str, *, kind: str, description: str,
                criteria: str, art: bytes, alignment: list[dict[str, Any]],
                **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": f"{issuer_url}/achievements/{slug}",
        "type": ["Achievement"],
        "achievementType": kind,
        "name": name,
        "description": description,
        "criteria": {"id": f"{issuer_url}/achievements/{slug}#criteria", "narrative": criteria},
        "image": {"id": data_uri(art), "type": "Image", "caption": f"{name} badge"},
        "alignment": alignment,
    }
    doc.update(extra)
    return doc


def align(name: str, framework: str, code: str, url: str, kind: str = "CFItem",
          ) -> dict[str, Any]:
    return {"type": ["Alignment"], "targetName": name, "targetFramework": framework,
            "targetCode": code, "targetUrl": url, "targetType": kind}


def sfia3(name: str, code: str, slug: str) -> dict[str, Any]:
    return align(name, SFIA, code, SFIA_URL + slug, "ext:SFIASkill")


def ob3_credential(issuer: ob3.Ob3Issuer, profile: dict[str, Any], cred_id: str, name: str,
                   subject: dict[str, Any], valid_from: datetime,
                   **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": list(OB3_CONTEXT),
        "id": cred_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer.id, "type": ["Profile"], **profile},
        "validFrom": iso(valid_from),
        "name": name,
        "credentialSubject": subject,
    }
    doc.update(extra)
    return doc


def sign_jwt_deterministic(issuer: ob3.Ob3Issuer, document: Mapping[str, Any]) -> str:
    """A VC-JWT (credential as payload); ECDSA uses RFC 6979 nonces where available."""
    key = issuer.private_key
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        return issuer.sign_jwt(document)
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    from portfolio_gen.encoding import b64url_encode

    header = {"alg": "ES256", "typ": "JWT", "kid": issuer.vm_id}
    head = b64url_encode(json.dumps(header, separators=(",", ":")).encode())
    signing_input = f"{head}.{b64url_encode(json.dumps(dict(document)).encode())}"
    try:
        algorithm = ec.ECDSA(hashes.SHA256(), deterministic_signing=True)
    except TypeError:  # cryptography < 44: random nonces
        algorithm = ec.ECDSA(hashes.SHA256())
    r, s = decode_dss_signature(key.sign(signing_input.encode("ascii"), algorithm))
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return f"{signing_input}.{b64url_encode(signature)}"


def dumps(doc: Mapping[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# -- issuer 2: Civic Data Lab (OB 3.0, did:key, Data Integrity) --------------------------------

CIVIC = "https://civicdatalab.example"


def civic_data_lab(sample: Sample) -> None:
    """Four Data Integrity credentials: eddsa-rdfc-2022 (JSON, baked PNG), Ed25519Signature2020,
    and one altered after signing."""
    issuer = seeded_issuer(ed25519_key("civic-data-lab/ed25519"), "Ed25519", "did:key",
                           "Civic Data Lab")
    profile = {"name": "Civic Data Lab", "url": CIVIC + "/",
               "description": "A non-profit that trains volunteers to work with open "
                              "government data.",
               "image": {"id": data_uri(badge_art((46, 125, 50), (255, 255, 255), "dot", 96)),
                         "type": "Image", "caption": "Civic Data Lab logo"}}
    green, white = (46, 125, 50), (255, 255, 255)

    art = badge_art((0, 137, 123), white, "bars")
    doc = ob3_credential(
        issuer, profile, "urn:uuid:5b0f3c1e-8d2a-4f61-9a77-2c4e1d6b9a01",
        "Data Visualisation with Python",
        learner_subject(achievement(
            CIVIC, "data-visualisation-python", "Data Visualisation with Python",
            kind="Course", art=art,
            description="Turns tabular data into clear, honest charts with pandas and "
                        "matplotlib.",
            criteria="Complete the 6-week course and publish a **visual essay** of at least "
                     "five charts, each with a sentence a non-specialist can check.\n\n"
                     "Assessed against the Lab's chart checklist (labelling, scales, colour "
                     "contrast, source notes).",
            alignment=[sfia3("Data visualisation", "VISL", "data-visualisation"),
                       align("Python (programming language)", "ESCO",
                             "ESCO skill: Python",
                             "https://esco.ec.europa.eu/en/classification/skill_main",
                             "ext:ESCOSkill")],
            creditsAvailable=3.0,
            resultDescription=[{"id": f"{CIVIC}/achievements/data-visualisation-python#grade",
                                "type": ["ResultDescription"], "name": "Final grade",
                                "resultType": "LetterGrade",
                                "allowedValue": ["A", "B", "C", "D"]}]),
            creditsEarned=3.0,
            result=[{"type": ["Result"],
                     "resultDescription": f"{CIVIC}/achievements/data-visualisation-python#grade",
                     "value": "A"}]),
        day(2025, 6, 27),
        evidence=[{"id": "https://maya-okafor.example/essays/bike-share-in-five-charts",
                   "type": ["Evidence"], "name": "Bike-share in five charts",
                   "narrative": "Visual essay on a year of city bike-share trips.",
                   "genre": "Visual essay"}])
    sample.badge("civic-data-lab-data-visualisation-with-python.json",
                 dumps(issuer.sign_di(doc, created="2025-06-27T10:00:00Z")), "verified")

    art = badge_art((0, 96, 100), white, "grid")
    doc = ob3_credential(
        issuer, profile, "urn:uuid:5b0f3c1e-8d2a-4f61-9a77-2c4e1d6b9a02", "Dashboard Design",
        learner_subject(achievement(
            CIVIC, "dashboard-design", "Dashboard Design", kind="Badge", art=art,
            description="Designs a one-page dashboard with its users and tests it with them.",
            criteria="Deliver a dashboard for a real community partner, run a usability "
                     "test with **at least three users**, and document the changes made.",
            alignment=[sfia3("User experience design", "HCEV", "user-experience-design"),
                       sfia3("Data visualisation", "VISL", "data-visualisation")]),
            by_email=True),
        day(2025, 9, 12))
    signed = issuer.sign_di(doc, created="2025-09-12T10:00:00Z")
    sample.badge("civic-data-lab-dashboard-design.png",
                 bake_png(art, dumps(signed), keyword="openbadgecredential"), "verified")

    art = badge_art(green, (255, 213, 79), "star")
    doc = ob3_credential(
        issuer, profile, "urn:uuid:5b0f3c1e-8d2a-4f61-9a77-2c4e1d6b9a03", "Open Data Publishing",
        learner_subject(achievement(
            CIVIC, "open-data-publishing", "Open Data Publishing", kind="Badge", art=art,
            description="Publishes a dataset with a licence, a data dictionary and metadata "
                        "others can find.",
            criteria="Publish one dataset on the Lab's portal that passes the **open data "
                     "checklist**: open licence, machine-readable format, data dictionary, "
                     "update schedule.",
            alignment=[sfia3("Data management", "DATM", "data-management")])),
        day(2025, 11, 5))
    doc["@context"] = [*OB3_CONTEXT, ED25519_2020_CONTEXT]
    sample.badge("civic-data-lab-open-data-publishing.json",
                 dumps(issuer.sign_di(doc, "Ed25519Signature2020",
                                      created="2025-11-05T10:00:00Z")), "verified")

    # Tampered: the grade was raised after the Lab signed the credential.
    art = badge_art((121, 85, 72), white, "dot")
    doc = ob3_credential(
        issuer, profile, "urn:uuid:5b0f3c1e-8d2a-4f61-9a77-2c4e1d6b9a04", "Data Storytelling",
        learner_subject(achievement(
            CIVIC, "data-storytelling", "Data Storytelling", kind="Badge", art=art,
            description="Presents findings as a short narrative for a decision-maker.",
            criteria="Give a 5-minute briefing built on one dataset, graded by two mentors.",
            alignment=[sfia3("Data visualisation", "VISL", "data-visualisation")],
            resultDescription=[{"id": f"{CIVIC}/achievements/data-storytelling#grade",
                                "type": ["ResultDescription"], "name": "Mentor grade",
                                "resultType": "LetterGrade",
                                "allowedValue": ["Distinction", "Merit", "Pass"]}]),
            result=[{"type": ["Result"],
                     "resultDescription": f"{CIVIC}/achievements/data-storytelling#grade",
                     "value": "Merit"}]),
        day(2026, 3, 20))
    signed = issuer.sign_di(doc, created="2026-03-20T10:00:00Z")
    signed["credentialSubject"]["result"][0]["value"] = "Distinction"
    sample.badge("civic-data-lab-data-storytelling.json", dumps(signed), "invalid")

    # Someone else's: a classmate's genuine badge copied into this folder. Its proof verifies,
    # but its recipient is not Maya, so the site says "not issued to this learner".
    art = badge_art((69, 90, 100), white, "grid")
    doc = ob3_credential(
        issuer, profile, "urn:uuid:5b0f3c1e-8d2a-4f61-9a77-2c4e1d6b9a05", "Data Cleaning",
        learner_subject(achievement(
            CIVIC, "data-cleaning", "Data Cleaning", kind="Badge", art=art,
            description="Cleans a messy public dataset and documents every change.",
            criteria="Submit a cleaned dataset with a change log a reviewer can replay.",
            alignment=[sfia3("Data engineering", "DENG", "data-engineering")])),
        day(2026, 2, 10))
    doc["credentialSubject"]["id"] = CLASSMATE_DID
    sample.badge("civic-data-lab-data-cleaning-classmate.json",
                 dumps(issuer.sign_di(doc, created="2026-02-10T10:00:00Z")), "verified")
    sample.not_recipient.append("civic-data-lab-data-cleaning-classmate.json")


# -- issuer 3: Meridian University (OB 3.0, did:web, RSA, VC-JWT, status list) -----------------

MERIDIAN_HOST = "meridian-university.example"
MERIDIAN = f"https://{MERIDIAN_HOST}"


def meridian(sample: Sample) -> None:
    """Two VC-JWTs (RS256): a .jwt file with a Bitstring status entry, and a baked SVG."""
    issuer = seeded_issuer(rsa_key("meridian-university/rsa-2048"), "RSA", "did:web",
                           "Meridian University", MERIDIAN_HOST)
    profile = {"name": "Meridian University", "url": MERIDIAN + "/",
               "description": "Meridian University's School of Continuing Studies offers "
                              "stackable micro-credentials."}
    status_url = f"{MERIDIAN}/credentials/status/2025-a"
    status = issuer.status_list_credential(status_url, bits=[7, 19], validFrom=iso(day(2026, 5,
                                                                                         30)))
    sample.pin(status_url, issuer.sign_jwt(status).encode("ascii"), "application/vc+jwt")
    sample.pin(f"{MERIDIAN}/.well-known/did.json", issuer.controller_document(),
               "application/did+json")

    art = badge_art((57, 73, 171), (255, 255, 255), "bars")
    doc = ob3_credential(
        issuer, profile, f"{MERIDIAN}/credentials/9f1d2c", "Applied Statistics for Data Analysis",
        learner_subject(achievement(
            MERIDIAN, "applied-statistics", "Applied Statistics for Data Analysis",
            kind="MicroCredential", art=art,
            description="Chooses, runs and explains statistical tests and regression models "
                        "for real-world data.",
            criteria="Pass **four assessed labs** (sampling, inference, regression, "
                     "experiment design) and a final report, each at 60% or more.",
            alignment=[sfia3("Data science", "DATS", "data-science"),
                       align("Statistical analysis", "Meridian Competency Framework",
                             "MCF-QA-204", f"{MERIDIAN}/frameworks/mcf#QA-204")],
            creditsAvailable=10.0,
            fieldOfStudy="Statistics",
            resultDescription=[{"id": f"{MERIDIAN}/achievements/applied-statistics#score",
                                "type": ["ResultDescription"], "name": "Final score",
                                "resultType": "Percent"}]),
            creditsEarned=10.0,
            result=[{"type": ["Result"],
                     "resultDescription": f"{MERIDIAN}/achievements/applied-statistics#score",
                     "value": "78"}]),
        day(2025, 12, 15),
        credentialStatus=issuer.status_entry(status_url, 42))
    sample.badge("meridian-applied-statistics.jwt", issuer.sign_jwt(doc) + "\n", "verified")

    doc = ob3_credential(
        issuer, profile, f"{MERIDIAN}/credentials/a7c310", "Machine Learning Basics",
        learner_subject(achievement(
            MERIDIAN, "machine-learning-basics", "Machine Learning Basics",
            kind="MicroCredential", art=badge_art((48, 63, 159), (255, 255, 255), "grid"),
            description="Trains, evaluates and explains simple supervised-learning models.",
            criteria="Build a classifier on a provided dataset, report precision and recall "
                     "on a held-out set, and explain one failure case.",
            alignment=[sfia3("Machine learning", "MLNG", "machine-learning")],
            creditsAvailable=5.0),
            by_email=True, creditsEarned=5.0),
        day(2026, 4, 24))
    sample.badge("meridian-machine-learning-basics.svg",
                 bake_svg(badge_svg("#303f9f", "#ffffff", "Machine Learning Basics"),
                          jws=issuer.sign_jwt(doc), ob3=True), "verified")


# -- issuer 4: Harbour Tech Meetup (OB 3.0, did:jwk, ES256 VC-JWT) -----------------------------

def harbour_tech(sample: Sample) -> None:
    issuer = seeded_issuer(p256_key("harbour-tech-meetup/p-256"), "P-256", "did:jwk",
                           "Harbour Tech Meetup")
    profile = {"name": "Harbour Tech Meetup", "url": "https://harbourtech.example/",
               "description": "A monthly volunteer-run meetup for people working with data "
                              "and software around the harbour."}
    doc = ob3_credential(
        issuer, profile, "urn:uuid:0c9e7d52-3a1b-4e8f-b6d4-7e2f9a1c5b03", "Community Speaker",
        learner_subject(achievement(
            "https://harbourtech.example", "community-speaker", "Community Speaker",
            kind="Award", art=badge_art((239, 108, 0), (255, 255, 255), "star"),
            description="Gave a talk at a Harbour Tech Meetup evening.",
            criteria="Present a talk of 10 minutes or more at a meetup and take audience "
                     "questions.",
            alignment=[align("Presenting information", "ESCO", "ESCO skill: presenting",
                             "https://esco.ec.europa.eu/en/classification/skill_main",
                             "ext:ESCOSkill")])),
        day(2026, 2, 10),
        evidence=[{"id": "https://harbourtech.example/talks/2026-02-bike-share",
                   "type": ["Evidence"], "name": "Talk: What a year of bike-share data says",
                   "genre": "Presentation"}])
    name = "harbour-tech-community-speaker.jwt"
    sample.badge(name, sign_jwt_deterministic(issuer, doc) + "\n", "verified")
    RANDOMISED.add(name)


# -- profile, reflections, pathways, site -------------------------------------------------------

PROFILE = f"""\
# SAMPLE PORTFOLIO: a fictional learner made by scripts/make_sample.py.
name: {LEARNER_NAME}
headline: Junior data analyst · learning in public
photo: photo.png
photo_alt: Illustrated portrait of Maya Okafor, smiling, in a yellow jumper
bio: |
  I moved from retail management into data work in 2024. I study evenings at
  Northbridge Community College and online with the Civic Data Lab, and I write
  about what I learn here. I like questions that start with a spreadsheet and end
  with a decision.
links:
  - label: Personal site
    url: "https://maya-okafor.example/"
  - label: GitHub
    url: "https://github.example/maya-okafor"
  - label: Email
    url: "mailto:hello@maya-okafor.example"
# Used only to check that badges were issued to Maya; never printed on the site.
identifiers:
  - {LEARNER_EMAIL}
  - {LEARNER_DID}
"""

REFLECTIONS: dict[str, str] = {
    "asking-better-questions-with-sql.md": """\
---
title: Asking better questions with SQL
date: 2025-04-10
credentials: [SQL for Analysts, Spreadsheet Foundations]
skills: [SQL, Data modelling]
tags: [databases, exam]
---

For months I answered every question with a pivot table. The **SQL for Analysts**
exam made me admit that some questions are easier to ask of a database than of a sheet.

## What clicked

- A `JOIN` is just the lookup I used to do by hand, done for every row at once.
- Window functions (`ROW_NUMBER() OVER (...)`) replaced three helper columns.
- Reading a query plan told me *why* my first attempt took forty seconds.

## What I'd do differently

I memorised syntax before I understood the data model. Next time I will sketch
the tables on paper first.
""",
    "my-first-dashboard.md": """\
---
title: My first dashboard, and what the users told me
date: 2025-09-18
credentials: [Dashboard Design, Data Visualisation with Python]
skills: [Data visualisation, User research]
tags: [project, dashboards]
---

The Civic Data Lab project asked us to build a dashboard for a neighbourhood
association. My first version had eleven charts. The association used two.

I cut it down to a single page with one headline number, one trend and one map,
then tested it with three members. Two of them read the trend line the wrong way
round, so I added direct labels instead of a legend.

> A chart is finished when the reader can't misread it, not when I run out of ideas.
""",
    "data-ethics-in-cleaning.md": """\
---
title: Data ethics starts in the cleaning step
date: 2025-03-02
credentials: [Data Ethics Essentials]
skills: [Data protection, Data cleaning]
tags: [ethics]
---

I used to think ethics was about what you publish. The case analysis for
**Data Ethics Essentials** showed me it starts much earlier: the free-text
"notes" column in our dataset held names and phone numbers.

Now every cleaning script I write starts with a check for personal data, and
I keep a short log of what I removed and why.
""",
    "speaking-at-harbour-tech.md": """\
---
title: Speaking at Harbour Tech for the first time
date: 2026-02-12
credentials: [Community Speaker]
skills: [Public speaking, Data storytelling]
tags: [community]
---

Ten minutes, thirty people, one story about bike-share data. I rehearsed it
six times and still forgot my second slide. Nobody noticed.

What worked: starting with a question from the audience's own commute.
What I'll change: fewer numbers per slide, and a printed backup of the demo.
""",
    "statistics-twice.md": """\
---
title: Learning statistics twice
date: 2026-01-20
credentials: [Statistics I, Applied Statistics for Data Analysis]
skills: [Statistics, Hypothesis testing]
tags: [statistics, reflection]
---

My **Statistics I** badge has expired: the college makes it valid for a year,
on purpose. Taking *Applied Statistics* at Meridian felt like learning the same
things for the second time, but the second time I knew why I needed them.

The difference: in the first course I computed p-values; in the second I had
to explain to a non-statistician what a confidence interval does *not* mean.
""",
}

PATHWAYS = """\
# Two stacks of credentials. Progress counts verified credentials only.
pathways:
  - name: Data Analyst Foundations
    description: |
      The core of an entry-level analyst role: getting data into shape, querying it
      and showing it clearly, with an eye on ethics.
    required:
      - Spreadsheet Foundations
      - SQL for Analysts
      - Data Visualisation with Python
    groups:
      - name: Responsible data
        choose: 1
        of:
          - Data Ethics Essentials
          - Open Data Publishing
  - name: Machine Learning Practitioner
    description: |
      From programming basics to a supervised-learning project. In progress.
    required:
      - Introduction to Python
      - Applied Statistics for Data Analysis
      - Machine Learning Basics
    groups:
      - name: Communication
        choose: 1
        of:
          - Dashboard Design
          - Community Speaker
    capstone: Machine Learning Capstone Project
"""

ABOUT = """\
# About this sample

This portfolio is **fictional**. Maya Okafor, Northbridge Community College, the Civic
Data Lab, Meridian University and Harbour Tech Meetup do not exist, and every `*.example`
address is reserved for examples.

It was generated by `scripts/make_sample.py` to show what portfolio-gen makes of real
Open Badges 2.0 and 3.0 credentials, including ones that fail verification: one has
expired, one was revoked by its issuer and one was altered after it was signed.

The keys that signed these credentials are derived from a public seed written in that
script. They are for testing only and prove nothing about real credentials.
"""


def base_files(sample: Sample) -> None:
    sample.files["profile.yml"] = PROFILE.encode("utf-8")
    sample.files["photo.png"] = portrait()
    sample.files["pathways.yml"] = PATHWAYS.encode("utf-8")
    sample.files["docs/about.md"] = ABOUT.encode("utf-8")
    for name, text in REFLECTIONS.items():
        sample.files[f"reflections/{name}"] = text.encode("utf-8")


# -- writing ------------------------------------------------------------------------------------

#: Everything the script writes lives in these (they are emptied first).
GENERATED = ("badges", "reflections", "pins", "docs")

BUILDERS: tuple[Callable[[Sample], None], ...] = (base_files, northbridge, civic_data_lab,
                                                   meridian, harbour_tech)


def build_sample() -> Sample:
    sample = Sample()
    for builder in BUILDERS:
        builder(sample)
    return sample


def write_pins(folder: Path, pins: Mapping[str, tuple[bytes, str]]) -> None:
    from portfolio_gen.net.fetch import FetchResult
    from portfolio_gen.net.store import PinStore

    store = PinStore(folder)
    for url in sorted(pins):
        body, content_type = pins[url]
        store.put(FetchResult(url, url, 200, content_type, body, PINNED_AT, "pinned"))


def write_sample(out: Path) -> Sample:
    sample = build_sample()
    out.mkdir(parents=True, exist_ok=True)
    for sub in GENERATED:
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    for rel, data in sorted(sample.files.items()):
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    write_pins(out / "pins", sample.pins)
    expected = {"now": iso(SAMPLE_NOW), "identities": [LEARNER_EMAIL, LEARNER_DID],
                "randomised": sorted(RANDOMISED),
                "not_recipient": sorted(sample.not_recipient),
                "verdicts": dict(sorted(sample.expected.items()))}
    (out / "expected.json").write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")
    return sample


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "sample_portfolio"
    sample = write_sample(out)
    sys.stdout.write(f"wrote {len(sample.files)} files, {len(sample.expected)} badges and "
                     f"{len(sample.pins)} pinned documents to {out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
