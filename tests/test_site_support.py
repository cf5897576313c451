"""Helpers for the site tests: a tiny HTML tree (stdlib parser) and a portfolio maker.

No tests here; the fixture portfolio uses real signed OB 2.0 badges from
``portfolio_gen.testing.ob2`` served by a StaticFetcher (no network).
"""

from __future__ import annotations

import base64
import json
import posixpath
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from portfolio_gen.net.static import StaticFetcher
from portfolio_gen.testing.ob2 import TestIssuer

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None,
                 pred: Callable[[Node], bool] | None = None) -> list[Node]:
        return [n for n in self.iter() if (tag is None or n.tag == tag)
                and (cls is None or cls in n.attrs.get("class", "").split())
                and (pred is None or pred(n))]

    def find(self, tag: str | None = None, cls: str | None = None,
             pred: Callable[[Node], bool] | None = None) -> Node:
        found = self.find_all(tag, cls, pred)
        assert found, f"no <{tag} class={cls}> found"
        return found[0]

    @property
    def text(self) -> str:
        parts: list[str] = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text)
        return " ".join("".join(parts).split())


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(path: Path) -> Node:
    builder = _Builder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    return builder.root


def resolve(site: Path, page: Path, href: str) -> Path:
    """The file a relative link on ``page`` points to (directory URLs → index.html)."""
    href = href.split("#")[0]
    base = posixpath.dirname(page.relative_to(site).as_posix())
    target = posixpath.normpath(posixpath.join(base, href)) if href else page.relative_to(
        site).as_posix()
    path = site / target
    return path / "index.html" if path.is_dir() else path


HOSTILE_NAME = '<script>alert("name")</script>Evil <b onmouseover="alert(1)">Badge</b>'
HOSTILE_DESCRIPTION = ('Click [here](javascript:alert(1)) and <img src=x onerror="alert(2)"> '
                       '<a href="javascript:alert(3)">there</a> <iframe src="https://x.example">'
                       '</iframe> [fine](https://ok.example/page)')
HOSTILE_CRITERIA = '<script>alert("criteria")</script> **Do** <svg onload="alert(4)"></svg>'


def tamper(jws: str) -> str:
    """Change the payload of a compact JWS and keep the old signature."""
    head, payload, sig = jws.split(".")
    doc = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    doc["narrative"] = "Changed after signing."
    raw = base64.urlsafe_b64encode(json.dumps(doc).encode()).rstrip(b"=").decode()
    return f"{head}.{raw}.{sig}"


def make_portfolio(root: Path, *, plugin_options: str = "", site_url: str | None = None,
                   extra: Sequence[tuple[TestIssuer, str, str]] = ()) -> StaticFetcher:
    """A portfolio folder with 6 badge files, 2 reflections and 2 pathways.

    ``extra`` adds badges: (issuer, file name, file text); ``site_url`` goes in mkdocs.yml.
    """
    for folder in ("docs", "badges", "reflections"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    robotics = {"targetName": "Robotics", "targetUrl": "https://skills.example/robotics",
                "targetFramework": "Skills Framework", "targetCode": "ROB-1"}
    uni = TestIssuer("https://uni.example", name="Example University", slot=0)
    uni.badge_extra = {"alignment": [robotics]}
    college = TestIssuer("https://college.example", name="City College", slot=1)
    college.badge_extra = {"name": "Line Following", "description": "Followed *lines*.",
                           "alignment": [dict(robotics, targetName="robotics"),
                                         {"targetName": "Sensors",
                                          "targetUrl": "https://skills.example/sensors"}]}
    lab = TestIssuer("https://lab.example", name="Maker Lab", slot=2)
    lab.badge_extra = {"name": "Soldering Safety"}
    evil = TestIssuer("https://evil.example", name='Evil "Issuer" <i>Inc</i>', slot=3)
    evil.badge_extra = {"name": HOSTILE_NAME, "description": HOSTILE_DESCRIPTION,
                        "criteria": {"narrative": HOSTILE_CRITERIA},
                        "image": "javascript:alert(5)",
                        "alignment": [{"targetName": "<script>x</script>",
                                       "targetUrl": "javascript:alert(6)"}]}
    evil.profile_extra = {"url": "javascript:alert(7)"}
    badges = root / "badges"
    from datetime import UTC, datetime

    (badges / "robot.jws").write_text(uni.signed_assertion("r1"))
    (badges / "line-a.jws").write_text(college.signed_assertion(
        "l1", issued_on=datetime(2025, 3, 1, tzinfo=UTC)))
    (badges / "line-b.jws").write_text(tamper(college.signed_assertion(
        "l2", issued_on=datetime(2025, 4, 1, tzinfo=UTC))))
    (badges / "solder.jws").write_text(tamper(lab.signed_assertion("s1")))
    (badges / "evil.jws").write_text(evil.signed_assertion("e1"))
    (badges / "broken.json").write_text('{"@context": "https://w3id.org/openbadges/v2", ')
    (root / "profile.yml").write_text(
        "name: Ada Example\nheadline: Robotics learner\nbio: I *build* robots.\n"
        "links: [{label: GitHub, url: 'https://github.com/ada-example'}]\n"
        "identifiers: [learner@example.org, secret-id@example.org]\n")
    (root / "pathways.yml").write_text(
        "pathways:\n"
        "  - name: Robot Builder\n    required: [Robotics Fundamentals, "
        "'https://college.example/badge.json']\n    capstone: Grand Capstone\n"
        "  - name: Electronics\n    groups: [{name: Safety, choose: 1, of: [Soldering Safety]}]\n")
    (root / "reflections" / "first-robot.md").write_text(
        "---\ntitle: Building my first robot\ndate: 2026-02-01\n"
        "credentials: [robot.jws, Line Following]\nskills: [Robotics, Teamwork]\n---\n"
        "It took three tries. ![sketch](sketch.svg)\n")
    (root / "reflections" / "sketch.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>')
    (root / "reflections" / "broken.md").write_text("---\ntitle: [unclosed\n---\nText\n")
    for _, name, text in extra:
        (badges / name).write_text(text)
    (root / "mkdocs.yml").write_text(
        (f"site_url: {site_url}\n" if site_url else "") +
        "site_name: Ada Example\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - portfolio:\n      now: 2026-06-01T12:00:00Z\n"
        + plugin_options)
    docs: dict[str, bytes] = {}
    for issuer in (uni, college, lab, evil, *(e[0] for e in extra)):
        docs.update(issuer.url_map())
    return StaticFetcher(docs)
