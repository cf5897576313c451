"""Portfolio configuration: the plugin options, profile, pathways and reflection front matter.

Engine-free on purpose (no mkdocs import) so the core, the CLI and ``portfolio-gen new``
share one schema. Every problem raises :class:`~portfolio_gen.errors.ConfigError` with a
message naming the file, the key and what was expected.

Schema (all paths are relative to the folder holding ``mkdocs.yml`` and must stay inside it:
an absolute path, a ``..`` that climbs out or a symlink leading out is refused and ignored,
see :mod:`portfolio_gen.confine`; ``cache_dir`` is exempt)::

    # mkdocs.yml
    site_name: Ada Example — Portfolio
    docs_dir: docs                  # must exist; may be empty or hold your own extra pages
    theme:
      name: material
      font: false                   # no Google Fonts: the site makes no external requests
    plugins:
      - search
      - portfolio:
          profile: profile.yml           # default profile.yml
          badges_dir: badges             # default badges; every file in it is read as a badge
          reflections_dir: reflections   # default reflections; *.md pages + attachments
          pathways: pathways.yml         # default pathways.yml (optional file)
          pins_dir: pins                 # default pins; pinned issuer documents (offline builds)
          cache_dir: ~/.cache/…          # default: the user cache folder (never the portfolio)
          offline: false                 # true: use only pinned/cached documents
          failed_credentials: flag       # flag (show with a banner) | hide
          now: 2026-06-01T12:00:00Z      # optional: judge credentials at this instant
          strict_recipient: false        # true: a recipient mismatch makes a badge invalid
          strict: false                  # true: data-model (conformance) problems fail a badge
          credentials:                   # per credential, keyed by file name (in badges_dir)
            python-basics.json:          #   or by credential id
              featured: true             #   shown on the home page
              hidden: false              #   true: never published
              failed: hide               #   overrides failed_credentials for this one
          holder_key: ~/keys/holder.json # optional: from `portfolio-gen holder init --key`
          linkedin_organizations:        # optional: issuer id or name → LinkedIn organization
            "https://uni.example/issuer": 1234567   #   id, so "Add to profile" shows its logo

    # profile.yml
    name: Ada Example                    # required
    headline: Data analyst in training
    photo: photo.jpg                     # file beside profile.yml, or an https URL
    photo_alt: Ada smiling               # default "Photo of <name>"
    bio: Short Markdown bio.
    links: [{label: GitHub, url: "https://github.com/ada"}]
    identifiers: [ada@example.org, "did:key:z6Mk…"]   # recipient matching only; NEVER printed
    showcase_consent: false              # true: may appear on cohort showcase sites
    publish_originals: false             # true: cohort sites publish originals that name
                                         #   you by plain email/phone (default: withheld)

    # pathways.yml
    pathways:
      - name: Data Analyst
        description: Markdown text
        required: [<achievement id or name>, …]
        groups: [{name: Electives, choose: 2, of: [<id or name>, …]}]
        capstone: <achievement id or name>   # optional

    # reflections/<any>.md front matter
    ---
    title: What I learned building a dashboard   # default: from the file name
    date: 2026-03-14                             # optional
    credentials: [<credential id, achievement id or name, or badge file name>, …]
    skills: [SQL, Data visualisation]
    tags: [project]
    ---
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from portfolio_gen.config_errors import unknown_key, yaml_where
from portfolio_gen.confine import confine
from portfolio_gen.errors import ConfigError
from portfolio_gen.theme import find_override

#: Where a refused path points instead (inside the portfolio, hidden, never created).
REFUSED_DIR = ".portfolio-gen-refused"
#: Options whose paths must stay inside the portfolio folder (``cache_dir`` is ours to write
#: and is never published).
CONFINED_OPTIONS = ("profile", "badges_dir", "reflections_dir", "pathways", "pins_dir")

FailedPolicy = Literal["flag", "hide"]
_FAILED_POLICIES = ("flag", "hide")

#: Plugin option names accepted under ``plugins: - portfolio:`` (the plugin mirrors these).
OPTION_NAMES = (
    "profile", "badges_dir", "reflections_dir", "pathways", "pins_dir", "cache_dir",
    "offline", "failed_credentials", "now", "strict_recipient", "strict", "credentials",
    "linkedin_organizations", "registries", "holder_key",
)


@dataclass(frozen=True)
class CredentialOptions:
    """Learner choices for one credential (keyed by file name or credential id)."""

    featured: bool = False
    hidden: bool = False
    failed: FailedPolicy | None = None


@dataclass(frozen=True)
class PortfolioConfig:
    """Resolved plugin options: absolute paths and typed values."""

    project_dir: Path
    profile: Path
    badges_dir: Path
    reflections_dir: Path
    pathways: Path
    pins_dir: Path
    cache_dir: Path | None = None
    offline: bool = False
    failed_credentials: FailedPolicy = "flag"
    now: dt.datetime | None = None
    strict_recipient: bool = False
    #: conformance warnings become failures; status lists must come from the issuer itself
    strict: bool = False
    credentials: Mapping[str, CredentialOptions] = field(default_factory=dict)
    #: issuer id or name → numeric LinkedIn organisation id (Add to profile shows its logo)
    linkedin_organizations: Mapping[str, str] = field(default_factory=dict)
    #: option → why its path was refused (it left the portfolio folder; the sentence names
    #: the key, not the file: that is mkdocs.yml); that option then points at
    #: :data:`REFUSED_DIR`, where no reader finds anything, so the build goes on without it
    refused: Mapping[str, str] = field(default_factory=dict)
    #: trust registry files (``verify.registry``), most authoritative first; none by default
    registries: tuple[Path, ...] = ()
    #: the learner's holder key file (default: the user config folder); never in the site
    holder_key: Path | None = None
    #: the portfolio's own ``themes/portfolio/`` (:func:`portfolio_gen.theme.find_override`):
    #: its files replace ours one by one; a cohort never reads a learner's
    theme: Path | None = None

    def options_for(self, *keys: str | None) -> CredentialOptions:
        """Options of the first key present (file name, then credential id)."""
        for key in keys:
            if key and key in self.credentials:
                return self.credentials[key]
        return CredentialOptions()


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class ProfileConfig:
    """profile.yml as written; ``identifiers`` are for recipient matching only."""

    name: str
    headline: str = ""
    photo: str | None = None
    photo_alt: str = ""
    bio: str = ""
    links: tuple[Link, ...] = ()
    identifiers: tuple[str, ...] = ()
    showcase_consent: bool = False   # opt-in to cohort showcase sites (careers offices)
    #: cohort sites: publish originals/JSON even when they name the learner by plain email
    #: or phone (off by default: the learner consented to be shown, not contacted)
    publish_originals: bool = False


@dataclass(frozen=True)
class PathwayGroup:
    name: str
    choose: int
    of: tuple[str, ...]


@dataclass(frozen=True)
class PathwayConfig:
    name: str
    description: str = ""
    required: tuple[str, ...] = ()
    groups: tuple[PathwayGroup, ...] = ()
    capstone: str | None = None


#: The front matter keys a reflection may set; others are ignored with a warning.
REFLECTION_KEYS = ("title", "date", "credentials", "skills", "tags")


@dataclass(frozen=True)
class ReflectionMeta:
    """Validated reflection front matter (other keys are ignored, never passed on)."""

    title: str | None = None
    date: dt.date | None = None
    credentials: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


# -- plugin options ----------------------------------------------------------------------------

def parse_plugin_options(options: Mapping[str, Any], *, project_dir: Path,
                         source: str = "mkdocs.yml") -> PortfolioConfig:
    """Validate the ``portfolio`` plugin options of ``source`` into a :class:`PortfolioConfig`."""
    where = f"{source}: plugins.portfolio"
    unknown = sorted(set(options) - set(OPTION_NAMES))
    if unknown:
        raise unknown_key(where, unknown[0], OPTION_NAMES, path=project_dir / source,
                          within=("portfolio",), noun="option")
    opts = {k: v for k, v in options.items() if v is not None}
    refused: dict[str, str] = {}

    def path(key: str, default: str) -> Path:
        value = opts.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}.{key}: expected a relative path, got {value!r}")
        if key not in CONFINED_OPTIONS:
            return (project_dir / value).resolve()
        confined, why = confine(value, project_dir)
        if confined is None:
            refused[key] = f"plugins.portfolio.{key}: {why}; it was ignored"
            return project_dir.resolve() / REFUSED_DIR / key
        return confined

    theme_dir, why = find_override(project_dir.resolve())
    if why is not None:
        refused["theme"] = why
    failed = opts.get("failed_credentials", "flag")
    if failed not in _FAILED_POLICIES:
        raise ConfigError(f"{where}.failed_credentials: expected 'flag' or 'hide', got {failed!r}")
    return PortfolioConfig(
        project_dir=project_dir.resolve(),
        profile=path("profile", "profile.yml"),
        badges_dir=path("badges_dir", "badges"),
        reflections_dir=path("reflections_dir", "reflections"),
        pathways=path("pathways", "pathways.yml"),
        pins_dir=path("pins_dir", "pins"),
        cache_dir=path("cache_dir", "") if "cache_dir" in opts else None,
        offline=_bool(opts.get("offline", False), f"{where}.offline"),
        failed_credentials=failed,
        now=parse_instant(opts["now"], f"{where}.now") if "now" in opts else None,
        strict_recipient=_bool(opts.get("strict_recipient", False), f"{where}.strict_recipient"),
        strict=_bool(opts.get("strict", False), f"{where}.strict"),
        credentials=_credential_options(opts.get("credentials", {}), f"{where}.credentials"),
        linkedin_organizations=_linkedin_organizations(opts.get("linkedin_organizations", {}),
                                                       f"{where}.linkedin_organizations"),
        refused=refused,
        registries=registry_paths(opts.get("registries"), project_dir, f"{where}.registries"),
        holder_key=Path(opts["holder_key"]).expanduser().resolve()
        if isinstance(opts.get("holder_key"), str) and opts["holder_key"].strip() else None,
        theme=theme_dir,
    )


def registry_paths(value: Any, base: Path, where: str) -> tuple[Path, ...]:
    """``registries:``: a list of trust registry files, relative to ``base``."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ConfigError(f"{where}: expected a list of registry files (YAML or JSON)")
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise ConfigError(f"{where}[{i}]: expected a registry file path, got {item!r}")
        out.append((base / item).resolve())
    return tuple(out)


def _linkedin_organizations(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: expected a mapping of issuer id or name to a numeric "
                          "LinkedIn organization id")
    out: dict[str, str] = {}
    for key, org in value.items():
        text = str(org).strip()
        if not isinstance(org, (int, str)) or isinstance(org, bool) or not text.isdigit():
            raise ConfigError(f"{where}.{key}: expected a numeric LinkedIn organization id "
                              f"(from the company page URL), got {org!r}")
        out[str(key)] = text
    return out


def parse_instant(value: Any, where: str) -> dt.datetime:
    """An ISO-8601 instant with a time zone (a bare date means midnight UTC)."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ConfigError(f"{where}: expected an ISO-8601 instant such as "
                              f"2026-06-01T12:00:00Z, got {value!r}") from None
    else:
        raise ConfigError(f"{where}: expected an ISO-8601 instant, got {value!r}")
    if parsed.tzinfo is None:
        raise ConfigError(f"{where}: the instant {value!r} needs a time zone (e.g. a final Z)")
    return parsed.astimezone(dt.UTC)


def _credential_options(value: Any, where: str) -> dict[str, CredentialOptions]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: expected a mapping of file name or credential id to options")
    out: dict[str, CredentialOptions] = {}
    for key, entry in value.items():
        here = f"{where}.{key}"
        entry = entry or {}
        if not isinstance(entry, Mapping):
            raise ConfigError(f"{here}: expected a mapping with featured/hidden/failed")
        extra = sorted(set(entry) - {"featured", "hidden", "failed"})
        if extra:
            raise ConfigError(f"{here}: unknown key {extra[0]!r}; expected featured, hidden "
                              f"or failed")
        failed = entry.get("failed")
        if failed is not None and failed not in _FAILED_POLICIES:
            raise ConfigError(f"{here}.failed: expected 'flag' or 'hide', got {failed!r}")
        out[str(key)] = CredentialOptions(
            featured=_bool(entry.get("featured", False), f"{here}.featured"),
            hidden=_bool(entry.get("hidden", False), f"{here}.hidden"),
            failed=failed,
        )
    return out


# -- side files --------------------------------------------------------------------------------

def read_yaml_file(path: Path) -> Any:
    """Parse a YAML file, turning syntax errors into a ConfigError naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a leading BOM is accepted
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the file ({exc})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({yaml_where(exc)})") from None


#: The safe YAML loader, libyaml's when installed (~10x faster on a cohort's many files).
FAST_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _MkDocsYamlLoader(FAST_SAFE_LOADER):  # type: ignore[misc]
    """Safe YAML that reads MkDocs-only tags (``!ENV``, ``!!python/name:``) as null."""


def _ignore_tag(loader: Any, suffix: str, node: yaml.Node) -> None:
    return None


_MkDocsYamlLoader.add_multi_constructor("", _ignore_tag)
_MkDocsYamlLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def read_plugin_options(mkdocs_yml: Path) -> dict[str, Any] | None:
    """The ``portfolio`` plugin's options in a portfolio's ``mkdocs.yml``, read without
    MkDocs (``add`` and the cohort read learner folders this way); ``None`` when the file
    lists no ``portfolio`` plugin. Unreadable YAML or options that are not a mapping raise
    :class:`ConfigError` naming the file."""
    try:
        data = yaml.load(mkdocs_yml.read_text(encoding="utf-8-sig"), Loader=_MkDocsYamlLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{mkdocs_yml}: cannot read it as YAML ({exc})") from None
    plugins = data.get("plugins") if isinstance(data, Mapping) else None
    entries = plugins.items() if isinstance(plugins, Mapping) else [
        next(iter(p.items())) if isinstance(p, Mapping) and len(p) == 1 else (p, None)
        for p in (plugins if isinstance(plugins, list) else [])]
    for name, options in entries:
        if name == "portfolio":
            if options is not None and not isinstance(options, Mapping):
                raise ConfigError(f"{mkdocs_yml}: plugins.portfolio: expected a mapping of "
                                  "options")
            return dict(options or {})
    return None


def load_profile(path: Path) -> ProfileConfig:
    """Read profile.yml (a missing file is an error: a portfolio needs a name)."""
    if not path.is_file():
        raise ConfigError(f"{path}: profile file not found (set plugins.portfolio.profile)")
    data = read_yaml_file(path)
    if not isinstance(data, Mapping):
        raise ConfigError(f"{path}: expected a mapping with at least 'name'")
    known = {"name", "headline", "photo", "photo_alt", "bio", "links", "identifiers",
             "showcase_consent", "publish_originals"}
    extra = sorted(set(data) - known)
    if extra:
        raise unknown_key(str(path), extra[0], known, path=path)
    name = _text(data.get("name"), f"{path}: name", required=True)
    links = []
    for i, item in enumerate(_list(data.get("links"), f"{path}: links")):
        if not isinstance(item, Mapping) or not isinstance(item.get("url"), str):
            raise ConfigError(f"{path}: links[{i}]: expected {{label: …, url: https://…}}")
        url = item["url"].strip()
        if not url.lower().startswith(("https://", "http://", "mailto:")):
            raise ConfigError(f"{path}: links[{i}].url: expected an http(s) or mailto: URL, "
                              f"got {url!r}")
        links.append(Link(_text(item.get("label"), f"{path}: links[{i}].label") or url, url))
    return ProfileConfig(
        name=name,
        headline=_text(data.get("headline"), f"{path}: headline"),
        photo=_text(data.get("photo"), f"{path}: photo") or None,
        photo_alt=_text(data.get("photo_alt"), f"{path}: photo_alt") or f"Photo of {name}",
        bio=_text(data.get("bio"), f"{path}: bio"),
        links=tuple(links),
        identifiers=_strings(data.get("identifiers"), f"{path}: identifiers"),
        showcase_consent=_consent(data.get("showcase_consent"), path),
        publish_originals=_bool(data.get("publish_originals", False),
                                f"{path}: publish_originals"),
    )


def _consent(value: Any, path: Path) -> bool:
    """Only an explicit ``true`` is consent; anything else but absence is an error."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ConfigError(f"{path}: showcase_consent: expected true or false, got {value!r}")
    return value


def load_pathways(path: Path) -> tuple[PathwayConfig, ...]:
    """Read pathways.yml; a missing file means no pathways."""
    if not path.is_file():
        return ()
    data = read_yaml_file(path)
    if data is None:
        return ()
    if isinstance(data, Mapping):
        data = data.get("pathways")
    items = _list(data, f"{path}: pathways")
    out = []
    for i, item in enumerate(items):
        here = f"{path}: pathways[{i}]"
        if not isinstance(item, Mapping):
            raise ConfigError(f"{here}: expected a mapping with name, required, groups")
        extra = sorted(set(item) - {"name", "description", "required", "groups", "capstone"})
        if extra:
            raise unknown_key(here, extra[0], ("name", "description", "required", "groups",
                                               "capstone"), path=path, within=("pathways",))
        groups = []
        for j, group in enumerate(_list(item.get("groups"), f"{here}.groups")):
            gwhere = f"{here}.groups[{j}]"
            if not isinstance(group, Mapping):
                raise ConfigError(f"{gwhere}: expected {{name: …, choose: N, of: [...]}}")
            of = _strings(group.get("of"), f"{gwhere}.of")
            choose = group.get("choose", 1)
            if isinstance(choose, bool) or not isinstance(choose, int) or not 1 <= choose <= len(
                    of):
                raise ConfigError(f"{gwhere}.choose: expected a whole number from 1 to "
                                  f"{len(of)} (the size of 'of'), got {choose!r}")
            groups.append(PathwayGroup(_text(group.get("name"), f"{gwhere}.name")
                                       or f"Choose {choose}", choose, of))
        capstone = _text(item.get("capstone"), f"{here}.capstone") or None
        required = _strings(item.get("required"), f"{here}.required")
        if not required and not groups and not capstone:
            raise ConfigError(f"{here}: expected at least one of required, groups or capstone")
        out.append(PathwayConfig(_text(item.get("name"), f"{here}.name", required=True),
                                 _text(item.get("description"), f"{here}.description"),
                                 required, tuple(groups), capstone))
    return tuple(out)


def _split_front_matter(text: str, source: str) -> tuple[str | None, str]:
    """(front matter YAML or None, Markdown body), without reading the YAML."""
    if not text.startswith("---"):
        return None, text
    lines = text.splitlines(keepends=True)
    end = next((i for i, line in enumerate(lines[1:], 1)
                if line.rstrip() in ("---", "...")), None)
    if lines[0].rstrip() != "---" or end is None:
        raise ConfigError(f"{source}: front matter starts with '---' but has no closing '---'")
    return "".join(lines[1:end]), "".join(lines[end + 1:])


def front_matter_body(text: str) -> str:
    """A reflection's Markdown body: everything after its front matter (not validated)."""
    try:
        return _split_front_matter(text, "")[1]
    except ConfigError:
        return text


def parse_front_matter(text: str, source: str) -> tuple[ReflectionMeta, dict[str, Any], str]:
    """Split a reflection into (validated meta, all front matter, Markdown body)."""
    text = text.removeprefix("\ufeff")   # a BOM saved by some editors is not content
    meta: dict[str, Any] = {}
    head, body = _split_front_matter(text, source)
    if head is not None:
        try:
            loaded = yaml.safe_load(head)
        except yaml.YAMLError as exc:
            raise ConfigError(f"{source}: front matter is not valid YAML "
                              f"({yaml_where(exc, line_offset=1)})") from None
        if loaded is not None and not isinstance(loaded, Mapping):
            raise ConfigError(f"{source}: front matter must be a mapping of keys to values")
        meta = dict(loaded or {})
    date = meta.get("date")
    if date is not None and not isinstance(date, dt.date):
        raise ConfigError(f"{source}: date: expected a date such as 2026-03-14, got {date!r}")
    if isinstance(date, dt.datetime):
        date = date.date()
    return ReflectionMeta(
        title=_text(meta.get("title"), f"{source}: title") or None,
        date=date,
        credentials=_strings(meta.get("credentials"), f"{source}: credentials"),
        skills=_strings(meta.get("skills"), f"{source}: skills"),
        tags=_strings(meta.get("tags"), f"{source}: tags"),
    ), meta, body


# -- small validators ---------------------------------------------------------------------------

def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: expected true or false, got {value!r}")
    return value


def _text(value: Any, where: str, *, required: bool = False) -> str:
    if value is None:
        if required:
            raise ConfigError(f"{where}: required; expected a text value")
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ConfigError(f"{where}: expected a text value, got {value!r}")
    text = str(value).strip()
    if required and not text:
        raise ConfigError(f"{where}: required; expected a non-empty text value")
    return text


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConfigError(f"{where}: expected a list, got {value!r}")
    return value


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    return tuple(_text(v, f"{where}[{i}]", required=True)
                 for i, v in enumerate(_list(value, where)))
