"""Configuration validation: every error names the file, the key and the expectation."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from portfolio_gen.config import (
    load_pathways,
    load_profile,
    parse_front_matter,
    parse_plugin_options,
)
from portfolio_gen.errors import ConfigError


def test_plugin_defaults_resolve_against_the_project(tmp_path: Path) -> None:
    cfg = parse_plugin_options({}, project_dir=tmp_path)
    assert cfg.badges_dir == tmp_path.resolve() / "badges"
    assert cfg.profile == tmp_path.resolve() / "profile.yml"
    assert cfg.failed_credentials == "flag" and cfg.offline is False and cfg.now is None
    assert cfg.cache_dir is None


def test_plugin_options_are_typed(tmp_path: Path) -> None:
    cfg = parse_plugin_options({"now": "2026-06-01T12:00:00Z", "offline": True,
                                "failed_credentials": "hide", "strict": True,
                                "credentials": {"a.json": {"featured": True, "failed": "flag"}}},
                               project_dir=tmp_path)
    assert cfg.now == datetime(2026, 6, 1, 12, tzinfo=UTC)
    assert cfg.strict is True and parse_plugin_options({}, project_dir=tmp_path).strict is False
    assert cfg.options_for("a.json").featured and cfg.options_for("a.json").failed == "flag"
    assert not cfg.options_for("other.json").hidden


@pytest.mark.parametrize(("options", "message"), [
    ({"badge_dir": "x"}, r"mkdocs\.yml: plugins\.portfolio: unknown option 'badge_dir'"),
    ({"failed_credentials": "maybe"}, r"failed_credentials: expected 'flag' or 'hide'"),
    ({"offline": "yes"}, r"plugins\.portfolio\.offline: expected true or false"),
    ({"strict": "yes"}, r"plugins\.portfolio\.strict: expected true or false"),
    ({"now": "2026-06-01T12:00:00"}, r"plugins\.portfolio\.now: .*needs a time zone"),
    ({"now": "soon"}, r"plugins\.portfolio\.now: expected an ISO-8601 instant"),
    ({"credentials": {"a.json": {"star": True}}}, r"credentials\.a\.json: unknown key 'star'"),
    ({"badges_dir": ""}, r"plugins\.portfolio\.badges_dir: expected a relative path"),
])
def test_bad_plugin_options(tmp_path: Path, options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_plugin_options(options, project_dir=tmp_path)


def test_profile_keeps_identifiers_apart(tmp_path: Path) -> None:
    path = tmp_path / "profile.yml"
    path.write_text("name: Ada\nidentifiers: [ada@example.org]\n"
                    "links: [{label: Site, url: 'https://ada.example'}]\n")
    profile = load_profile(path)
    assert profile.name == "Ada" and profile.identifiers == ("ada@example.org",)
    assert profile.photo_alt == "Photo of Ada" and profile.links[0].url == "https://ada.example"


@pytest.mark.parametrize(("text", "message"), [
    ("headline: x\n", r"profile\.yml: name: required"),
    ("name: Ada\nemail: a@b\n", r"profile\.yml: unknown key 'email'"),
    ("name: Ada\nlinks: [{label: x, url: 'javascript:alert(1)'}]\n",
     r"profile\.yml: links\[0\]\.url: expected an http\(s\) or mailto: URL"),
    ("name: [unclosed\n", r"profile\.yml: not valid YAML \(line 1, column 7: .*close the"),
])
def test_bad_profiles(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "profile.yml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_profile(path)


def test_pathways_parse_and_validate(tmp_path: Path) -> None:
    path = tmp_path / "pathways.yml"
    path.write_text("pathways:\n  - name: Analyst\n    required: [SQL]\n"
                    "    groups: [{name: Electives, choose: 2, of: [A, B, C]}]\n"
                    "    capstone: Project\n")
    (pathway,) = load_pathways(path)
    assert pathway.required == ("SQL",) and pathway.groups[0].choose == 2
    assert pathway.capstone == "Project"
    assert load_pathways(tmp_path / "missing.yml") == ()
    path.write_text("pathways:\n  - name: X\n    groups: [{choose: 3, of: [A, B]}]\n")
    with pytest.raises(ConfigError, match=r"pathways\.yml: pathways\[0\]\.groups\[0\]\.choose: "
                                          r"expected a whole number from 1 to 2"):
        load_pathways(path)
    path.write_text("pathways:\n  - name: Empty\n")
    with pytest.raises(ConfigError, match=r"pathways\[0\]: expected at least one of"):
        load_pathways(path)


def test_front_matter() -> None:
    meta, raw, body = parse_front_matter(
        "---\ntitle: T\ndate: 2026-03-14\ncredentials: a.json\nskills: [SQL]\nhide: [toc]\n---\n"
        "Body\n", "reflections/t.md")
    assert meta.title == "T" and meta.date == date(2026, 3, 14)
    assert meta.credentials == ("a.json",) and meta.skills == ("SQL",)
    assert raw["hide"] == ["toc"] and body == "Body\n"
    assert parse_front_matter("No front matter", "r.md")[0].title is None
    with pytest.raises(ConfigError, match=r"reflections/t\.md: date: expected a date"):
        parse_front_matter("---\ndate: soon\n---\n", "reflections/t.md")
    with pytest.raises(ConfigError, match=r"r\.md: front matter .* no closing"):
        parse_front_matter("---\ntitle: x\n", "r.md")
