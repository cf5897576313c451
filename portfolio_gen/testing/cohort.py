"""Make a synthetic cohort of learner portfolio folders, for cohort tests and benchmarks.

Why: cohort builds must be measured and tested on real signed credentials in real
folders, and the result must be the same bytes on every run. Keys are derived from
fixed seeds (Ed25519 from a seed hash; RSA from primes found with a seeded generator),
and only deterministic signatures are used (RS256, EdDSA), so ``make_cohort`` writes
identical files each time.

Each learner folder is a single-learner portfolio: ``mkdocs.yml`` (plugin options,
hidden credentials), ``profile.yml`` (with ``showcase_consent``), ``badges/`` (OB 2.0
signed JWS, OB 3.0 ``eddsa-rdfc-2022`` JSON and VC-JWT, all from did:key or pinned
issuers so they verify offline), ``pins/`` (the OB 2.0 issuer documents) and
``reflections/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from portfolio_gen.net.fetch import FetchResult
from portfolio_gen.net.store import PinStore
from portfolio_gen.testing.keys import seeded_ed25519, seeded_rsa
from portfolio_gen.testing.ob2 import TestIssuer
from portfolio_gen.testing.ob3 import Ob3Issuer, did_key

__test__ = False

NOW = "2026-06-01T12:00:00Z"
FIRST = ("Ada", "Grace", "Alan", "Katherine", "Edsger", "Barbara", "Donald", "Frances",
         "Tim", "Radia", "Ken", "Margaret", "Linus", "Hedy", "Dennis", "Shafi", "Niklaus",
         "Sophie", "John", "Anita", "Claude", "Joan", "Guido", "Karen", "Bjarne", "Évariste")
LAST = ("Lovelace", "Hopper", "Turing", "Johnson", "Dijkstra", "Liskov", "Knuth", "Allen",
        "Berners-Lee", "Perlman", "Thompson", "Hamilton", "Torvalds", "Lamarr", "Ritchie",
        "Goldwasser", "Wirth", "Wilson", "McCarthy", "Borg", "Shannon", "Clarke", "van Rossum",
        "Spärck Jones", "Stroustrup", "Galois")
SKILLS = ("Python", "SQL", "Data visualisation", "Statistics", "Machine learning", "Teamwork",
          "Public speaking", "Project management", "Git", "Cloud computing", "Accessibility",
          "Technical writing", "Security", "Networking", "UX research", "Spreadsheets")
ACHIEVEMENTS = ("Python Basics", "SQL Foundations", "Data Storytelling", "Applied Statistics",
                "Intro to Machine Learning", "Team Project", "Presentation Skills",
                "Agile Delivery", "Version Control", "Cloud Practitioner", "Inclusive Design",
                "Docs Like Code", "Secure Coding", "Network Basics", "User Research",
                "Spreadsheet Modelling", "Capstone Project", "Peer Mentor")
OB2_ISSUERS = ("Northshore College", "Harbour Institute of Technology")
OB3_ISSUERS = ("Open Skills Academy", "Riverside University", "Civic Code Lab")
PATHWAY = "Data Analyst"
PATHWAY_REQUIRED = ("Python Basics", "SQL Foundations", "Data Storytelling")


# -- the issuers ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Issuers:
    ob2: tuple[TestIssuer, ...]
    ob3: tuple[Ob3Issuer, ...]


@cache
def issuers() -> Issuers:
    ob2 = tuple(TestIssuer(f"https://badges.issuer{i}.example", name=name,
                           key=seeded_rsa(f"ob2-issuer-{i}"))
                for i, name in enumerate(OB2_ISSUERS))
    ob3 = []
    for i, name in enumerate(OB3_ISSUERS):
        issuer = Ob3Issuer("Ed25519", "did:key", name=name)
        issuer.private_key = seeded_ed25519(f"ob3-issuer-{i}")
        issuer.id = did_key(issuer.private_key)
        issuer.vm_id = f"{issuer.id}#{issuer.id[len('did:key:'):]}"
        ob3.append(issuer)
    return Issuers(ob2, tuple(ob3))


def _skills_for(achievement: str) -> list[str]:
    i = ACHIEVEMENTS.index(achievement)
    return [SKILLS[i % len(SKILLS)], SKILLS[(3 * i + 5) % len(SKILLS)]]


def _alignment(skill: str) -> dict[str, str]:
    slug = skill.lower().replace(" ", "-")
    return {"targetName": skill, "targetUrl": f"https://skills.example/{slug}",
            "targetFramework": "Example Skills Framework"}


def ob2_badge_class(issuer: TestIssuer, achievement: str) -> dict[str, Any]:
    doc = issuer.badge_class()
    slug = achievement.lower().replace(" ", "-")
    doc.update(id=issuer.url(f"/badges/{slug}.json"), name=achievement,
               description=f"Awarded for {achievement.lower()}.",
               alignment=[_alignment(s) for s in _skills_for(achievement)])
    return doc


def pin_documents(folder: Path) -> None:
    """Pin every OB 2.0 issuer document a learner's signed badges need."""
    pins = PinStore(folder)
    for issuer in issuers().ob2:
        docs = {issuer.issuer_url: issuer.issuer_profile(), issuer.key_url: issuer.crypto_key(),
                issuer.revocation_url: issuer.revocation_list()}
        for achievement in ACHIEVEMENTS:
            badge = ob2_badge_class(issuer, achievement)
            docs[badge["id"]] = badge
        for url, doc in sorted(docs.items()):
            pins.put(FetchResult(url, url, 200, "application/json",
                                 json.dumps(doc, sort_keys=True).encode(), _FETCHED, "pinned"))


_FETCHED = datetime(2026, 5, 1, tzinfo=UTC)


def _copy_pins(root: Path, dest: Path) -> None:
    """Copy one pinned-documents template (made once per cohort) into ``dest``."""
    template = root.parent / ".pins-template"
    if not (template / "index.json").is_file():
        tmp = root.parent / f".pins-template-{os.getpid()}"
        pin_documents(tmp)
        try:
            tmp.rename(template)
        except OSError:  # another process made it first
            shutil.rmtree(tmp, ignore_errors=True)
    dest.mkdir(parents=True, exist_ok=True)
    for item in template.iterdir():
        shutil.copyfile(item, dest / item.name)


# -- one learner ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class LearnerSpec:
    """What the generator decided for one learner (tests read it back)."""

    index: int
    folder: str
    name: str
    email: str
    phone: str
    consent: bool
    hidden_file: str | None
    hidden_id: str | None
    credential_ids: tuple[str, ...]
    achievements: tuple[str, ...]


def _credential(kind: str, i: int, k: int, achievement: str, email: str, subject: str,
                rng: random.Random) -> tuple[str, bytes, str]:
    """(file name, bytes, credential id) of one signed credential."""
    iss = issuers()
    day = 1 + (i * 7 + k * 3) % 27
    month = 1 + (i + k) % 12
    issued = f"2025-{month:02d}-{day:02d}T10:00:00Z"
    slug = achievement.lower().replace(" ", "-")
    cid = f"urn:uuid:{_uuid(f'{i}-{k}-{achievement}')}"
    if kind == "ob2":
        issuer = iss.ob2[(i + k) % len(iss.ob2)]
        badge = ob2_badge_class(issuer, achievement)
        jws = issuer.signed_assertion(assertion_id=cid, recipient=email, salt=f"s{i}",
                                      issued_on=issued, badge=badge["id"])
        return f"{k:02d}-{slug}.jws", jws.encode(), cid
    ob3 = iss.ob3[(i + k) % len(iss.ob3)]
    doc = ob3.credential(subject_id=subject, achievement_name=achievement, valid_from=issued,
                         credential_id=cid)
    achievement_doc = doc["credentialSubject"]["achievement"]
    achievement_doc["id"] = f"https://achievements.example/{slug}"
    achievement_doc["alignment"] = [{"type": ["Alignment"], **_alignment(s)}
                                    for s in _skills_for(achievement)]
    if kind == "jwt":
        return f"{k:02d}-{slug}.jwt", ob3.sign_jwt(doc).encode(), cid
    signed = ob3.sign_di(doc)
    return f"{k:02d}-{slug}.json", json.dumps(signed, indent=1).encode(), cid


def _uuid(text: str) -> str:
    h = hashlib.sha256(text.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def write_learner(root: Path, i: int, m: int, seed: int = 7) -> LearnerSpec:
    """Write learner ``i`` with ``m`` credentials below ``root``."""
    rng = random.Random(f"{seed}-{i}")
    name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST) + i) % len(LAST)]}"
    folder = root / f"learner-{i:05d}"
    email = f"learner{i:05d}@students.example.edu"
    phone = f"+44 7700 9{i:05d}"
    subject = f"did:example:learner-{i:05d}"
    consent = i % 7 != 3
    (folder / "badges").mkdir(parents=True, exist_ok=True)
    (folder / "reflections").mkdir(exist_ok=True)
    (folder / "docs").mkdir(exist_ok=True)
    pool = list(ACHIEVEMENTS)
    chosen = []
    if i % 3 == 0:  # a third of learners complete the pathway
        chosen = list(PATHWAY_REQUIRED[:m])
        pool = [a for a in pool if a not in chosen]
    chosen += rng.sample(pool, min(m - len(chosen), len(pool)))
    chosen += [ACHIEVEMENTS[(i + j) % len(ACHIEVEMENTS)] for j in range(m - len(chosen))]
    kinds = ("ob2", "di", "jwt", "jwt", "ob2")
    files, ids = [], []
    for k, achievement in enumerate(chosen):
        file_name, data, cid = _credential(kinds[(i + k) % len(kinds)], i, k, achievement,
                                           email, subject, rng)
        if k == 1 and i % 11 == 5:  # a tampered badge: staff report material
            data = data.replace(b"Awarded", b"Awardee", 1) if data.startswith(b"{") else (
                data[:-3] + (b"AAA" if not data.endswith(b"AAA") else b"BBB"))
        (folder / "badges" / file_name).write_bytes(data)
        files.append(file_name)
        ids.append(cid)
    hidden = 0 if (i % 5 == 2 and files) else None
    options: dict[str, Any] = {"profile": "profile.yml", "badges_dir": "badges",
                               "reflections_dir": "reflections", "pathways": "pathways.yml",
                               "pins_dir": "pins", "offline": True, "now": NOW}
    if hidden is not None:
        options["credentials"] = {files[hidden]: {"hidden": True}}
    mkdocs = {"site_name": f"{name} — Portfolio", "docs_dir": "docs",
              "theme": {"name": "material", "font": False},
              "plugins": ["search", {"portfolio": options}]}
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(mkdocs, sort_keys=False,
                                                      allow_unicode=True), encoding="utf-8")
    profile = {"name": name, "headline": f"{ACHIEVEMENTS[i % len(ACHIEVEMENTS)]} enthusiast",
               "bio": f"I am learner number {i}.", "showcase_consent": consent,
               "identifiers": [email, phone, subject],
               "links": [{"label": "Email", "url": f"mailto:{email}"}]}
    (folder / "profile.yml").write_text(yaml.safe_dump(profile, sort_keys=False,
                                                       allow_unicode=True), encoding="utf-8")
    pathways = {"pathways": [{"name": PATHWAY, "required": list(PATHWAY_REQUIRED)}]}
    (folder / "pathways.yml").write_text(yaml.safe_dump(pathways), encoding="utf-8")
    for r in range(1 + i % 3):
        achievement = chosen[r % len(chosen)] if chosen else ACHIEVEMENTS[0]
        front = {"title": f"What I learned in {achievement}", "date": date(2025, 1 + r, 10 + r),
                 "credentials": [achievement], "skills": _skills_for(achievement)[:1]}
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + (
            f"Working on {achievement.lower()} taught me to plan, test and ask for help.\n")
        (folder / "reflections" / f"reflection-{r + 1}.md").write_text(text, encoding="utf-8")
    _copy_pins(root, folder / "pins")
    return LearnerSpec(i, folder.name, name, email, phone, consent,
                       files[hidden] if hidden is not None else None,
                       ids[hidden] if hidden is not None else None, tuple(ids), tuple(chosen))


def make_cohort(n: int, m: int, out: Path, *, seed: int = 7,
                title: str = "Class of 2026 showcase", workers: int = 1) -> list[LearnerSpec]:
    """Write ``out/cohort.yml`` and ``n`` learner folders under ``out/learners``.

    ``workers`` > 1 writes learners on a process pool (same bytes, just sooner).
    """
    root = out / "learners"
    root.mkdir(parents=True, exist_ok=True)
    if workers > 1:
        issuers()  # make the keys once, before the workers fork
        with ProcessPoolExecutor(workers) as pool:
            specs = list(pool.map(write_learner, [root] * n, range(n), [m] * n, [seed] * n,
                                  chunksize=16))
    else:
        specs = [write_learner(root, i, m, seed) for i in range(n)]
    cohort = {"title": title, "programme": "BSc Data Science", "term": "Spring 2026",
              "site_url": "https://careers.example.edu/showcase/",
              "learners": ["learners/*"], "now": NOW, "offline": True,
              "staff_outputs": {"enabled": True, "path": "staff-reports", "linked": False}}
    (out / "cohort.yml").write_text(yaml.safe_dump(cohort, sort_keys=False), encoding="utf-8")
    return specs


__all__ = ["LearnerSpec", "issuers", "make_cohort", "seeded_ed25519", "seeded_rsa",
           "write_learner"]
