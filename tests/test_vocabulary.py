"""One vocabulary: check ids live in the catalogue, verdict words in one table.

- the source spells a catalogued check id only in ``verify/checks.py`` (scanned with ``ast``);
- every check id a real report carries (the sample portfolio, the test fixtures, the shared
  conformance fixtures when present) is catalogued, with a verdict the catalogue allows;
- a credential cannot name its own check id (a status purpose it makes up);
- the CLI, the pages, the trust seal and the cards word each verdict from the one table.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from portfolio_gen.cli import main
from portfolio_gen.ingest import read_paths
from portfolio_gen.ingest.raw import Container, Kind, RawCredential
from portfolio_gen.model.credential import Recipient
from portfolio_gen.model.normalize import credential_from_report
from portfolio_gen.model.wording import CONFIRMED_SIGNED, MISMATCH, VERDICTS
from portfolio_gen.net.http import GuardedHttpFetcher
from portfolio_gen.net.static import OfflineFetcher
from portfolio_gen.render import trust
from portfolio_gen.render.templates import human_date
from portfolio_gen.render.verification import state_label, verdict_label
from portfolio_gen.share import cards, iframe_card, oembed, og
from portfolio_gen.share.samples import sample_info
from portfolio_gen.share.state import style_for
from portfolio_gen.testing.ob3 import Ob3Issuer
from portfolio_gen.verify import checks
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.ob3 import verify_ob3
from portfolio_gen.verify.pipeline import verify_item
from portfolio_gen.verify.report import Check, CheckStatus, Verdict, VerificationReport
from tests.conftest import FIXED_NOW
from tests.support.httpserver import LoopbackServer

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "portfolio_gen"

#: Strings equal to a check id that are not check ids where they appear (with why).
NOT_IDS = {
    ("model/normalize.py", checks.ENDORSEMENTS),     # the Credential field of that name
    ("verify/ob3/verifier.py", checks.ENDORSEMENTS),  # the word in "All 3 endorsements …"
}


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def test_check_ids_are_spelled_only_in_the_catalogue() -> None:
    ids = set(checks.CATALOGUE)
    stray = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel == "verify/checks.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and node.value in ids and id(node) not in docs
                    and (rel, node.value) not in NOT_IDS):
                stray.append(f"{rel}:{node.lineno} {node.value!r}")
            if isinstance(node, ast.JoinedStr):   # an id assembled from parts, "status.{x}"
                head = node.values[0] if node.values else None
                if (isinstance(head, ast.Constant) and isinstance(head.value, str)
                        and re.fullmatch(r"(status|conformance|validity|proof|hosted)\.",
                                         head.value)):
                    stray.append(f"{rel}:{node.lineno} f-string id {head.value!r}…")
    assert not stray, "check ids outside verify/checks.py:\n" + "\n".join(stray)


def test_the_scan_would_catch_a_literal() -> None:
    """The scan above sees a planted literal (it is not vacuous)."""
    tree = ast.parse('def f(c):\n    """proof.signature"""\n    return c.id == "proof.signature"')
    docs = _docstrings(tree)
    found = [n for n in ast.walk(tree) if isinstance(n, ast.Constant)
             and n.value in checks.CATALOGUE and id(n) not in docs]
    assert len(found) == 1


def test_catalogue_entries_are_whole() -> None:
    for check_id, spec in checks.CATALOGUE.items():
        assert spec.id == check_id and spec.title and spec.title[0].isupper()
        assert ":" not in spec.title and "_" not in spec.title   # words, not a spelled-out id
        if check_id.startswith(checks.CONFORMANCE_PREFIX):
            assert spec.implies == (None, Verdict.INVALID)   # a warning; strict fails it
    assert set(checks.CATALOGUE) >= checks.PROOF_CHECK_IDS
    assert set(checks.NODE_FETCH.values()) | set(checks.NODE_VALID.values()) \
        | set(checks.NODE_CONFORMANCE.values()) | set(checks.STATUS_PURPOSE.values()) \
        <= set(checks.CATALOGUE)


def _all_checks(report: VerificationReport) -> Iterator[Check]:
    yield from report.checks
    for nested in report.nested:
        yield from _all_checks(nested)


def _reports(paths: list[Path]) -> list[VerificationReport]:
    ctx = VerifyContext(OfflineFetcher(), FIXED_NOW)
    return [verify_item(item, ctx) for item in read_paths(paths)]


def _assert_catalogued(reports: list[VerificationReport]) -> set[str]:
    seen: set[str] = set()
    for report in reports:
        for check in _all_checks(report):
            spec = checks.CATALOGUE.get(check.id)
            assert spec is not None, f"{report.source}: {check.id} is not catalogued"
            if check.status in (CheckStatus.FAIL, CheckStatus.WARN):
                assert check.implies in spec.implies, (report.source, check.to_dict())
            else:
                assert check.implies is None
            seen.add(check.id)
    return seen


def test_every_id_in_the_sample_and_fixtures_is_catalogued() -> None:
    reports = _reports([ROOT / "sample_portfolio", ROOT / "tests" / "fixtures"])
    assert len(reports) > 20
    seen = _assert_catalogued(reports)
    assert {checks.PROOF_SIGNATURE, checks.STATUS_REVOCATION, checks.FORMAT_PARSE} <= seen


def test_every_id_in_the_conformance_fixtures_is_catalogued(conformance_dir: Path) -> None:
    reports = _reports([conformance_dir])
    assert len(reports) > 50
    _assert_catalogued(reports)


@pytest.mark.parametrize(("purpose", "check_id"), [
    ("message", checks.STATUS_MESSAGE),
    ("refresh", checks.STATUS_REFRESH),
    ("revocation.evil", checks.STATUS_OTHER),
    ("<b>pwned</b>", checks.STATUS_OTHER),
])
def test_a_credential_cannot_name_its_own_check(purpose: str, check_id: str) -> None:
    """A status purpose the credential makes up used to become the check id
    (``status.<purpose>``); now it is one catalogued id, whatever the file says."""
    with LoopbackServer(tls=True) as srv:
        issuer = Ob3Issuer("Ed25519", "did:web", host_port=srv.host_port)
        url = f"https://{issuer.host_port}/status/1"
        doc = issuer.sign_di(issuer.credential(
            credentialStatus=issuer.status_entry(url, 3, purpose)))
        for path, body in issuer.documents().items():
            srv.add(path, body)
        assert srv.ca_path is not None
        fetcher = GuardedHttpFetcher(allow_hosts=[srv.host_port], ca_bundle=srv.ca_path)
        raw = RawCredential("badge.json", Container.JSON, Kind.OB3_CREDENTIAL,
                            json.dumps(doc).encode(), document=doc)
        report = verify_ob3(raw, VerifyContext(fetcher, FIXED_NOW))
    statuses = [c for c in report.checks if c.id.startswith("status.")]
    assert [(c.id, c.status) for c in statuses] == [(check_id, CheckStatus.SKIP)]
    assert report.verdict is Verdict.VERIFIED
    _assert_catalogued([report])


# -- one verdict table ---------------------------------------------------------------------------

def _with_verdict(report: VerificationReport, verdict: Verdict) -> VerificationReport:
    """The same credential with one extra check forcing ``verdict`` (``verified``: none)."""
    if verdict is Verdict.VERIFIED:
        return report
    forcing = Check(checks.FORMAT_PARSE, CheckStatus.FAIL, "forced", "Forced for the test.",
                    verdict)
    return replace(report, checks=(*report.checks, forcing))


@pytest.fixture(scope="module")
def signed_report() -> VerificationReport:
    """A verified credential of the sample proven by its signature (not a hosted copy)."""
    good = [r for r in _reports([ROOT / "sample_portfolio" / "badges"])
            if r.verdict is Verdict.VERIFIED and not any(
                c.id == checks.HOSTED_FETCH and c.status is CheckStatus.PASS for c in r.checks)]
    assert good
    return good[0]


@pytest.mark.parametrize("verdict", list(Verdict))
def test_pages_and_seal_word_each_verdict_from_the_table(signed_report: VerificationReport,
                                                         verdict: Verdict) -> None:
    report = _with_verdict(signed_report, verdict)
    assert report.verdict is verdict
    cred = credential_from_report(report, slug="c", source="c.json", source_path=None,
                                  file_bytes=b"")
    words = VERDICTS[verdict]
    assert verdict_label(verdict) == (words.icon, words.label)
    seal = trust.trust_summary(cred, "Ada").seal
    if cred.recipient is Recipient.MISMATCH:
        assert state_label(cred) == MISMATCH.label
        return
    assert state_label(cred) == words.label
    assert (seal.kind, seal.icon, seal.label) == (words.seal_kind, words.seal_icon, words.seal)
    assert seal.sentence == words.seal_sentence(
        how=CONFIRMED_SIGNED,
        when=f" on {human_date(cred.expires)}" if cred.expires else "",
        start=f" ({human_date(cred.valid_from)})" if cred.valid_from else "")
    assert "{" not in seal.sentence


@pytest.mark.parametrize("verdict", list(Verdict))
def test_cards_and_embeds_word_each_verdict_from_the_table(verdict: Verdict) -> None:
    words = VERDICTS[verdict]
    info = replace(sample_info(verdict), verdict_label="")   # the table's word, not a caller's
    assert style_for(verdict).sentence == words.card_sentence
    assert cards.card_alt(info).endswith(f"{words.label}: {words.card_sentence}")
    html = iframe_card.render_iframe_card(info, size="wide", page_url="https://x/",
                                          image_src="badge.png")
    assert f"{words.label}<" in html or f">{words.label}" in html
    assert iframe_card.card_title(info).endswith(f"({words.label})")
    assert cards.layout(info).word == words.label
    response = oembed.oembed(info, card_url="https://x/c.html", thumbnail_url="https://x/c.png",
                             provider_name="P", provider_url="https://x/")
    assert response["title"].endswith(f"({words.label})")
    page = og.credential_page(info, "og.png")
    assert page.image_alt.endswith(f": {words.label}")
    assert words.card_sentence in page.description


def test_cli_prints_the_verdict_word_in_the_tables_colour(tmp_path: Path) -> None:
    """The CLI prints the machine word (``verdict.value``) in the table's colour."""
    bad = tmp_path / "not-a-badge.json"
    bad.write_text('{"hello": "world"}')
    (report,) = _reports([bad])
    result = CliRunner().invoke(main, ["verify", "--offline", "-q", "--now",
                                       "2026-06-01T00:00:00Z", str(bad)], color=True)
    word = click.style(f"{report.verdict.value:<13}", fg=VERDICTS[report.verdict].cli_colour,
                       bold=True)
    assert result.output.startswith(word), result.output


def test_verdict_words_are_written_only_in_the_table() -> None:
    """No other module keeps its own word for a state (once "Unverified" / "Unverifiable")."""
    words = {"Unverifiable", MISMATCH.label, MISMATCH.seal, MISMATCH.sentence}
    for w in VERDICTS.values():
        words |= {w.label, w.seal, w.sentence, w.card_sentence}
    stray = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel == "model/wording.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and node.value.strip() in words):
                stray.append(f"{rel}:{node.lineno} {node.value!r}")
    assert not stray, "verdict words outside model/wording.py:\n" + "\n".join(stray)


# -- one exception tree ---------------------------------------------------------------------------

def _exception_classes() -> Iterator[tuple[str, str, type[BaseException]]]:
    import importlib

    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
        if not names:
            continue
        module = importlib.import_module(
            "portfolio_gen." + rel.removesuffix(".py").replace("/", ".").removesuffix(".__init__"))
        for name in names:
            cls = getattr(module, name)
            if isinstance(cls, type) and issubclass(cls, BaseException):
                yield rel, name, cls


def test_every_exception_is_in_the_one_tree() -> None:
    """Public exceptions are defined in errors.py; private signals too derive from the root."""
    from portfolio_gen import errors

    found = list(_exception_classes())
    assert {name for rel, name, _ in found if rel == "errors.py"} >= {
        "PortfolioGenError", "ConfigError", "FetchError", "ImportRefused", "BadInput",
        "CredentialDataError", "ContextError", "KeyResolutionError", "KeyDecodeError",
        "SignatureError", "MalformedIdentity"}
    for rel, name, cls in found:
        assert issubclass(cls, errors.PortfolioGenError), f"{rel}: {name}"
        assert rel == "errors.py" or name.startswith("_"), f"{rel}: public exception {name}"
        if rel == "errors.py":
            assert name in (errors.__doc__ or ""), f"errors.py docstring does not draw {name}"
