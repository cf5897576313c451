"""A cohort made by ``benchmarks/make_cohort.py`` plus learners who attack it (issue #11).

Why a fixture of its own: a careers office builds one site from folders it did not
write. Each hostile learner below tries one way to turn the cohort build against the
site, the build machine or a classmate; the tests build the result through
``portfolio-gen cohort build`` and check that none of it worked.

* ``mallory-paths``: plugin options and profile pointing outside the folder (an absolute
  reflections folder, a non-consenting classmate's badges, a system file and a staff
  secret as photo).
* ``mallory-links``: symlinks inside ``badges/`` and ``reflections/`` leaving the folder.
* ``mallory-script``: a name, headline and bio with markup; reflections with raw
  ``<script>``, ``<img onerror>``, ``<iframe src=javascript:>``, ``javascript:`` links,
  hostile titles, and attachments a browser would run (.html, .svg, .js, .xml).
* ``petra-plain``: credentials naming her by plain email and phone (no opt-in).
* ``olga-optin``: the same, with ``publish_originals: true``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from portfolio_gen.testing.cohort import NOW, issuers, ob2_badge_class

ROOT = Path(__file__).resolve().parents[2]
STAFF_SECRET = "STAFF-SECRET-7f3a9c"
#: make_cohort: learner i has no consent when i % 7 == 3.
VICTIM = 3
ALERTS = ("alert", "confirm", "prompt")


@dataclass(frozen=True)
class HostileCohort:
    root: Path                 # holds cohort/, staff-secrets/
    cohort_file: Path
    victim_folder: Path        # the non-consenting classmate
    victim_name: str
    victim_ids: tuple[str, ...]
    emails: tuple[str, ...]    # every learner's plain email, except the opted-in one
    phones: tuple[str, ...]
    optin_email: str


def make_hostile_cohort(root: Path, n: int = 6, m: int = 3) -> HostileCohort:
    """``benchmarks/make_cohort.py n m`` into ``root/cohort``, then the hostile learners."""
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_cohort.py"), str(n), str(m),
                    str(root / "cohort"), "--workers", "1"], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True)
    learners = root / "cohort" / "learners"
    secrets = root / "staff-secrets"
    secrets.mkdir()
    (secrets / "notes.txt").write_text(f"salary review {STAFF_SECRET}\n", encoding="utf-8")
    (secrets / "notes.md").write_text(f"# Staff only\n\n{STAFF_SECRET}\n", encoding="utf-8")
    (secrets / "secret.png").write_bytes(_png_with(STAFF_SECRET))
    victim = learners / f"learner-{VICTIM:05d}"
    victim_profile = yaml.safe_load((victim / "profile.yml").read_text(encoding="utf-8"))
    assert victim_profile["showcase_consent"] is False
    victim_ids = tuple(_credential_ids(victim / "badges"))
    template = learners / "learner-00000"

    _paths(learners / "mallory-paths", template, secrets)
    _links(learners / "mallory-links", template, victim, secrets)
    _script(learners / "mallory-script", template)
    _plain(learners / "petra-plain", template, "Petra Plain", "petra@students.example.edu",
           "+44 7700 900777", optin=False)
    _plain(learners / "olga-optin", template, "Olga Optin", "olga@students.example.edu",
           "+44 7700 900888", optin=True)
    emails, phones = [], []
    for folder in sorted(learners.iterdir()):
        profile = yaml.safe_load((folder / "profile.yml").read_text(encoding="utf-8"))
        for ident in profile.get("identifiers", []):
            if "@" in ident and folder.name != "olga-optin":
                emails.append(ident)
            elif ident.startswith("+") and folder.name != "olga-optin":
                phones.append(ident)
    return HostileCohort(root, root / "cohort" / "cohort.yml", victim, victim_profile["name"],
                         victim_ids, tuple(emails), tuple(phones), "olga@students.example.edu")


# -- the learners ---------------------------------------------------------------------------

def _learner(folder: Path, template: Path, name: str, *, options: dict[str, object] | None = None,
             profile: dict[str, object] | None = None) -> None:
    """A consenting learner folder with the template's badges and pins."""
    folder.mkdir()
    for sub in ("badges", "pins"):
        (folder / sub).mkdir()
        for item in sorted((template / sub).iterdir()):
            (folder / sub / item.name).write_bytes(item.read_bytes())
    (folder / "reflections").mkdir()
    (folder / "docs").mkdir()
    opts = {"profile": "profile.yml", "badges_dir": "badges", "reflections_dir": "reflections",
            "pins_dir": "pins", "offline": True, "now": NOW, **(options or {})}
    _yaml(folder / "mkdocs.yml", {"site_name": name, "docs_dir": "docs",
                                  "theme": {"name": "material"},
                                  "plugins": [{"portfolio": opts}]})
    slug = folder.name
    _yaml(folder / "profile.yml", {"name": name, "headline": "Hostile learner",
                                   "showcase_consent": True,
                                   "identifiers": [f"{slug}@students.example.edu"],
                                   **(profile or {})})


def _paths(folder: Path, template: Path, secrets: Path) -> None:
    _learner(folder, template, "Mallory Paths", options={
        "reflections_dir": str(secrets),                      # absolute
        "badges_dir": f"../learner-{VICTIM:05d}/badges",      # a non-consenting classmate
        "pathways": f"../learner-{VICTIM:05d}/pathways.yml",
    }, profile={"photo": "/etc/passwd"})
    # a second learner whose photo climbs out to the staff folder
    other = folder.parent / "mallory-photo"
    _learner(other, template, "Mallory Photo",
             profile={"photo": "../../../staff-secrets/secret.png"})


def _links(folder: Path, template: Path, victim: Path, secrets: Path) -> None:
    _learner(folder, template, "Mallory Links")
    victim_badge = sorted((victim / "badges").iterdir())[0]
    (folder / "badges" / "stolen.jws").symlink_to(victim_badge)
    (folder / "badges" / "classmate").symlink_to(victim / "badges", target_is_directory=True)
    (folder / "reflections" / "staff.md").symlink_to(secrets / "notes.md")
    (folder / "reflections" / "notes.txt").symlink_to(secrets / "notes.txt")
    (folder / "reflections" / "secrets").symlink_to(secrets, target_is_directory=True)
    (folder / "reflections" / "mine.md").write_text("# Mine\n\nMy own words.\n", encoding="utf-8")


SCRIPT_REFLECTIONS = {
    "raw-script.md": "---\ntitle: Raw script\n---\n\nHello <script>alert('script')</script>\n\n"
                     "<script>confirm('block')</script>\n",
    "img-onerror.md": "---\ntitle: Image\n---\n\n<img src=x onerror=\"alert('onerror')\">\n\n"
                      "Inline <img src=y onerror=alert('inline')> too.\n",
    "iframe.md": "---\ntitle: Frame\n---\n\n"
                 "<iframe src=\"javascript:alert('iframe')\"></iframe>\n\n"
                 "<div><iframe srcdoc=\"<script>alert('srcdoc')</script>\"></iframe></div>\n",
    "links.md": "---\ntitle: Links\n---\n\n[click me](javascript:alert('link'))\n\n"
                "<a href=\"javascript:alert('a')\">a</a> <svg onload=alert('svg')></svg>\n\n"
                "## Heading {: onclick=\"alert('attr')\" }\n\n"
                "<details open ontoggle=alert('toggle')><summary>x</summary></details>\n\n"
                "[att](evil.html) ![pic](evil.svg)\n",
    "title-tag.md": "---\ntitle: \"</title><script>alert('title')</script>\"\n---\n\nBody.\n",
    "title-entity.md": "---\ntitle: \"&lt;/title&gt;&lt;script&gt;alert('entity')"
                       "&lt;/script&gt;\"\n---\n\nBody.\n",
    "heading.md": "# <img src=x onerror=alert('heading')> Heading\n\nBody.\n",
    "console.md": "---\ntitle: Quiet\n---\n\n<img src=q onerror=\"console.log('PWNED img')\">\n\n"
                  "<svg><script>console.log('PWNED svg')</script></svg>\n\n"
                  "<object data=\"evil.html\"></object><embed src=\"evil.svg\">\n\n"
                  "<style>body{background:url(javascript:console.log('PWNED css'))}</style>\n\n"
                  "<form action=\"javascript:console.log('PWNED form')\">"
                  "<button>go</button></form>\n",
}
#: The name and headline a hostile learner gives: printed on cohort pages and in the index.
SCRIPT_NAME = "Mallory <img src=x onerror=alert('name')> Script"
SCRIPT_HEADLINE = "<script>alert('headline')</script> & <b onmouseover=alert(1)>bold</b>"
SCRIPT_ATTACHMENTS = {
    "evil.html": "<!doctype html><script>alert('html attachment')</script>",
    "evil.htm": "<script>alert('htm attachment')</script>",
    "evil.svg": "<svg xmlns='http://www.w3.org/2000/svg'><script>alert('svg')</script></svg>",
    "evil.xhtml": "<html xmlns='http://www.w3.org/1999/xhtml'><script>alert(1)</script></html>",
    "evil.js": "alert('js')",
    "evil": "<script>alert('no extension')</script>",
    "evil.xml": "<x:script xmlns:x='http://www.w3.org/1999/xhtml'>alert('xml')</x:script>",
    "notes.pdf": "%PDF-1.4 harmless",
}


def _script(folder: Path, template: Path) -> None:
    _learner(folder, template, SCRIPT_NAME, profile={
        "headline": SCRIPT_HEADLINE,
        "bio": "<img src=x onerror=alert('bio')> [x](javascript:alert(1))",
        "photo_alt": "\"><script>alert('alt')</script>"})
    for name, text in {**SCRIPT_REFLECTIONS, **SCRIPT_ATTACHMENTS}.items():
        (folder / "reflections" / name).write_text(text, encoding="utf-8")


def _plain(folder: Path, template: Path, name: str, email: str, phone: str, *,
           optin: bool) -> None:
    """Two badges naming the learner by plain email / phone, one hashed (safe) badge."""
    _learner(folder, template, name, profile={"identifiers": [email, phone],
                                              **({"publish_originals": True} if optin else {})})
    # contact data in a reflection, its front matter unquoted (scrubbed to "[redacted]",
    # which YAML would read as a list)
    (folder / "reflections" / "contact.md").write_text(
        f"---\ntitle: {email}\n---\n\nWrite to {email} or {phone}.\n", encoding="utf-8")
    for item in (folder / "badges").iterdir():
        item.unlink()
    issuer = issuers().ob2[0]
    badge = ob2_badge_class(issuer, "Python Basics")
    slug = folder.name
    plain = issuer.signed_assertion(assertion_id=f"urn:uuid:{_uuid(slug, 1)}", recipient=email,
                                    salt=None, issued_on="2025-03-01T10:00:00Z",
                                    badge=badge["id"])
    (folder / "badges" / "plain-email.jws").write_text(plain, encoding="utf-8")
    badge = ob2_badge_class(issuer, "SQL Foundations")
    phone_badge = issuer.signed_assertion(
        assertion_id=f"urn:uuid:{_uuid(slug, 2)}", recipient=phone, salt=None,
        issued_on="2025-04-01T10:00:00Z", badge=badge["id"])
    (folder / "badges" / "plain-phone.jws").write_text(phone_badge, encoding="utf-8")
    badge = ob2_badge_class(issuer, "Data Storytelling")
    hashed = issuer.signed_assertion(assertion_id=f"urn:uuid:{_uuid(slug, 3)}", recipient=email,
                                     salt="pepper", issued_on="2025-05-01T10:00:00Z",
                                     badge=badge["id"])
    (folder / "badges" / "hashed.jws").write_text(hashed, encoding="utf-8")


# -- helpers --------------------------------------------------------------------------------

def _uuid(slug: str, k: int) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://hostile.example/{slug}/{k}"))


def _credential_ids(badges: Path) -> list[str]:
    """The credential ids in a learner's badges (OB 2.0 JWS payloads, OB 3.0 JSON, VC-JWT)."""
    import base64

    out = []
    for path in sorted(badges.iterdir()):
        data = path.read_bytes()
        if data.startswith(b"{"):
            out.append(json.loads(data)["id"])
            continue
        payload = data.split(b".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + b"=" * (-len(payload) % 4)))
        out.append(claims.get("id") or claims.get("jti") or claims.get("vc", {}).get("id"))
    return [i for i in out if i]


def _png_with(text: str) -> bytes:
    import io

    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "PNG", pnginfo=info)
    return buf.getvalue()


def _yaml(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def build_hostile_site(root: Path) -> tuple[HostileCohort, Path, str]:
    """The hostile cohort, built through ``portfolio-gen cohort build`` (click's runner):
    ``(cohort, site folder, the command's output)``."""
    from click.testing import CliRunner

    from portfolio_gen.cli import main

    cohort = make_hostile_cohort(root)
    site = root / "site"
    result = CliRunner().invoke(main, ["cohort", "build", str(cohort.cohort_file), "-d",
                                       str(site), "--cache-dir", str(root / "cache")])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return cohort, site, result.output
