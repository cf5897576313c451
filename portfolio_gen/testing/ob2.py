"""Make Open Badges 2.0 issuers and assertions for tests and benchmarks.

A :class:`TestIssuer` owns an RSA key and publishes, under one base URL, the
documents a verifier fetches: Issuer profile, BadgeClass, CryptographicKey,
RevocationList and hosted assertions (``documents()`` → path → bytes, ready to
serve from a loopback server). It signs compact JWS (RS256) itself because this
is test tooling; verification never uses this module. RSA keys are slow to make,
so keys are cached per process by ``(bits, slot)``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
DEFAULT_ISSUED = datetime(2025, 1, 15, 9, 30, tzinfo=UTC)

__test__ = False  # not a pytest test class, despite the name


@functools.cache
def cached_rsa_key(bits: int = 2048, slot: int = 0) -> rsa.RSAPrivateKey:
    """A process-wide RSA key per ``(bits, slot)``; ``slot`` gives distinct keys."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def sign_compact(payload: bytes | Mapping[str, Any], key: rsa.RSAPrivateKey,
                 header: Mapping[str, Any] | None = None) -> str:
    """``b64(header).b64(payload).b64(RS256 signature)``; the header is used as given."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
    head = json.dumps(dict(header) if header is not None else {"alg": "RS256"}).encode()
    signing_input = f"{b64url(head)}.{b64url(body)}".encode("ascii")
    signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input.decode('ascii')}.{b64url(signature)}"


def hashed_identity(identifier: str, salt: str = "") -> str:
    return "sha256$" + hashlib.sha256((identifier + salt).encode("utf-8")).hexdigest()


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class TestIssuer:
    """One issuer rooted at ``base_url`` (e.g. a LoopbackServer's ``base`` + a prefix).

    Documents are built from attributes at ``documents()`` time, so a test may
    change ``profile_extra``/``badge_extra``/``key_extra`` to produce faults.
    """

    __test__ = False

    def __init__(self, base_url: str, *, name: str = "Test University",
                 key: rsa.RSAPrivateKey | None = None, key_bits: int = 2048,
                 slot: int = 0) -> None:
        self.base_url = base_url.rstrip("/")
        self.name = name
        self.key = key if key is not None else cached_rsa_key(key_bits, slot)
        self.issuer_url = self.url("/issuer.json")
        self.badge_url = self.url("/badge.json")
        self.key_url = self.url("/key.json")
        self.revocation_url = self.url("/revocations.json")
        self.profile_extra: dict[str, Any] = {}
        self.badge_extra: dict[str, Any] = {}
        self.key_extra: dict[str, Any] = {}
        self.revoked: list[Any] = []
        self.hosted: dict[str, bytes] = {}

    def url(self, path: str) -> str:
        return self.base_url + path

    def path(self, url: str) -> str:
        """The server path of one of this issuer's URLs."""
        return urlsplit(url).path

    # -- documents -------------------------------------------------------------------------
    def issuer_profile(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "@context": OB2_CONTEXT, "type": "Issuer", "id": self.issuer_url, "name": self.name,
            "url": self.base_url + "/", "email": "badges@university.example",
            "publicKey": self.key_url, "revocationList": self.revocation_url,
        }
        doc.update(self.profile_extra)
        return {k: v for k, v in doc.items() if v is not None}

    def badge_class(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "@context": OB2_CONTEXT, "type": "BadgeClass", "id": self.badge_url,
            "name": "Robotics Fundamentals", "description": "Built and programmed a robot.",
            "image": self.url("/badge.png"),
            "criteria": {"narrative": "Build a robot that follows a line."},
            "issuer": self.issuer_url,
        }
        doc.update(self.badge_extra)
        return {k: v for k, v in doc.items() if v is not None}

    def crypto_key(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "@context": OB2_CONTEXT, "type": "CryptographicKey", "id": self.key_url,
            "owner": self.issuer_url, "publicKeyPem": public_pem(self.key),
        }
        doc.update(self.key_extra)
        return {k: v for k, v in doc.items() if v is not None}

    def revocation_list(self) -> dict[str, Any]:
        return {"@context": OB2_CONTEXT, "type": "RevocationList", "id": self.revocation_url,
                "issuer": self.issuer_url, "revokedAssertions": list(self.revoked)}

    def revoke(self, assertion_id: str, reason: str | None = None) -> None:
        self.revoked.append(assertion_id if reason is None
                            else {"id": assertion_id, "revocationReason": reason})

    # -- assertions ------------------------------------------------------------------------
    def assertion(self, assertion_id: str, *, verification: Mapping[str, Any],
                  recipient: str = "learner@example.org", salt: str | None = "pepper",
                  issued_on: datetime | str = DEFAULT_ISSUED,
                  expires: datetime | str | None = None, **extra: Any) -> dict[str, Any]:
        identity = hashed_identity(recipient, salt or "") if salt is not None else recipient
        doc: dict[str, Any] = {
            "@context": OB2_CONTEXT, "type": "Assertion", "id": assertion_id,
            "recipient": {"type": "email", "hashed": salt is not None, "identity": identity,
                          **({"salt": salt} if salt else {})},
            "badge": self.badge_url, "verification": dict(verification),
            "issuedOn": iso(issued_on) if isinstance(issued_on, datetime) else issued_on,
        }
        if expires is not None:
            doc["expires"] = iso(expires) if isinstance(expires, datetime) else expires
        doc.update(extra)
        return {k: v for k, v in doc.items() if v is not None}

    def hosted_assertion(self, slug: str = "a1", **kw: Any) -> dict[str, Any]:
        """A HostedBadge assertion, also published under ``/assertions/<slug>.json``."""
        url = self.url(f"/assertions/{slug}.json")
        doc = self.assertion(url, verification={"type": "HostedBadge"}, **kw)
        self.hosted[self.path(url)] = json.dumps(doc).encode("utf-8")
        return doc

    def signed_assertion(self, slug: str = "s1", *, header: Mapping[str, Any] | None = None,
                         sign_with: rsa.RSAPrivateKey | None = None, **kw: Any) -> str:
        """A SignedBadge assertion as compact JWS (id ``urn:uuid:…`` unless given)."""
        assertion_id = kw.pop("assertion_id",
                              f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, self.base_url + slug)}")
        verification = kw.pop("verification", {"type": "SignedBadge", "creator": self.key_url})
        doc = self.assertion(assertion_id, verification=verification, **kw)
        return sign_compact(doc, sign_with or self.key, header)

    def endorsement(self, slug: str, claim_id: str, comment: str = "A rigorous badge.",
                    **extra: Any) -> dict[str, Any]:
        """A hosted Endorsement by this issuer of ``claim_id``, published at
        ``/endorsements/<slug>.json``; ``extra`` overrides fields (None removes one)."""
        url = self.url(f"/endorsements/{slug}.json")
        doc: dict[str, Any] = {
            "@context": OB2_CONTEXT, "type": "Endorsement", "id": url, "issuer": self.issuer_url,
            "claim": {"id": claim_id, "endorsementComment": comment},
            "issuedOn": iso(DEFAULT_ISSUED), "verification": {"type": "HostedBadge"},
        }
        doc.update(extra)
        doc = {k: v for k, v in doc.items() if v is not None}
        self.hosted[self.path(url)] = json.dumps(doc).encode("utf-8")
        return doc

    def documents(self) -> dict[str, bytes]:
        """Server path → body for every published document of this issuer."""
        docs = {
            self.path(self.issuer_url): self.issuer_profile(),
            self.path(self.badge_url): self.badge_class(),
            self.path(self.key_url): self.crypto_key(),
            self.path(self.revocation_url): self.revocation_list(),
        }
        out = {path: json.dumps(doc).encode("utf-8") for path, doc in docs.items()}
        out.update(self.hosted)
        return out

    def url_map(self) -> dict[str, bytes]:
        """Absolute URL → body (for a StaticFetcher)."""
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.base_url))
        return {origin + path: body for path, body in self.documents().items()}
