"""The learner's holder key: an Ed25519 did:key whose private half never enters the site.

Why: a portfolio page can only say a credential *names* the learner; a signature by a
key only the learner holds proves the portfolio's owner holds it. The key file is JSON
(``{"type": ..., "did": ..., "privateKeySeed": "z<base58 seed>"}``), written once with
mode 0600 outside the site folder; the same text can be given to CI as the repository
secret ``PORTFOLIO_HOLDER_KEY``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import base58

from portfolio_gen.errors import ConfigError, KeyDecodeError
from portfolio_gen.verify import crypto

KEY_TYPE = "portfolio-gen Ed25519 holder key"
#: The environment variable CI passes the key file's text in (from a repository secret).
ENV_VAR = "PORTFOLIO_HOLDER_KEY"


@dataclass(frozen=True)
class HolderKey:
    """An Ed25519 key and its did:key; ``seed`` is secret and is never written to the site."""

    seed: bytes
    did: str

    @property
    def verification_method(self) -> str:
        return f"{self.did}#{self.did.removeprefix('did:key:')}"

    def sign(self, data: bytes) -> bytes:
        return crypto.ed25519_sign(self.seed, data)

    def __repr__(self) -> str:   # never print the seed
        return f"HolderKey(did={self.did!r})"


def did_for_seed(seed: bytes) -> str:
    return "did:key:" + crypto.multikey_from_public_key(crypto.ed25519_public_from_seed(seed))


def new_key() -> HolderKey:
    seed = crypto.new_ed25519_seed()
    return HolderKey(seed, did_for_seed(seed))


def default_key_path(env: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/portfolio-gen/holder-key.json``, else ``~/.config/…``."""
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return root / "portfolio-gen" / "holder-key.json"


def key_text(key: HolderKey) -> str:
    seed = "z" + base58.b58encode(key.seed).decode("ascii")
    return json.dumps({"type": KEY_TYPE, "did": key.did, "privateKeySeed": seed},
                      indent=2) + "\n"


def save_key(key: HolderKey, path: Path) -> None:
    """Write the key file with mode 0600; an existing file is never overwritten."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ConfigError(f"{path}: a holder key already exists there; it was not "
                          "overwritten (move it away first if you really want a new key)") from None
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(key_text(key))
    os.chmod(path, 0o600)


def parse_key(text: str, where: str) -> HolderKey:
    """A key from a key file's text; a wrong shape or a DID that does not match is an error."""
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except ValueError:
        raise ConfigError(f"{where}: not a holder key file (not JSON)") from None
    if not isinstance(data, Mapping) or data.get("type") != KEY_TYPE:
        raise ConfigError(f"{where}: not a holder key file (expected type {KEY_TYPE!r})")
    seed_text, did = data.get("privateKeySeed"), data.get("did")
    try:
        seed = crypto.decode_multibase_base58(seed_text) if isinstance(seed_text, str) else b""
        derived = did_for_seed(seed)
    except KeyDecodeError:
        raise ConfigError(f"{where}: the holder key's privateKeySeed is not a 32-byte "
                          "base58 seed") from None
    if did != derived:
        raise ConfigError(f"{where}: the holder key's did does not belong to its private key")
    return HolderKey(seed, derived)


def load_key(path: Path) -> HolderKey:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the holder key ({exc})") from None
    return parse_key(text, str(path))


def find_key(option: Path | None, identifiers: tuple[str, ...],
             env: Mapping[str, str],
             project_dir: Path | None = None) -> tuple[HolderKey | None, str | None]:
    """(key, note) for a build: from ``$PORTFOLIO_HOLDER_KEY``, else the ``holder_key`` path,
    else the default path. A key is used only when its DID is one of the profile's
    identifiers (so one learner's key never signs another portfolio). ``note`` says once why
    no presentation is published when one was asked for: the variable is set but empty (CI
    without the secret), a key cannot be read, or its DID is not declared."""
    text = env.get(ENV_VAR)
    key: HolderKey | None = None
    if option is not None and project_dir is not None and \
            option.resolve().is_relative_to(project_dir.resolve()):
        return None, (f"holder_key: {option} is inside the portfolio folder, where it would "
                      "be committed and could be published; it was not used (move it outside "
                      "and update holder_key); presentation.json was not published")
    try:
        if text is not None and text.strip():
            key = parse_key(text, f"${ENV_VAR}")
        elif option is not None:
            key = load_key(option)
        elif default_key_path(env).is_file():
            key = load_key(default_key_path(env))
    except ConfigError as exc:
        return None, f"{exc}; presentation.json was not published"
    if key is not None and key.did in identifiers:
        return key, None
    if key is not None and (text or option is not None):
        return None, (f"the holder key ({key.did}) is not among profile.yml identifiers; "
                      "presentation.json was not published")
    if key is None and text is not None and any(i.startswith("did:key:") for i in identifiers):
        # the learner set up a holder key (its DID is declared) but CI has no secret; a
        # learner who never did is not told (the workflow always passes the variable, and a
        # warning would fail every opted-in `build --strict`)
        return None, (f"{ENV_VAR} is empty (the repository secret is not set), so no holder "
                      "key signed this build: presentation.json was not published")
    return None, None
