"""Every file in badges/ is accounted for: non-badges are listed with a reason and a hint,
unreadable files are reported and never published as credential pages."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from portfolio_gen.cli import main
from portfolio_gen.mkdocs_plugin.engine import build_site
from portfolio_gen.scaffold import create_portfolio
from portfolio_gen.testing.bake import make_png
from portfolio_gen.testing.ob3 import Ob3Issuer

NOW = "2026-06-01T12:00:00Z"


def _portfolio(tmp_path: Path) -> Path:
    folder = tmp_path / "p"
    create_portfolio(folder, name="Ada Example")
    badges = folder / "badges"
    issuer = Ob3Issuer()
    (badges / "teamwork.json").write_text(json.dumps(issuer.sign_di(issuer.credential())))
    (badges / "screenshot.png").write_bytes(make_png())
    (badges / "certificate.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    (badges / "truncated.json").write_text('{"@context": "https://www.w3.org/ns/credentials/v2",'
                                           ' "type": ["VerifiableCredential", "OpenBadgeCr')
    (badges / "badge-class.json").write_text(json.dumps(
        {"@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass", "name": "X"}))
    (badges / "notes.txt").write_text("remember to ask for the JSON\n")
    return folder


def test_build_lists_every_non_badge_with_a_hint_and_publishes_none(tmp_path: Path) -> None:
    folder = _portfolio(tmp_path)
    from datetime import datetime

    summary = build_site(folder, offline=True, now=datetime.fromisoformat(NOW))
    problems = {p.split(":", 1)[0]: p for p in summary.problems}
    assert set(problems) >= {"badges/screenshot.png", "badges/certificate.pdf",
                             "badges/truncated.json", "badges/badge-class.json",
                             "badges/notes.txt"}, summary.problems
    assert "badges/README.md" not in problems          # the scaffold's own note
    assert "no badge data baked in" in problems["badges/screenshot.png"]
    assert "portfolio-gen add <badge page URL>" in problems["badges/screenshot.png"]
    assert "PDF" in problems["badges/certificate.pdf"]
    assert "damaged or incomplete" in problems["badges/truncated.json"]
    assert "not an award" in problems["badges/badge-class.json"]
    assert all("not published" in p for p in problems.values() if p.startswith("badges/"))
    assert (summary.verified, summary.flagged, summary.hidden) == (1, 0, 0)
    pages = sorted(p.name for p in (folder / "site" / "credentials").iterdir() if p.is_dir())
    assert pages == ["teamwork"], pages
    # every input file is still there, untouched
    assert (folder / "badges" / "truncated.json").read_text().endswith("OpenBadgeCr")


def test_build_command_prints_each_file_not_accounted_for(tmp_path: Path) -> None:
    folder = _portfolio(tmp_path)
    result = CliRunner().invoke(main, ["build", str(folder), "--offline", "--now", NOW])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("problem: badges/")]
    assert len(lines) == 5, result.output
    assert any("screenshot.png" in line and "Download Baked Image" in line for line in lines)
