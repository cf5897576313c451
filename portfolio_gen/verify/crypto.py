"""Cryptographic primitives: key decoding and signature checks.

The only module that imports ``cryptography.hazmat``. Algorithms are chosen by
the *key type*, never by a header (the Open Badges verification rules: security item 5): RSA →
RS256, P-256 → ES256, P-384 → ES384, Ed25519 → EdDSA. Decoding rejects private keys, RSA keys
under 2048 bits and unknown multicodec prefixes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from portfolio_gen.encoding import b64url_decode, b64url_encode
from portfolio_gen.errors import KeyDecodeError, SignatureError

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey

MIN_RSA_BITS = 2048
MAX_RSA_BITS = 16384

_MULTICODEC_ED25519 = b"\xed\x01"
_MULTICODEC_P256 = b"\x80\x24"
_MULTICODEC_P384 = b"\x81\x24"

_CURVES: dict[str, tuple[ec.EllipticCurve, int]] = {
    "P-256": (ec.SECP256R1(), 32),
    "P-384": (ec.SECP384R1(), 48),
}


def _check_rsa(key: rsa.RSAPublicKey) -> rsa.RSAPublicKey:
    if key.key_size < MIN_RSA_BITS:
        raise KeyDecodeError(f"RSA key has {key.key_size} bits; at least {MIN_RSA_BITS} required")
    if key.key_size > MAX_RSA_BITS:
        raise KeyDecodeError(f"RSA key has {key.key_size} bits; at most {MAX_RSA_BITS} accepted")
    return key


def _check_supported(key: object) -> PublicKey:
    if isinstance(key, rsa.RSAPublicKey):
        return _check_rsa(key)
    if isinstance(key, ec.EllipticCurvePublicKey):
        if key.curve.name not in ("secp256r1", "secp384r1"):
            raise KeyDecodeError(f"unsupported elliptic curve {key.curve.name}")
        return key
    if isinstance(key, ed25519.Ed25519PublicKey):
        return key
    raise KeyDecodeError(f"unsupported key type {type(key).__name__}")


def load_pem_public_key(pem: str | bytes) -> PublicKey:
    """A PEM ``PUBLIC KEY`` (SPKI) or ``RSA PUBLIC KEY``; private keys are refused."""
    data = pem.encode("utf-8") if isinstance(pem, str) else pem
    if b"PRIVATE KEY" in data:
        raise KeyDecodeError("the key document holds a private key, not a public key")
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise KeyDecodeError(f"publicKeyPem is not a valid PEM public key ({exc})") from None
    return _check_supported(key)


def public_key_from_jwk(jwk: Mapping[str, Any]) -> PublicKey:
    """RSA ``{kty,n,e}``, EC ``{kty,crv,x,y}`` (P-256/P-384) or OKP Ed25519 ``{kty,crv,x}``."""
    if not isinstance(jwk, Mapping):
        raise KeyDecodeError("JWK is not a JSON object")
    if "d" in jwk or "p" in jwk or "k" in jwk:
        raise KeyDecodeError("JWK contains private or secret key material")
    kty = jwk.get("kty")
    try:
        if kty == "RSA":
            n = int.from_bytes(b64url_decode(str(jwk["n"])), "big")
            e = int.from_bytes(b64url_decode(str(jwk["e"])), "big")
            return _check_rsa(rsa.RSAPublicNumbers(e, n).public_key())
        if kty == "EC":
            crv = str(jwk.get("crv"))
            if crv not in _CURVES:
                raise KeyDecodeError(f"unsupported EC curve {crv!r}")
            curve, size = _CURVES[crv]
            x, y = b64url_decode(str(jwk["x"])), b64url_decode(str(jwk["y"]))
            if len(x) != size or len(y) != size:
                raise KeyDecodeError(f"EC {crv} coordinates must be {size} bytes")
            point = b"\x04" + x + y
            return ec.EllipticCurvePublicKey.from_encoded_point(curve, point)
        if kty == "OKP":
            if jwk.get("crv") != "Ed25519":
                raise KeyDecodeError(f"unsupported OKP curve {jwk.get('crv')!r}")
            x = b64url_decode(str(jwk["x"]))
            if len(x) != 32:
                raise KeyDecodeError("Ed25519 key must be 32 bytes")
            return ed25519.Ed25519PublicKey.from_public_bytes(x)
    except KeyError as exc:
        raise KeyDecodeError(f"JWK lacks member {exc.args[0]!r}") from None
    except ValueError as exc:
        raise KeyDecodeError(f"JWK is malformed ({exc})") from None
    raise KeyDecodeError(f"unsupported JWK key type {kty!r}")


def decode_multibase_base58(value: str) -> bytes:
    """``z`` + base58btc, as used by ``publicKeyMultibase`` and EdDSA/ECDSA proof values."""
    if not isinstance(value, str) or not value.startswith("z") or len(value) > 4096:
        raise KeyDecodeError("expected a multibase base58btc value starting with 'z'")
    try:
        return bytes(base58.b58decode(value[1:]))
    except ValueError as exc:
        raise KeyDecodeError(f"malformed base58btc ({exc})") from None


def public_key_from_multikey(value: str) -> PublicKey:
    """Multikey: Ed25519 (0xed01), P-256 (0x1200) or P-384 (0x1201) compressed points only."""
    raw = decode_multibase_base58(value)
    prefix, body = raw[:2], raw[2:]
    try:
        if prefix == _MULTICODEC_ED25519:
            if len(body) != 32:
                raise KeyDecodeError("Ed25519 multikey must hold 32 bytes")
            return ed25519.Ed25519PublicKey.from_public_bytes(body)
        if prefix == _MULTICODEC_P256:
            if len(body) != 33:
                raise KeyDecodeError("P-256 multikey must hold a 33-byte compressed point")
            return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), body)
        if prefix == _MULTICODEC_P384:
            if len(body) != 49:
                raise KeyDecodeError("P-384 multikey must hold a 49-byte compressed point")
            return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP384R1(), body)
    except ValueError as exc:
        raise KeyDecodeError(f"multikey is not a valid point ({exc})") from None
    raise KeyDecodeError(f"unsupported or secret multikey prefix 0x{prefix.hex()}")


def multikey_from_public_key(key: PublicKey) -> str:
    """Encode an Ed25519/P-256/P-384 public key as a Multikey (for did:key and tests)."""
    if isinstance(key, ed25519.Ed25519PublicKey):
        raw = _MULTICODEC_ED25519 + key.public_bytes(serialization.Encoding.Raw,
                                                     serialization.PublicFormat.Raw)
    elif isinstance(key, ec.EllipticCurvePublicKey):
        prefix = _MULTICODEC_P256 if key.curve.name == "secp256r1" else _MULTICODEC_P384
        raw = prefix + key.public_bytes(serialization.Encoding.X962,
                                        serialization.PublicFormat.CompressedPoint)
    else:
        raise KeyDecodeError("RSA keys have no Multikey encoding here")
    return "z" + base58.b58encode(raw).decode("ascii")


def jws_algorithm_for(key: PublicKey) -> str:
    """The one JWS algorithm a key may be used with."""
    if isinstance(key, rsa.RSAPublicKey):
        return "RS256"
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "EdDSA"
    return "ES256" if key.curve.name == "secp256r1" else "ES384"


def verify_jws_signature(key: PublicKey, header_alg: object, signing_input: bytes,
                         signature: bytes) -> str:
    """Check a compact-JWS signature; the algorithm is pinned by the key type.

    Returns the algorithm used. Raises :class:`SignatureError` when the header's
    ``alg`` differs from the key's (``none``, ``HS*`` and mismatches) or the
    signature does not verify.
    """
    alg = jws_algorithm_for(key)
    if header_alg != alg:
        raise SignatureError(f"header alg {header_alg!r} does not match the {alg} key")
    if not verify_raw(key, signing_input, signature):
        raise SignatureError("signature does not verify with the key")
    return alg


def verify_raw(key: PublicKey, data: bytes, signature: bytes) -> bool:
    """RS256 (PKCS#1 v1.5/SHA-256), Ed25519, or ECDSA with IEEE P1363 ``r‖s`` (SHA-256/384)."""
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, data)
        else:
            size = 32 if key.curve.name == "secp256r1" else 48
            if len(signature) != 2 * size:
                return False
            r = int.from_bytes(signature[:size], "big")
            s = int.from_bytes(signature[size:], "big")
            digest = hashes.SHA256() if size == 32 else hashes.SHA384()
            key.verify(encode_dss_signature(r, s), data, ec.ECDSA(digest))
    except InvalidSignature:
        return False
    return True


def public_jwk(key: PublicKey) -> dict[str, str]:
    """The public JWK of a key (RFC 7517), members in RFC 7638 order."""
    if isinstance(key, rsa.RSAPublicKey):
        nums = key.public_numbers()
        return {"e": b64url_encode(_int_bytes(nums.e)), "kty": "RSA",
                "n": b64url_encode(_int_bytes(nums.n))}
    if isinstance(key, ed25519.Ed25519PublicKey):
        x = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"crv": "Ed25519", "kty": "OKP", "x": b64url_encode(x)}
    size = 32 if key.curve.name == "secp256r1" else 48
    pn = key.public_numbers()
    return {"crv": "P-256" if size == 32 else "P-384", "kty": "EC",
            "x": b64url_encode(pn.x.to_bytes(size, "big")),
            "y": b64url_encode(pn.y.to_bytes(size, "big"))}


def jwk_thumbprint(jwk: Mapping[str, Any]) -> str:
    """RFC 7638 SHA-256 thumbprint of a public JWK."""
    members = {"RSA": ("e", "kty", "n"), "EC": ("crv", "kty", "x", "y"),
               "OKP": ("crv", "kty", "x")}.get(str(jwk.get("kty")))
    if members is None:
        raise KeyDecodeError(f"cannot take the thumbprint of kty {jwk.get('kty')!r}")
    canonical = json.dumps({m: jwk[m] for m in members}, separators=(",", ":"),
                           sort_keys=True)
    return b64url_encode(hashlib.sha256(canonical.encode("utf-8")).digest())


def _int_bytes(value: int) -> bytes:
    return value.to_bytes((value.bit_length() + 7) // 8 or 1, "big")


# -- the learner's own holder key (signing lives here so hazmat stays in one module) ----------

def new_ed25519_seed() -> bytes:
    """32 fresh random bytes: the private seed of a new Ed25519 holder key."""
    return ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
        serialization.NoEncryption())


def ed25519_public_from_seed(seed: bytes) -> PublicKey:
    """The public key of a 32-byte Ed25519 seed."""
    if len(seed) != 32:
        raise KeyDecodeError("an Ed25519 private seed has 32 bytes")
    return ed25519.Ed25519PrivateKey.from_private_bytes(seed).public_key()


def ed25519_sign(seed: bytes, data: bytes) -> bytes:
    """A raw 64-byte Ed25519 signature of ``data`` with the key of ``seed``."""
    if len(seed) != 32:
        raise KeyDecodeError("an Ed25519 private seed has 32 bytes")
    return ed25519.Ed25519PrivateKey.from_private_bytes(seed).sign(data)
