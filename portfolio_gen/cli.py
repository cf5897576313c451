"""The ``portfolio-gen`` command line: thin wrappers over the library.

Exit codes: 0 success (``verify``: every credential verified), 1 a credential
was not verified or a build problem, 2 usage or configuration error. Commands are
listed in the order a learner uses them (:data:`WORKFLOW_ORDER`); long work shows
progress on stderr through :mod:`portfolio_gen.progress`.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from portfolio_gen import __version__
from portfolio_gen.errors import ConfigError, PortfolioGenError
from portfolio_gen.model.wording import VERDICTS
from portfolio_gen.verify.checks import PRESENTATION_HOLDER, STATUS_WORDS
from portfolio_gen.verify.report import Verdict, VerificationReport

F = TypeVar("F", bound=Callable[..., Any])

#: the CLI prints the machine word (``verdict.value``) in the one table's colour
_VERDICT_COLOURS = {verdict: words.cli_colour for verdict, words in VERDICTS.items()}
_STATUS_MARKS = {status: mark for status, (mark, _) in STATUS_WORDS.items()}


#: ``portfolio-gen --help`` lists commands in this order; absent ones are skipped, others
#: (added later) follow by name.
WORKFLOW_ORDER = ("new", "add", "build", "serve", "deploy", "verify", "pin", "cohort", "holder")
EXIT_CODES = ("\b\nExit status:\n  0  {ok}\n  1  {fail}\n"
              "  2  usage or configuration error (the message says which file and what to fix)")


class WorkflowGroup(click.Group):
    """A group whose help lists commands in workflow order rather than alphabetically."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        rank = {name: i for i, name in enumerate(WORKFLOW_ORDER)}
        return sorted(super().list_commands(ctx), key=lambda n: (rank.get(n, len(rank)), n))


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from portfolio_gen.verify.formats import supported_formats

    click.echo(f"portfolio-gen {__version__}")
    click.echo("Verifies:")
    for line in supported_formats():
        click.echo(f"  {line}")
    ctx.exit()


def quiet_option(func: F) -> F:
    """``--quiet``: no progress display (results and problems are still printed)."""
    return click.option("-q", "--quiet", is_flag=True,
                        help="No progress display on stderr (results are still printed).")(func)


def _progress(quiet: bool) -> Any:
    """The progress display the CLI injects (a no-op with ``--quiet``)."""
    from portfolio_gen.progress import ProgressDisplay, silent

    return contextlib.nullcontext(silent) if quiet else ProgressDisplay()


def parse_now(value: str | None) -> datetime | None:
    """``--now``: ISO 8601; a value without a timezone is taken as UTC."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 date-time",
                                 param_hint="--now") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def network_options(func: F) -> F:
    """Options shared by every command that may fetch issuer documents."""
    options = [
        click.option("--offline", is_flag=True, default=None,
                     help="Never use the network; only pinned documents."),
        click.option("--pins", "pins", type=click.Path(file_okay=False, path_type=Path),
                     help="Folder of pinned documents (written by `portfolio-gen pin`)."),
        click.option("--allow-host", "allow_hosts", multiple=True, metavar="HOST[:PORT]",
                     help="Allow plain http and private addresses for this host (repeatable)."),
        click.option("--ca-bundle", type=click.Path(dir_okay=False, exists=True, path_type=Path),
                     help="Extra trusted CA certificates (PEM)."),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
                     help="Where fetched documents are cached (default: the user cache)."),
        click.option("--no-cache", is_flag=True, help="Do not read or write the fetch cache."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _make_fetcher(offline: bool | None, pins: Path | None, allow_hosts: Sequence[str],
                  ca_bundle: Path | None, cache_dir: Path | None, no_cache: bool) -> Any:
    from portfolio_gen.net.store import make_fetcher

    return make_fetcher(offline=bool(offline), pins=pins,
                        cache_dir=False if no_cache else cache_dir,
                        allow_hosts=tuple(allow_hosts), ca_bundle=ca_bundle)


@click.group(cls=WorkflowGroup, epilog="Start with: portfolio-gen new my-portfolio",
             context_settings={"help_option_names": ["-h", "--help"], "show_default": True,
                               "max_content_width": 100})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_print_version,
              help="Show the version and the credential formats it verifies, then exit.")
def main() -> None:
    """Verify Open Badges and build a learner portfolio site from them.

    \b
    A learner's way through:
      new     make a portfolio folder
      add     put badges in it (files, wallet exports, badge page URLs)
      build   make the site (or serve: preview it while you edit)
      deploy  publish it (or push to GitHub: the scaffolded workflow publishes it)
    """


@main.command(short_help="Check badge files and print a verdict for each.", epilog="""\b
Examples:
  portfolio-gen verify badges/
  portfolio-gen verify --verbose badge.png
  portfolio-gen verify --json badges/ > report.json

""" + EXIT_CODES.format(ok="every credential is verified",
                        fail="a credential is not verified (or no badge file was found)"))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@network_options
@click.option("--identity", "identities", multiple=True, metavar="VALUE",
              help="The learner's email, URL, DID or phone, to check the recipient (repeatable).")
@click.option("--strict-recipient", is_flag=True,
              help="A recipient mismatch makes the credential invalid.")
@click.option("--strict", is_flag=True,
              help="Validator mode: data-model (conformance) problems make the credential "
                   "invalid, and a status list must be signed by the credential's issuer.")
@click.option("--now", "now_text", metavar="ISO-8601",
              help="Judge validity at this instant (default: now).")
@click.option("--registry", "registry_files", multiple=True, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help="A trust registry of issuer ids you vouch for (YAML or JSON; repeatable, "
                   "most authoritative first).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of reports, only.")
@click.option("-v", "--verbose", is_flag=True, help="Show every check of every credential.")
@quiet_option
def verify(paths: tuple[Path, ...], offline: bool | None, pins: Path | None,
           allow_hosts: tuple[str, ...], ca_bundle: Path | None, cache_dir: Path | None,
           no_cache: bool, identities: tuple[str, ...], strict_recipient: bool, strict: bool,
           now_text: str | None, registry_files: tuple[Path, ...], as_json: bool,
           verbose: bool, quiet: bool) -> None:
    """Verify badge files (JSON, JWS/JWT, baked PNG/SVG, wallet exports, or folders of them)
    and print a verdict for each credential, with the reason."""
    from portfolio_gen.ingest import read_paths
    from portfolio_gen.verify.context import VerifyContext, VerifyOptions
    from portfolio_gen.verify.pipeline import verify_item
    from portfolio_gen.verify.registry import load_registries

    now = parse_now(now_text) or datetime.now(UTC)
    registries = load_registries(registry_files)
    fetcher = _make_fetcher(offline, pins, allow_hosts, ca_bundle, cache_dir, no_cache)
    ctx = VerifyContext(fetcher=fetcher, now=now,
                        options=VerifyOptions(identities=identities,
                                              strict_recipient=strict_recipient,
                                              strict=strict,
                                              registries=registries))
    items = list(read_paths(paths))
    reports = []
    with _progress(quiet) as progress:
        for done, item in enumerate(items, 1):
            reports.append(verify_item(item, ctx))
            progress("verifying", done, len(items))
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in reports], indent=2, ensure_ascii=False))
    else:
        _print_table(reports, verbose)
    if not reports:
        click.echo("No badge files found.", err=True)
    sys.exit(0 if reports and all(r.verdict is Verdict.VERIFIED for r in reports) else 1)


def _print_table(reports: Sequence[VerificationReport], verbose: bool) -> None:
    from portfolio_gen.verify.anchor import issued_by, origin_proven

    for report in reports:
        verdict = report.verdict
        label = click.style(f"{verdict.value:<13}", fg=_VERDICT_COLOURS[verdict], bold=True)
        name = report.achievement_name or "(unnamed)"
        click.echo(f"{label} {report.source}  {name}")
        click.echo(f"{'':14}{report.reason}")
        if report.conformance_warnings:  # beside the verdict, never instead of it
            codes = ", ".join(c.code for c in report.conformance_warnings)
            click.echo(f"{'':14}⚠ departs from the standard (verdict unchanged; --strict "
                       f"fails it): {codes}")
        if verbose:
            issuer = report.issuer
            click.echo(f"{'':16}issuer ({issuer.anchor}): " + issued_by(
                issuer.name or issuer.id or "", issuer.anchor, issuer.anchor_detail,
                issuer.listed_name, proven=origin_proven(report)))
            for check in report.checks:
                click.echo(f"{'':16}{_STATUS_MARKS[check.status]} {check.id}: {check.message}")
            for nested in report.nested:
                click.echo(f"{'':16}↳ {nested.verdict.value}: "
                           f"{nested.achievement_name or nested.credential_id} — {nested.reason}")
        else:  # a credential from a wallet export: which holder (if any) is proven
            for check in (c for c in report.checks if c.id == PRESENTATION_HOLDER):
                click.echo(f"{'':14}{_STATUS_MARKS[check.status]} {check.message}")
    counts: dict[str, int] = {}
    for report in reports:
        counts[report.verdict.value] = counts.get(report.verdict.value, 0) + 1
    summary = ", ".join(f"{n} {v}" for v, n in sorted(counts.items()))
    click.echo(f"{len(reports)} credential(s): {summary}" if reports else "")


@main.command(short_help="Put badges in badges/: files, wallet exports, page URLs.",
              epilog="""\b
Examples:
  portfolio-gen add ~/Downloads/badge.png
  portfolio-gen add https://www.credly.com/badges/<id> --to my-portfolio
  portfolio-gen add SharedCredentials.txt

\b
Exit status: 0 every credential was added and verified (or was already there), 1 a source
was skipped, nothing was added, or an added credential is not verified, 2 usage or
configuration error.""")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--to", "dest", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="The portfolio folder (the one with mkdocs.yml).")
@network_options
@click.option("--identity", "identities", multiple=True, metavar="VALUE",
              help="The learner's email, URL, DID or phone (default: profile.yml identifiers).")
@quiet_option
def add(sources: tuple[str, ...], dest: Path, offline: bool | None, pins: Path | None,
        allow_hosts: tuple[str, ...], ca_bundle: Path | None, cache_dir: Path | None,
        no_cache: bool, identities: tuple[str, ...], quiet: bool) -> None:
    """Add badges: files, folders, wallet exports or badge page URLs, into badges/
    (each checked, verified and saved under a readable name; nothing is overwritten)."""
    from dataclasses import replace

    from portfolio_gen.importer.add import Importer
    from portfolio_gen.importer.console import run_add
    from portfolio_gen.importer.target import find_portfolio
    from portfolio_gen.verify.context import VerifyContext, VerifyOptions

    portfolio = find_portfolio(dest)
    if pins is not None:
        portfolio = replace(portfolio, pins_dir=pins)
    fetcher = _make_fetcher(offline, portfolio.pins_dir, allow_hosts, ca_bundle,
                            cache_dir, no_cache)
    ctx = VerifyContext(fetcher=fetcher, now=datetime.now(UTC), options=VerifyOptions(
        identities=identities or portfolio.identifiers))
    with _progress(quiet) as progress:
        importer = Importer(portfolio, fetcher=fetcher, ctx=ctx, pin=not offline,
                            progress=progress)
        status = run_add(importer, sources, progress=progress)
    sys.exit(status)


@main.command(short_help="Store the issuer documents badges need, for offline builds.",
              epilog="""\b
Example:
  portfolio-gen pin badges/ --pins pins/
  portfolio-gen build --offline

\b
Exit status: 0 every document pinned, 1 a document could not be fetched, 2 usage error.""")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--pins", "pins", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to store the pinned documents in.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="HOST[:PORT]",
              help="Allow plain http and private addresses for this host (repeatable).")
@click.option("--ca-bundle", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Extra trusted CA certificates (PEM).")
def pin(paths: tuple[Path, ...], pins: Path, allow_hosts: tuple[str, ...],
        ca_bundle: Path | None) -> None:
    """Fetch and store the issuer documents these badges need, for offline builds."""
    from portfolio_gen.ingest import read_paths
    from portfolio_gen.net.http import GuardedHttpFetcher
    from portfolio_gen.net.store import LayeredFetcher, PinStore, pin_urls
    from portfolio_gen.verify.pinning import urls_to_pin

    # Following the document chain fetches each document once; pinning reuses those answers.
    live = LayeredFetcher(GuardedHttpFetcher(allow_hosts=allow_hosts, ca_bundle=ca_bundle))
    urls: list[str] = []
    for item in read_paths(paths):
        for url in urls_to_pin(item, live):
            if url not in urls:
                urls.append(url)
    failures = 0
    for url, outcome in pin_urls(urls, live, PinStore(pins)):
        if isinstance(outcome, PortfolioGenError):
            failures += 1
            click.echo(click.style("failed ", fg="red") + f"{url}: {outcome}")
        else:
            click.echo(click.style("pinned ", fg="green") + f"{url} ({outcome.status})")
    click.echo(f"{len(urls) - failures} of {len(urls)} document(s) pinned in {pins}")
    sys.exit(1 if failures else 0)


@main.command(short_help="Verify the badges and build the portfolio site.", epilog="""\b
Examples:
  portfolio-gen build                       # the portfolio in this folder, into site/
  portfolio-gen build my-portfolio -d public
  portfolio-gen build --offline             # pinned issuer documents only
  portfolio-gen build --strict              # CI: fail on warnings, stray files, unverified

""" + EXIT_CODES.format(ok="the site was built (problems with single files are listed, "
                           "not fatal)",
                        fail="the site could not be built, or --strict found warnings, files "
                             "that are not credentials or credentials that are not verified"))
@click.argument("project", required=False, type=click.Path(path_type=Path), default=".")
@click.option("-d", "--site-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the site (default: mkdocs.yml's site_dir).")
@click.option("--offline", is_flag=True, default=None,
              help="Only pinned documents (default: mkdocs.yml's offline setting).")
@click.option("--now", "now_text", metavar="ISO-8601",
              help="Judge validity at this instant (default: now).")
@click.option("--strict", is_flag=True,
              help="For CI: exit 1 if the build logged any warning, any file in badges/ is "
                   "not a credential, or any credential is not verified (the site is still "
                   "written).")
@quiet_option
def build(project: Path, site_dir: Path | None, offline: bool | None,
          now_text: str | None, strict: bool, quiet: bool) -> None:
    """Build the portfolio site of PROJECT (a folder with mkdocs.yml; default: here)."""
    from portfolio_gen.mkdocs_plugin.engine import WarningCounter, build_site
    from portfolio_gen.model.build_summary import strict_failures

    with _progress(quiet) as progress, WarningCounter().attached() as warnings:
        summary = build_site(project, site_dir=site_dir, offline=offline,
                             now=parse_now(now_text), progress=progress)
    click.echo(summary.line())
    for problem in summary.problems:
        click.echo(click.style("problem: ", fg="yellow") + problem)
    reasons = strict_failures(summary, warnings.count) if strict else []
    if reasons:
        click.echo(click.style("strict: ", fg="red") + "failing the build: "
                   + "; ".join(reasons) + ".", err=True)
        sys.exit(1)


@main.command(short_help="Preview the portfolio; it rebuilds when you edit.", epilog="""\b
Example:
  portfolio-gen serve            # then open http://127.0.0.1:8000/""")
@click.argument("project", required=False, type=click.Path(path_type=Path), default=".")
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT",
              help="Address to serve the preview on.")
@click.option("--offline", is_flag=True, default=None,
              help="Only pinned documents (default: mkdocs.yml's offline setting).")
@click.option("--now", "now_text", metavar="ISO-8601",
              help="Judge validity at this instant (default: now).")
def serve(project: Path, dev_addr: str, offline: bool | None, now_text: str | None) -> None:
    """Serve the portfolio with live reload when badges, reflections or config change."""
    from portfolio_gen.mkdocs_plugin.engine import serve_site

    serve_site(project, dev_addr=dev_addr, offline=offline, now=parse_now(now_text),
               echo=click.echo)


@main.command(short_help="Build and publish to GitHub Pages (gh-pages branch).", epilog="""\b
Example:
  portfolio-gen deploy -m "Add the teamwork badge"

The scaffolded GitHub Actions workflow (.github/workflows/pages.yml) is the recommended
way to publish; deploy is for publishing from your own computer.""")
@click.argument("project", required=False, type=click.Path(path_type=Path), default=".")
@click.option("-m", "--message", default=None,
              help="Commit message for the gh-pages branch (default: MkDocs' message).")
def deploy(project: Path, message: str | None) -> None:
    """Build and publish to GitHub Pages (the gh-pages branch of this repository)."""
    from portfolio_gen.mkdocs_plugin.engine import deploy_site

    summary = deploy_site(project, message=message)
    click.echo(summary.line())
    for problem in summary.problems:
        click.echo(click.style("problem: ", fg="yellow") + problem)


@main.command(short_help="Create a new portfolio folder to start from.", epilog="""\b
Example:
  portfolio-gen new my-portfolio --name "Ada Lovelace"
  cd my-portfolio && portfolio-gen serve""")
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--name", default=None,
              help="The learner's name for the example profile (default: \"Your Name\").")
@click.option("--install-from", metavar="REQUIREMENT", default=None,
              help="What the publishing workflow pip-installs (default: this version from "
                   "the package index, else from the project's git repository).")
def new(dest: Path, name: str | None, install_from: str | None) -> None:
    """Create a ready portfolio folder at DEST (never overwrites anything)."""
    from portfolio_gen.scaffold import create_portfolio

    written = create_portfolio(dest, name=name, install_from=install_from)
    click.echo(f"Created {len(written)} files in {dest}. Next:\n"
               f"  cd {dest}\n"
               "  portfolio-gen add <badge file, wallet export or badge page URL>\n"
               "  portfolio-gen serve")


@main.group(short_help="The holder key that signs presentation.json.", epilog="""\b
Example:
  portfolio-gen holder init""")
def holder() -> None:
    """The learner's holder key: proves the portfolio's owner holds its credentials."""


@holder.command("init", short_help="Create a holder key and add its DID to profile.yml.",
                epilog="""\b
Example:
  portfolio-gen holder init --key ~/keys/holder.json""")
@click.argument("project", required=False, type=click.Path(file_okay=False, path_type=Path),
                default=".")
@click.option("--key", "key_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to keep the private key (default: the user config folder). Never "
                   "inside the portfolio folder.")
@click.option("--profile", "profile_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The profile to add the DID to (default: PROJECT/profile.yml).")
def holder_init(project: Path, key_path: Path | None, profile_path: Path | None) -> None:
    """Create a holder key (did:key) and add its DID to profile.yml identifiers."""
    from portfolio_gen.holder.key import ENV_VAR, default_key_path, new_key, save_key
    from portfolio_gen.holder.profile_edit import add_identifier

    project = project.resolve()
    profile = (profile_path or project / "profile.yml").resolve()
    if not profile.is_file():
        raise ConfigError(f"{profile}: profile file not found (give --profile)")
    target = (key_path or default_key_path()).expanduser().resolve()
    if target.is_relative_to(project):
        raise ConfigError(f"{target}: the private key must live outside the portfolio folder "
                          "(it would be committed and published); choose another --key")
    key = new_key()
    save_key(key, target)
    click.echo(f"Holder key: {target} (private, mode 0600; never publish or commit it)")
    try:
        add_identifier(profile, key.did)
    except ConfigError as exc:   # the key exists now: say how to finish by hand
        click.echo(f"DID: {key.did}")
        raise ConfigError(str(exc)) from None
    click.echo(f"DID: {key.did} (added to {profile.name} identifiers)")
    if key_path is not None:
        click.echo(f"Builds find it when mkdocs.yml sets  holder_key: {target}  under "
                   "plugins.portfolio.")
    click.echo(f"GitHub Actions: add the key file's content as the repository secret {ENV_VAR}; "
               "each build then publishes presentation.json signed by this key.")


@main.group(short_help="Cohort showcase sites: many learners, one directory.", epilog="""\b
Example:
  portfolio-gen cohort build cohort.yml""")
def cohort() -> None:
    """Cohort showcase sites: many learners' portfolios, one directory (cohort.yml)."""


@cohort.command("build", short_help="Build the cohort site of a cohort.yml.", epilog="""\b
Example:
  portfolio-gen cohort build cohort.yml -d public

""" + EXIT_CODES.format(ok="the site was built (learners with problems are listed)",
                        fail="the site could not be built"))
@click.argument("cohort_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-d", "--site-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the site (default: site/ beside cohort.yml).")
@click.option("--offline", is_flag=True, default=None,
              help="Only pinned documents (default: cohort.yml's offline setting).")
@click.option("--now", "now_text", metavar="ISO-8601",
              help="Judge validity at this instant (default: midnight UTC today).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Verification and page cache (default: cohort.yml's cache_dir, else the "
                   "user cache).")
@click.option("--executor", "executor_kind", type=click.Choice(["process", "dask"]),
              help="Where learner tasks run: this machine's cores (process) or a Dask "
                   "cluster (dask; needs portfolio-gen[dask]). Default: cohort.yml's "
                   "executor, else process.")
@click.option("--scheduler", metavar="ADDRESS",
              help="The Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: cohort.yml's "
                   "scheduler).")
@quiet_option
def cohort_build(cohort_file: Path, site_dir: Path | None, offline: bool | None,
                 now_text: str | None, cache_dir: Path | None, executor_kind: str | None,
                 scheduler: str | None, quiet: bool) -> None:
    """Build the cohort showcase site described by COHORT_FILE."""
    from portfolio_gen.cohort.build import build_cohort
    from portfolio_gen.mkdocs_plugin import MKDOCS

    with _progress(quiet) as progress:
        summary = build_cohort(MKDOCS, cohort_file, site_dir=site_dir, offline=offline,
                               now=parse_now(now_text), cache_dir=cache_dir, progress=progress,
                               executor_kind=executor_kind, scheduler=scheduler)
    click.echo(summary.line())
    for problem in summary.problems:
        click.echo(click.style("problem: ", fg="yellow") + problem)
    if summary.staff:
        click.echo(f"staff outputs: {', '.join(str(p) for p in summary.staff.values())}")


@cohort.command("serve", short_help="Preview the cohort site; it rebuilds on change.",
                epilog="""\b
Example:
  portfolio-gen cohort serve cohort.yml -a 127.0.0.1:8001""")
@click.argument("cohort_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT",
              help="Address to serve the preview on.")
@click.option("--offline", is_flag=True, default=None,
              help="Only pinned documents (default: cohort.yml's offline setting).")
@click.option("--now", "now_text", metavar="ISO-8601",
              help="Judge validity at this instant (default: midnight UTC today).")
def cohort_serve(cohort_file: Path, dev_addr: str, offline: bool | None,
                 now_text: str | None) -> None:
    """Serve the cohort site; it rebuilds and reloads when cohort.yml or a learner changes."""
    from portfolio_gen.cohort.serve import serve_cohort
    from portfolio_gen.mkdocs_plugin import MKDOCS

    serve_cohort(MKDOCS, cohort_file, dev_addr=dev_addr, offline=offline, now=parse_now(now_text),
                 echo=click.echo)


def run() -> None:
    """Entry point that turns expected errors into a message and exit status 2."""
    try:
        main(standalone_mode=True)
    except (ConfigError, PortfolioGenError) as exc:
        click.echo(click.style("error: ", fg="red") + str(exc), err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    run()
