"""Issue #11 (1, 2, 6): a cohort with hostile learners, built by ``portfolio-gen cohort build``.

The cohort is ``benchmarks/make_cohort.py`` output plus the learners of
:mod:`tests.support.hostile_cohort`. Every output file (and every member of a ZIP or gzip
file) is searched for what must never be published: the staff secret, the
non-consenting classmate's name and credential ids, system files, learners' plain emails
and phones. The browser half (no script runs on any page) is
``tests/browser/test_cohort_hostile_browser.py``.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from portfolio_gen.model.slugs import slugify
from tests.support.hostile_cohort import (
    SCRIPT_ATTACHMENTS,
    SCRIPT_NAME,
    STAFF_SECRET,
    HostileCohort,
    build_hostile_site,
)
from tests.support.outputs import find_in_outputs

Built = tuple[HostileCohort, Path, str]
SCRIPT_SLUG = slugify(SCRIPT_NAME)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_hostile_site(tmp_path_factory.mktemp("hostile"))


def _staff(cohort: HostileCohort) -> dict[str, object]:
    path = cohort.cohort_file.parent / "staff-reports" / "verification-report.json"
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _problems(cohort: HostileCohort, folder: str) -> list[str]:
    entries = _staff(cohort)["learner_problems"]
    assert isinstance(entries, list)
    return [e["problem"] for e in entries if e["folder"] == f"learners/{folder}"]


def test_nothing_secret_is_published_anywhere(built: Built) -> None:
    cohort, site, _ = built
    secret = [STAFF_SECRET, cohort.victim_name, *cohort.victim_ids, "root:x:0:0",
              *cohort.emails, *cohort.phones]
    hits = find_in_outputs([site], secret)
    assert hits == {}, hits
    # the search can fail: the opted-in learner's plain email is published, inside the ZIP too
    found = find_in_outputs([site], [cohort.optin_email])[cohort.optin_email]
    assert any(name.endswith("credential.json") for name in found), found
    assert any("all-credentials.zip!" in name for name in found), found


def test_staff_outputs_keep_secrets_too(built: Built) -> None:
    cohort, _, _ = built
    staff = cohort.cohort_file.parent / "staff-reports"
    hits = find_in_outputs([staff], [STAFF_SECRET, cohort.victim_name, *cohort.victim_ids,
                                     "root:x:0:0", *cohort.emails, *cohort.phones])
    assert hits == {}, hits


def test_paths_out_of_the_folder_are_refused_and_reported(built: Built) -> None:
    cohort, site, output = built
    problems = _problems(cohort, "mallory-paths")
    text = "\n".join(problems)
    assert "reflections_dir:" in text and "is an absolute path" in text
    assert "badges_dir: '../learner-00003/badges' climbs out of the portfolio folder" in text
    assert "photo: '/etc/passwd' is an absolute path" in text
    photo = "\n".join(_problems(cohort, "mallory-photo"))
    assert "photo: '../../../staff-secrets/secret.png' climbs out" in photo
    assert "learners/mallory-paths:" in output   # the CLI says so too
    # ... and the learners' sites were built without what was refused
    for slug in ("mallory-paths", "mallory-photo"):
        learner = site / "learners" / slug
        assert (learner / "index.html").is_file()
        assert not list(learner.glob("assets/portfolio/profile*")), "a photo was published"
        assert not (learner / "photo").exists() and not list(learner.glob("photo.*"))
    assert not list((site / "learners" / "mallory-paths" / "credentials").glob("*/original.*"))


def test_links_out_of_the_folder_are_not_followed(built: Built) -> None:
    cohort, site, _ = built
    problems = "\n".join(_problems(cohort, "mallory-links"))
    for name in ("reflections/staff.md", "reflections/notes.txt", "reflections/secrets"):
        assert f"{name}: is a link leading out of the folder" in problems
    failures = _staff(cohort)["failing_credentials"]
    assert isinstance(failures, list)
    stolen = [f for f in failures if f["file"] == "badges/stolen.jws"]
    assert stolen and "link leading out of the folder" in stolen[0]["reason"]
    learner = site / "learners" / "mallory-links"
    assert (learner / "reflections" / "mine" / "index.html").is_file()
    assert not (learner / "reflections" / "staff").exists()
    assert not (learner / "reflections" / "notes.txt").exists()


def test_executable_attachments_are_not_published(built: Built) -> None:
    cohort, site, _ = built
    folder = site / "learners" / SCRIPT_SLUG / "reflections"
    published = {p.name for p in folder.iterdir() if p.is_file()}
    assert "notes.pdf" in published          # other attachments still are
    for name in SCRIPT_ATTACHMENTS:
        if name != "notes.pdf":
            assert name not in published, name
            assert any(p.startswith(f"reflections/{name}: a") for p in
                       _problems(cohort, "mallory-script")), name


class _LiveMarkup(HTMLParser):
    """Collects what could run: event-handler attributes, javascript: URLs, srcdoc frames,
    objects, and executable scripts that mention the payloads (JSON data blocks are data)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("object", "embed", "frame"):
            self.found.append(f"<{tag}>")
        kind = dict(attrs).get("type") or "text/javascript"
        self._in_script = tag == "script" and kind in ("text/javascript", "module")
        for name, value in attrs:
            if name == "srcdoc":
                self.found.append(f"<{tag} srcdoc>")
            url = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name.startswith("on") or url.startswith(("javascript:", "vbscript:")):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and ("alert" in data or "PWNED" in data):
            self.found.append(f"<script>{data[:80]}")


def test_learner_markup_reaches_no_page_as_markup(built: Built) -> None:
    _, site, _ = built
    pages = sorted((site / "learners" / SCRIPT_SLUG).rglob("*.html"))
    pages += [site / "index.html", site / "learners" / "index.html"]
    assert len(pages) > 10
    for page in pages:
        parser = _LiveMarkup()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.found == [], page
    reflections = site / "learners" / SCRIPT_SLUG / "reflections"
    title = (reflections / "title-tag" / "index.html").read_text(encoding="utf-8")
    assert "<title>&lt;/title&gt;&lt;script&gt;" in title
    # the learner's words are still there, as text
    raw = (reflections / "raw-script" / "index.html").read_text(encoding="utf-8")
    assert "Hello" in raw


def test_originals_naming_the_learner_are_withheld_unless_opted_in(built: Built) -> None:
    _, site, _ = built
    petra = site / "learners" / "petra-plain" / "credentials"
    for slug in ("python-basics", "sql-foundations"):   # plain email, plain phone
        assert not list((petra / slug).glob("original.*"))
        assert not (petra / slug / "credential.json").exists()
        assert (petra / slug / "verification.json").is_file()
        page = (petra / slug / "index.html").read_text(encoding="utf-8")
        assert "data-pg-withheld" in page and "not published on this showcase" in page
        assert 'id="pg-original-credential"' not in page
    kinds = {slug: (petra / slug / "index.html").read_text(encoding="utf-8")
             for slug in ("python-basics", "sql-foundations")}
    assert "plain email" in kinds["python-basics"]
    assert "phone (not hashed)" in kinds["sql-foundations"]
    hashed = petra / "data-storytelling"               # hashed recipient: nothing to hide
    assert list(hashed.glob("original.*")) and (hashed / "credential.json").is_file()
    assert "data-pg-withheld" not in (hashed / "index.html").read_text(encoding="utf-8")
    contact = (site / "learners" / "petra-plain" / "reflections" / "contact" / "index.html"
               ).read_text(encoding="utf-8")
    assert "Write to [redacted] or [redacted]." in contact
    olga = site / "learners" / "olga-optin" / "credentials" / "python-basics"
    assert list(olga.glob("original.*")) and (olga / "credential.json").is_file()
