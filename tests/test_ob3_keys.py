"""Key resolution and issuer binding (verification.md §2.4 end, §2.5, §2.6, §7.4).

did:web and HTTPS controller documents are served by a real TLS loopback server
with a throw-away CA; keys are generated per test process.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import base58
import pytest

from portfolio_gen.errors import KeyResolutionError
from portfolio_gen.net.http import GuardedHttpFetcher
from portfolio_gen.net.static import OfflineFetcher
from portfolio_gen.testing.ob3 import Ob3Issuer, did_web, make_key
from portfolio_gen.verify import crypto
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.ob3 import keys
from portfolio_gen.verify.ob3.keys import implied
from portfolio_gen.verify.report import CheckStatus, Verdict
from tests.conftest import FIXED_NOW
from tests.support.httpserver import LoopbackServer


@pytest.fixture
def srv() -> Iterator[LoopbackServer]:
    with LoopbackServer(tls=True) as server:
        yield server


def ctx_for(srv: LoopbackServer) -> VerifyContext:
    assert srv.ca_path is not None
    fetcher = GuardedHttpFetcher(allow_hosts=[srv.host_port], ca_bundle=srv.ca_path)
    return VerifyContext(fetcher, FIXED_NOW)


OFFLINE = VerifyContext(OfflineFetcher(), FIXED_NOW)


def publish(srv: LoopbackServer, issuer: Ob3Issuer) -> None:
    for path, body in issuer.documents().items():
        srv.add(path, body)


def same_key(a: crypto.PublicKey, b: crypto.PublicKey) -> bool:
    return crypto.public_jwk(a) == crypto.public_jwk(b)


# -- did:key / did:jwk ---------------------------------------------------------------------------

@pytest.mark.parametrize("key_type", ["Ed25519", "P-256", "P-384"])
def test_did_key_resolves_with_and_without_fragment(key_type: str) -> None:
    issuer = Ob3Issuer(key_type, "did:key")  # type: ignore[arg-type]
    for vm in (issuer.vm_id, issuer.id):
        resolved = keys.resolve_method(vm, OFFLINE)
        assert same_key(resolved.key, issuer.private_key.public_key())
        assert resolved.method_id == issuer.vm_id
        assert keys.check_binding(resolved, issuer.id).status is CheckStatus.PASS
    assert issuer.id.startswith({"Ed25519": "did:key:z6Mk", "P-256": "did:key:zDn",
                                 "P-384": "did:key:z82"}[key_type])


def test_did_key_fragment_must_be_the_did_key() -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    other = Ob3Issuer("Ed25519", "did:key", slot=1)
    with pytest.raises(KeyResolutionError) as err:
        keys.resolve_method(issuer.id + "#" + other.id[len("did:key:"):], OFFLINE)
    assert err.value.code == "did_key_fragment_mismatch"
    assert implied(err.value) is Verdict.INVALID


def test_did_key_bound_only_to_itself() -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    resolved = keys.resolve_method(issuer.vm_id, OFFLINE)
    check = keys.check_binding(resolved, "https://university.example/issuer")
    assert check.status is CheckStatus.FAIL and check.code == "controller_not_issuer"
    assert check.implies is Verdict.INVALID


def test_did_key_rejects_secret_multicodec() -> None:
    secret = "z" + base58.b58encode(b"\x80\x26" + bytes(range(32))).decode()  # ed25519-priv
    with pytest.raises(KeyResolutionError) as err:
        keys.resolve_method(f"did:key:{secret}#{secret}", OFFLINE)
    assert err.value.code == "key_malformed" and implied(err.value) is Verdict.INVALID


def test_did_jwk_resolves_method_zero_only() -> None:
    issuer = Ob3Issuer("P-256", "did:jwk")
    resolved = keys.resolve_method(issuer.vm_id, OFFLINE)
    assert same_key(resolved.key, issuer.private_key.public_key())
    assert keys.check_binding(resolved, issuer.id).status is CheckStatus.PASS
    with pytest.raises(KeyResolutionError) as err:
        keys.resolve_method(issuer.id + "#1", OFFLINE)
    assert err.value.code == "did_jwk_fragment_mismatch"


def test_did_jwk_with_private_material_is_refused() -> None:
    jwk = dict(Ob3Issuer("P-256", "did:jwk").public_jwk, d="AAAA")
    did = "did:jwk:" + crypto.b64url_encode(json.dumps(jwk).encode())
    with pytest.raises(KeyResolutionError) as err:
        keys.resolve_method(did + "#0", OFFLINE)
    assert err.value.code == "key_malformed"


# -- did:web -------------------------------------------------------------------------------------

def test_did_web_url_follows_the_spec_steps() -> None:
    assert keys.did_web_url("did:web:w3c-ccg.github.io") == \
        "https://w3c-ccg.github.io/.well-known/did.json"
    assert keys.did_web_url("did:web:w3c-ccg.github.io:user:alice") == \
        "https://w3c-ccg.github.io/user/alice/did.json"
    assert keys.did_web_url("did:web:example.com%3A3000") == \
        "https://example.com:3000/.well-known/did.json"
    for bad in ("did:web:", "did:web:example.com:..", "did:web:exa mple.com",
                "did:web:example.com:a%2Fb"):
        with pytest.raises(KeyResolutionError):
            keys.did_web_url(bad)


@pytest.mark.parametrize("key_type", ["Ed25519", "P-256", "RSA"])
def test_did_web_over_https_binds(srv: LoopbackServer, key_type: str) -> None:
    issuer = Ob3Issuer(key_type, "did:web", host_port=srv.host_port)  # type: ignore[arg-type]
    publish(srv, issuer)
    resolved = keys.resolve_method(issuer.vm_id, ctx_for(srv))
    assert same_key(resolved.key, issuer.private_key.public_key())
    assert resolved.source == "did:web"
    assert keys.check_binding(resolved, issuer.id).status is CheckStatus.PASS
    assert [p for p, _ in srv.requests] == ["/.well-known/did.json"]
    assert list(resolved.documents) == [f"https://{srv.host_port}/.well-known/did.json"]


def test_did_web_document_with_wrong_id_fails(srv: LoopbackServer) -> None:
    issuer = Ob3Issuer("Ed25519", "did:web", host_port=srv.host_port)
    srv.add("/.well-known/did.json", issuer.controller_document(doc_id="did:web:evil.example"))
    with pytest.raises(KeyResolutionError) as err:
        keys.resolve_method(issuer.vm_id, ctx_for(srv))
    assert err.value.code == "did_document_id_mismatch"
    assert implied(err.value) is Verdict.INVALID


def test_did_web_key_not_under_assertion_method(srv: LoopbackServer) -> None:
    issuer = Ob3Issuer("Ed25519", "did:web", host_port=srv.host_port)
    srv.add("/.well-known/did.json", issuer.controller_document(assertion=False))
    resolved = keys.resolve_method(issuer.vm_id, ctx_for(srv))
    check = keys.check_binding(resolved, issuer.id)
    assert check.status is CheckStatus.FAIL and check.code == "not_assertion_method"


def test_did_web_unreachable_is_undecided(srv: LoopbackServer) -> None:
    issuer = Ob3Issuer("Ed25519", "did:web", host_port=srv.host_port)
    with pytest.raises(KeyResolutionError) as err:  # nothing published: 404
        keys.resolve_method(issuer.vm_id, ctx_for(srv))
    assert err.value.code == "key_unreachable"
    assert implied(err.value) is Verdict.UNVERIFIABLE


def test_did_web_is_https_only() -> None:
    with LoopbackServer() as plain:  # plain HTTP: the did:web URL is https, so TLS fails
        issuer = Ob3Issuer("Ed25519", "did:web", host_port=plain.host_port)
        publish(plain, issuer)
        fetcher = GuardedHttpFetcher(allow_hosts=[plain.host_port])
        with pytest.raises(KeyResolutionError) as err:
            keys.resolve_method(issuer.vm_id, VerifyContext(fetcher, FIXED_NOW))
        assert implied(err.value) is Verdict.UNVERIFIABLE


# -- HTTPS controller documents and fragments ----------------------------------------------------

def test_https_controller_document_binds(srv: LoopbackServer) -> None:
    issuer = Ob3Issuer("P-384", "https", host_port=srv.host_port)
    publish(srv, issuer)
    resolved = keys.resolve_method(issuer.vm_id, ctx_for(srv))
    assert resolved.source == "controller-document"
    assert keys.check_binding(resolved, issuer.id).status is CheckStatus.PASS


def test_standalone_key_document_needs_controller_listing(srv: LoopbackServer) -> None:
    issuer = Ob3Issuer("Ed25519", "https", host_port=srv.host_port)
    key_url = f"https://{srv.host_port}/keys/1"
    srv.add("/keys/1", issuer.verification_method(vm_id=key_url))
    doc = issuer.controller_document()
    srv.add("/issuer", {**doc, "assertionMethod": [key_url]})
    resolved = keys.resolve_method(key_url, ctx_for(srv))
    assert resolved.source == "key-document"
    assert keys.check_binding(resolved, issuer.id).status is CheckStatus.PASS
    srv.add("/issuer", {**doc, "assertionMethod": []})
    resolved = keys.resolve_method(key_url, ctx_for(srv))
    assert keys.check_binding(resolved, issuer.id).code == "not_assertion_method"


def test_key_in_url_fragment_is_never_bound(srv: LoopbackServer) -> None:
    issuer = Ob3Issuer("Ed25519", "https", host_port=srv.host_port)
    multikey = crypto.multikey_from_public_key(issuer.private_key.public_key())
    vm = f"{issuer.id}#{multikey}"
    # No controller document at all: signature-only, binding undecided.
    resolved = keys.resolve_method(vm, ctx_for(srv))
    assert resolved.source == "url-fragment"
    assert same_key(resolved.key, issuer.private_key.public_key())
    check = keys.check_binding(resolved, issuer.id)
    assert check.status is CheckStatus.WARN and check.implies is Verdict.UNVERIFIABLE
    # A controller document that does not list the fragment key: binding fails.
    publish(srv, issuer)
    resolved = keys.resolve_method(vm, ctx_for(srv))
    check = keys.check_binding(resolved, issuer.id)
    assert check.status is CheckStatus.FAIL and check.code == "key_from_url_fragment"


@pytest.mark.parametrize(("vm", "code", "implies"), [
    ("z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi", "key_id_invalid", Verdict.INVALID),
    ("xxx:abc", "key_scheme_unsupported", Verdict.UNVERIFIABLE),
    ("did:example:123#k", "did_method_unsupported", Verdict.UNVERIFIABLE),
    ("http://issuer.example/keys#k1", "key_url_insecure", Verdict.UNVERIFIABLE),
    (None, "key_id_invalid", Verdict.INVALID),
])
def test_unresolvable_methods(vm: object, code: str, implies: Verdict) -> None:
    with pytest.raises(KeyResolutionError) as err:
        keys.resolve_method(vm, OFFLINE)
    assert (err.value.code, implied(err.value)) == (code, implies)


def test_method_with_secret_key_is_refused(srv: LoopbackServer) -> None:
    issuer = Ob3Issuer("Ed25519", "https", host_port=srv.host_port)
    doc = issuer.controller_document()
    doc["verificationMethod"][0]["secretKeyMultibase"] = "z3u2abc"
    srv.add("/issuer", doc)
    with pytest.raises(KeyResolutionError) as err:
        keys.resolve_method(issuer.vm_id, ctx_for(srv))
    assert err.value.code == "key_is_secret"


# -- JWK thumbprint binding ----------------------------------------------------------------------

def test_jwk_binding_to_did_jwk_and_did_web(srv: LoopbackServer) -> None:
    jwk_issuer = Ob3Issuer("P-256", "did:jwk")
    check, _ = keys.check_jwk_binding(jwk_issuer.public_jwk, jwk_issuer.id, OFFLINE, "jwk")
    assert check.status is CheckStatus.PASS
    web = Ob3Issuer("RSA", "did:web", host_port=srv.host_port)
    publish(srv, web)
    check, docs = keys.check_jwk_binding(web.public_jwk, web.id, ctx_for(srv), "jwk")
    assert check.status is CheckStatus.PASS and docs
    stranger = crypto.public_jwk(make_key("RSA", 7).public_key())
    check, _ = keys.check_jwk_binding(stranger, web.id, ctx_for(srv), "jwk")
    assert check.status is CheckStatus.FAIL and check.code == "jwk_not_issuer_key"


def test_jwk_binding_undecided_when_issuer_unreachable() -> None:
    jwk = Ob3Issuer("RSA", "did:jwk").public_jwk
    check, _ = keys.check_jwk_binding(jwk, "https://issuer.example/profile", OFFLINE, "jwk")
    assert check.status is CheckStatus.WARN and check.implies is Verdict.UNVERIFIABLE
    check, _ = keys.check_jwk_binding(jwk, "urn:uuid:1234", OFFLINE, "jwk")
    assert check.status is CheckStatus.FAIL


def test_pin_urls_for_methods() -> None:
    web = did_web("127.0.0.1:8443")
    assert keys.pin_urls_for_method(web + "#key-1") == \
        ["https://127.0.0.1:8443/.well-known/did.json"]
    assert keys.pin_urls_for_method("https://issuer.example/i#k") == ["https://issuer.example/i"]
    assert keys.pin_urls_for_method("did:key:z6Mk") == []
