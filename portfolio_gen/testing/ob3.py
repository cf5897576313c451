"""Make Open Badges 3.0 issuers, credentials and status lists for tests and benchmarks.

An :class:`Ob3Issuer` owns one key (Ed25519, P-256, P-384 or RSA) under one
identifier (did:key, did:jwk, did:web or an HTTPS controller document), signs
credentials as Data Integrity (via :mod:`portfolio_gen.testing.ob3_sign`) or as
VC-JWT (signed here: both payload shapes), and publishes what a verifier
fetches (DID document, status lists, revocation lists) through ``documents()``,
path → bytes, ready for a loopback server. Verification never uses this module.
"""

from __future__ import annotations

import functools
import gzip
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import quote

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from portfolio_gen.encoding import b64url_encode
from portfolio_gen.verify import crypto

__test__ = False

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
STATUS_MIN_ENTRIES = 131_072

KeyType = Literal["Ed25519", "P-256", "P-384", "RSA"]
PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
Method = Literal["did:key", "did:jwk", "did:web", "https"]
_DI_SUITE = {"Ed25519": "eddsa-rdfc-2022", "P-256": "ecdsa-rdfc-2019",
             "P-384": "ecdsa-rdfc-2019"}


@functools.cache
def make_key(key_type: KeyType = "Ed25519", slot: int = 0) -> PrivateKey:
    """A process-wide private key per ``(type, slot)``; ``slot`` gives distinct keys."""
    if key_type == "Ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    if key_type == "P-256":
        return ec.generate_private_key(ec.SECP256R1())
    if key_type == "P-384":
        return ec.generate_private_key(ec.SECP384R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_key(private_key: PrivateKey) -> crypto.PublicKey:
    return private_key.public_key()


def did_key(private_key: PrivateKey) -> str:
    return "did:key:" + crypto.multikey_from_public_key(public_key(private_key))


def did_jwk(private_key: PrivateKey) -> str:
    jwk = crypto.public_jwk(public_key(private_key))
    return "did:jwk:" + b64url_encode(json.dumps(jwk, separators=(",", ":")).encode())


def did_web(host_port: str, *path: str) -> str:
    """``did:web:127.0.0.1%3A<port>[:path…]`` for a loopback server."""
    return ":".join(["did:web", host_port.replace(":", "%3A"), *path])


def sign_jws(private_key: PrivateKey, payload: bytes, header: Mapping[str, Any]) -> str:
    """A compact JWS over ``payload`` with ``header`` as given (``alg`` is not checked)."""
    head = b64url_encode(json.dumps(dict(header), separators=(",", ":")).encode())
    signing_input = f"{head}.{b64url_encode(payload)}".encode("ascii")
    return f"{signing_input.decode('ascii')}.{b64url_encode(_sign(private_key, signing_input))}"


def _sign(private_key: PrivateKey, data: bytes) -> bytes:
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        return private_key.sign(data)
    if isinstance(private_key, rsa.RSAPrivateKey):
        return private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    size = (private_key.curve.key_size + 7) // 8
    digest = hashes.SHA384() if size == 48 else hashes.SHA256()
    r, s = decode_dss_signature(private_key.sign(data, ec.ECDSA(digest)))
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def encode_status_list(bits: Iterable[int], entries: int = STATUS_MIN_ENTRIES, *,
                       multibase: bool = True) -> str:
    """GZIP + base64url (``u``-prefixed for Bitstring Status List); bit 0 is the MSB of byte 0."""
    data = bytearray((entries + 7) // 8)
    for i in bits:
        data[i // 8] |= 0x80 >> (i % 8)
    encoded = b64url_encode(gzip.compress(bytes(data), mtime=0))
    return ("u" + encoded) if multibase else encoded


class Ob3Issuer:
    """One test issuer: key, identifier, controller/DID document and published documents.

    ``method`` chooses the identifier: ``did:key``/``did:jwk`` need no server;
    ``did:web`` and ``https`` need ``host_port`` of a TLS loopback server (the
    DID document is served at ``/.well-known/did.json``, the HTTPS controller
    document at ``/issuer``).
    """

    def __init__(self, key_type: KeyType = "Ed25519", method: Method = "did:key", *,
                 host_port: str | None = None, slot: int = 0, name: str = "Test Issuer") -> None:
        self.key_type = key_type
        self.private_key = make_key(key_type, slot)
        self.method = method
        self.name = name
        self.host_port = host_port
        self._published: dict[str, bytes] = {}
        if method == "did:key":
            self.id = did_key(self.private_key)
            self.vm_id = f"{self.id}#{self.id[len('did:key:'):]}"
        elif method == "did:jwk":
            self.id = did_jwk(self.private_key)
            self.vm_id = f"{self.id}#0"
        elif method == "did:web":
            if host_port is None:
                raise ValueError("did:web needs host_port")
            self.id = did_web(host_port)
            self.vm_id = f"{self.id}#key-1"
        else:
            if host_port is None:
                raise ValueError("an HTTPS issuer needs host_port")
            self.id = f"https://{host_port}/issuer"
            self.vm_id = f"{self.id}#key-1"

    # -- keys and documents -------------------------------------------------------------------
    @property
    def public_jwk(self) -> dict[str, str]:
        return crypto.public_jwk(public_key(self.private_key))

    def verification_method(self, vm_id: str | None = None,
                            controller: str | None = None) -> dict[str, Any]:
        """The method object: Multikey for EdDSA/ECDSA keys, JsonWebKey for RSA."""
        method: dict[str, Any] = {"id": vm_id or self.vm_id, "controller": controller or self.id}
        if self.key_type == "RSA":
            method.update(type="JsonWebKey", publicKeyJwk=self.public_jwk)
        else:
            method.update(type="Multikey", publicKeyMultibase=crypto.multikey_from_public_key(
                public_key(self.private_key)))
        return method

    def controller_document(self, *, doc_id: str | None = None,
                            assertion: bool = True) -> dict[str, Any]:
        """The DID document (did:web) or HTTPS controller document listing the key."""
        return {"@context": [DID_V1, MULTIKEY_V1], "id": doc_id or self.id,
                "verificationMethod": [self.verification_method()],
                "assertionMethod": [self.vm_id] if assertion else [],
                "authentication": [self.vm_id]}

    def publish(self, path: str, body: bytes | str | Mapping[str, Any]) -> str:
        """Serve ``body`` at ``path``; returns the HTTPS URL (needs ``host_port``)."""
        if isinstance(body, Mapping):
            body = json.dumps(body)
        self._published[path] = body.encode("utf-8") if isinstance(body, str) else body
        return f"https://{self.host_port}{path}"

    def documents(self) -> dict[str, bytes]:
        """Path → bytes of everything this issuer serves (DID document, lists)."""
        docs: dict[str, bytes] = {}
        if self.method == "did:web":
            docs["/.well-known/did.json"] = json.dumps(self.controller_document()).encode()
        elif self.method == "https":
            docs["/issuer"] = json.dumps(self.controller_document()).encode()
        docs.update(self._published)
        return docs

    # -- credentials --------------------------------------------------------------------------
    def credential(self, *, subject_id: str = "did:example:learner",
                   achievement_name: str = "Teamwork", valid_from: str = "2025-01-15T09:30:00Z",
                   credential_id: str = "urn:uuid:7f4c1e2a-1111-4c8e-9d7a-0d7a1b2c3d4e",
                   **extra: Any) -> dict[str, Any]:
        """An unsigned OpenBadgeCredential (VCDM 2.0, contexts VC v2 + OB 3.0.3)."""
        doc: dict[str, Any] = {
            "@context": [VC_V2, OB_303],
            "id": credential_id,
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": self.id, "type": ["Profile"], "name": self.name},
            "validFrom": valid_from,
            "name": f"{achievement_name} badge",
            "credentialSubject": {
                "id": subject_id,
                "type": ["AchievementSubject"],
                "achievement": {
                    "id": "https://example.org/achievements/" + quote(
                        "-".join(achievement_name.lower().split())),
                    "type": ["Achievement"],
                    "criteria": {"narrative": "Recognised by peers."},
                    "description": f"Awarded for {achievement_name.lower()}.",
                    "name": achievement_name,
                },
            },
        }
        doc.update(extra)
        return doc

    def endorsement(self, subject_id: str, comment: str = "Meets our standard.", *,
                    credential_id: str = "urn:uuid:e0d0e0d0-3333-4a4a-9999-abcdefabcdef",
                    **extra: Any) -> dict[str, Any]:
        """An unsigned EndorsementCredential of ``subject_id`` by this issuer."""
        doc: dict[str, Any] = {
            "@context": [VC_V2, OB_303],
            "id": credential_id,
            "type": ["VerifiableCredential", "EndorsementCredential"],
            "name": f"Endorsement by {self.name}",
            "issuer": {"id": self.id, "type": ["Profile"], "name": self.name},
            "validFrom": "2025-01-10T00:00:00Z",
            "credentialSubject": {"id": subject_id, "type": ["EndorsementSubject"],
                                  "endorsementComment": comment},
        }
        doc.update(extra)
        return doc

    def sign_di(self, document: Mapping[str, Any], cryptosuite: str | None = None, *,
                verification_method: str | None = None, **kw: Any) -> dict[str, Any]:
        """A Data Integrity secured copy (eddsa-rdfc-2022 / ecdsa-rdfc-2019 by key type)."""
        from portfolio_gen.testing.ob3_sign import sign_data_integrity

        if isinstance(self.private_key, rsa.RSAPrivateKey):
            raise ValueError("Data Integrity suites here use Ed25519 or ECDSA keys, not RSA")
        suite = cryptosuite or _DI_SUITE[self.key_type]
        return sign_data_integrity(document, self.private_key,
                                   verification_method or self.vm_id, suite, **kw)

    def sign_jwt(self, document: Mapping[str, Any], *, shape: str = "credential",
                 header: Mapping[str, Any] | None = None, key_in: str = "kid",
                 claims: Mapping[str, Any] | None = None) -> str:
        """A VC-JWT: the credential as payload, or (``shape="vc-claim"``) in a ``vc`` claim.

        ``key_in`` is ``kid`` (the verification method id) or ``jwk`` (inline key);
        ``header`` entries override the defaults, ``claims`` add or replace claims.
        """
        alg = crypto.jws_algorithm_for(public_key(self.private_key))
        head: dict[str, Any] = {"alg": alg, "typ": "JWT"}
        if key_in == "kid":
            head["kid"] = self.vm_id
        elif key_in == "jwk":
            head["jwk"] = self.public_jwk
        head.update(header or {})
        if shape == "vc-claim":
            payload: dict[str, Any] = {"vc": dict(document), **_jwt_claims(document)}
        else:
            payload = dict(document)
        payload.update(claims or {})
        return sign_jws(self.private_key, json.dumps(payload).encode("utf-8"), head)

    # -- presentations (this issuer as a wallet's holder) -------------------------------------
    def presentation(self, credentials: Iterable[Mapping[str, Any] | str], *,
                     holder: bool = True, **extra: Any) -> dict[str, Any]:
        """An unsigned VerifiablePresentation (VCDM 2.0) holding ``credentials`` in order."""
        doc: dict[str, Any] = {"@context": [VC_V2], "type": ["VerifiablePresentation"],
                               "verifiableCredential": list(credentials)}
        if holder:
            doc["holder"] = self.id
        doc.update(extra)
        return doc

    def sign_presentation(self, presentation: Mapping[str, Any], *,
                          challenge: str = "c0ffee-1234", domain: str | None = None,
                          purpose: str = "authentication", **kw: Any) -> dict[str, Any]:
        """The presentation with this key's proof for ``authentication`` (as a wallet signs)."""
        return self.sign_di(presentation, proof_purpose=purpose, challenge=challenge,
                            domain=domain, **kw)

    # -- status -------------------------------------------------------------------------------
    def status_list_credential(self, url: str, bits: Iterable[int] = (), *,
                               purpose: str = "revocation",
                               entries: int = STATUS_MIN_ENTRIES,
                               encoded_list: str | None = None,
                               **extra: Any) -> dict[str, Any]:
        """An unsigned BitstringStatusListCredential with the chosen bits set."""
        doc: dict[str, Any] = {
            "@context": [VC_V2],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": self.id,
            "validFrom": "2025-01-01T00:00:00Z",
            "credentialSubject": {
                "id": url + "#list",
                "type": "BitstringStatusList",
                "statusPurpose": purpose,
                "encodedList": encoded_list if encoded_list is not None
                else encode_status_list(bits, entries),
            },
        }
        doc.update(extra)
        return doc

    @staticmethod
    def status_entry(url: str, index: int, purpose: str = "revocation") -> dict[str, Any]:
        return {"id": f"{url}#{index}", "type": "BitstringStatusListEntry",
                "statusPurpose": purpose, "statusListIndex": str(index),
                "statusListCredential": url}

    @staticmethod
    def revocation_list(revoked_ids: Iterable[str], list_id: str) -> dict[str, Any]:
        """A 1EdTech (VCRL 1.0) revocation list document."""
        return {"id": list_id, "revokedCredential": [
            {"id": cid, "revoked": True, "revocationReason": "Issued in error."}
            for cid in revoked_ids]}


def _jwt_claims(document: Mapping[str, Any]) -> dict[str, Any]:
    """VCDM 1.1 JWT claims mirroring the credential (iss, sub, jti, nbf, exp)."""
    issuer = document.get("issuer")
    subject = document.get("credentialSubject")
    claims: dict[str, Any] = {"iss": issuer.get("id") if isinstance(issuer, Mapping) else issuer,
                              "jti": document.get("id")}
    if isinstance(subject, Mapping) and "id" in subject:
        claims["sub"] = subject["id"]
    start = document.get("validFrom", document.get("issuanceDate"))
    end = document.get("validUntil", document.get("expirationDate"))
    if isinstance(start, str):
        claims["nbf"] = _epoch(start)
    if isinstance(end, str):
        claims["exp"] = _epoch(end)
    return claims


def _epoch(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC).timestamp())
