"""The check catalogue: every check id a verification report can carry, defined once.

A :class:`~portfolio_gen.verify.report.Check` names its step by one of these ids; verifiers,
the model, the pages and the CLI import the constants rather than spelling the strings (a
test scans the source for stray literals). Each entry says what the check asks for a person
(``title``, shown under "How this was checked" on a credential page) and which verdicts it
may force when it does not pass (``implies``, the first being the usual one; ``None`` means
it may also warn without changing the verdict). The verdict itself is always computed from
the checks (:func:`portfolio_gen.verify.report.compute_verdict`); each check carries the
verdict it implies, decided by the verifier that knows why it failed.

The sentence of each check is written where the check is made, because it names what was
found; :data:`STATUS_WORDS` is how the pages and the CLI mark a check's status.
"""

from __future__ import annotations

from dataclasses import dataclass

from portfolio_gen.verify.verdicts import CheckStatus, Verdict

# -- reading the file -----------------------------------------------------------------------------
FORMAT_PARSE = "format.parse"
FORMAT_DETECT = "format.detect"
# -- proof: authentic, and made with the issuer's key ---------------------------------------------
PROOF_SIGNATURE = "proof.signature"
PROOF_KEY = "proof.key"
PROOF_KEY_BINDING = "proof.key_binding"
JSONLD_DATA_LOSS = "jsonld.data_loss"
JWT_CLAIMS = "jwt.claims"
JWT_TIME = "jwt.time"
# -- Open Badges 2.0 hosted assertions and the documents they point to ----------------------------
HOSTED_FETCH = "hosted.fetch"
HOSTED_REVOKED = "hosted.revoked"
HOSTED_LOCAL_COPY = "hosted.local_copy"
HOSTED_SCOPE = "hosted.scope"
ASSERTION_VALID = "assertion.valid"
BADGE_FETCH = "badge.fetch"
BADGE_VALID = "badge.valid"
ISSUER_FETCH = "issuer.fetch"
ISSUER_VALID = "issuer.valid"
# -- current: status and dates -------------------------------------------------------------------
STATUS_REVOCATION = "status.revocation"
STATUS_SUSPENSION = "status.suspension"
STATUS_MESSAGE = "status.message"
STATUS_REFRESH = "status.refresh"
STATUS_OTHER = "status.other"
STATUS_ENTRIES = "status.entries"
VALIDITY_NOT_BEFORE = "validity.not_before"
VALIDITY_EXPIRATION = "validity.expiration"
VALIDITY_PROOF_CREATED = "validity.proof_created"
VALIDITY_PROOF_EXPIRES = "validity.proof_expires"
AFTER_PROOF = "after_proof"
REFRESH = "refresh"
# -- whose it is ----------------------------------------------------------------------------------
RECIPIENT_IDENTIFIER = "recipient.identifier"
PRESENTATION_HOLDER = "presentation.holder"
PRESENTATION_PROOF = "presentation.proof"
# -- nested credentials ---------------------------------------------------------------------------
ENDORSEMENT_VALID = "endorsement.valid"
ENDORSEMENT_CLAIM = "endorsement.claim"
ENDORSEMENTS = "endorsements"
CLR_MEMBERS = "clr.members"
# -- conformance: the data model, beside the verdict (strict mode fails them) ---------------------
CONFORMANCE_PREFIX = "conformance."
CONFORMANCE_CONTEXT = "conformance.context"
CONFORMANCE_TYPE = "conformance.type"
CONFORMANCE_SUBJECT = "conformance.subject"
CONFORMANCE_REQUIRED = "conformance.required"
CONFORMANCE_ACHIEVEMENT = "conformance.achievement"
CONFORMANCE_NODE_TYPES = "conformance.node_types"
CONFORMANCE_STATUS_LIST_LENGTH = "conformance.status_list_length"
CONFORMANCE_SCHEMA = "conformance.schema"
CONFORMANCE_ASSERTION = "conformance.assertion"
CONFORMANCE_BADGE = "conformance.badge"
CONFORMANCE_ISSUER = "conformance.issuer"

#: Check ids whose pass proves the credential's integrity and origin.
PROOF_CHECK_IDS = frozenset({PROOF_SIGNATURE, HOSTED_FETCH})

#: Open Badges 2.0 nodes fetched or embedded (``<node>.fetch`` / ``<node>.valid``) and their
#: data-model departures (``conformance.<node>``), by node.
NODE_FETCH = {"badge": BADGE_FETCH, "issuer": ISSUER_FETCH}
NODE_VALID = {"assertion": ASSERTION_VALID, "badge": BADGE_VALID, "issuer": ISSUER_VALID}
NODE_CONFORMANCE = {"assertion": CONFORMANCE_ASSERTION, "badge": CONFORMANCE_BADGE,
                    "issuer": CONFORMANCE_ISSUER}
#: a status entry's ``statusPurpose`` → its check (any other purpose: :data:`STATUS_OTHER`)
STATUS_PURPOSE = {"revocation": STATUS_REVOCATION, "suspension": STATUS_SUSPENSION,
                  "message": STATUS_MESSAGE, "refresh": STATUS_REFRESH}
#: status purposes that cannot revoke or suspend (Bitstring Status List §statusPurpose)
INFORMATIONAL_PURPOSES = ("refresh", "message")


@dataclass(frozen=True)
class CheckSpec:
    """One catalogued check: what it asks for a person, and what a non-pass may imply."""

    id: str
    title: str
    implies: tuple[Verdict | None, ...] = ()


_I, _R, _E, _N = Verdict.INVALID, Verdict.REVOKED, Verdict.EXPIRED, Verdict.NOT_YET_VALID
_U, _S = Verdict.UNVERIFIABLE, Verdict.UNSUPPORTED
_CONFORMANCE_TITLE = "It follows the Open Badges format"

CATALOGUE: dict[str, CheckSpec] = {spec.id: spec for spec in (
    CheckSpec(FORMAT_PARSE, "The file could be read", (_I, _S)),
    CheckSpec(FORMAT_DETECT, "It is a kind of credential this site can check", (_S,)),
    CheckSpec(PROOF_SIGNATURE, "The issuer's signature matches the contents", (_I, _U, _S)),
    CheckSpec(PROOF_KEY, "The issuer's signing key was found", (_I, _U, _S)),
    CheckSpec(PROOF_KEY_BINDING, "The signing key belongs to the issuer", (_I, _U)),
    CheckSpec(JSONLD_DATA_LOSS, "Every field has a defined meaning", (_I, _U)),
    CheckSpec(JWT_CLAIMS, "The signed envelope agrees with the contents", (_I,)),
    CheckSpec(JWT_TIME, "The signed envelope's dates", (_I, _E, _N)),
    CheckSpec(HOSTED_FETCH, "The issuer's own website confirms it", (_I, _U, _S, None)),
    CheckSpec(HOSTED_REVOKED, "The issuer has not revoked it", (_R,)),
    CheckSpec(HOSTED_LOCAL_COPY, "This copy matches the issuer's copy", (None,)),
    CheckSpec(HOSTED_SCOPE, "It is published on the issuer's own website", (_I, _U)),
    CheckSpec(ASSERTION_VALID, "The award record is complete", (_I,)),
    CheckSpec(BADGE_FETCH, "The badge description was found", (_I, _U)),
    CheckSpec(BADGE_VALID, "The badge description is complete", (_I,)),
    CheckSpec(ISSUER_FETCH, "The issuer's profile was found", (_I, _U)),
    CheckSpec(ISSUER_VALID, "The issuer's profile is complete", (_I, _U)),
    CheckSpec(STATUS_REVOCATION, "The issuer has not revoked it", (_R, _I, _U)),
    CheckSpec(STATUS_SUSPENSION, "The issuer has not suspended it", (_R, _I, _U)),
    CheckSpec(STATUS_MESSAGE, "The issuer's status message (does not affect validity)"),
    CheckSpec(STATUS_REFRESH, "The issuer's refresh notice (does not affect validity)"),
    CheckSpec(STATUS_OTHER, "Another status entry (does not affect validity)"),
    CheckSpec(STATUS_ENTRIES, "Every status entry was checked", (_U, None)),
    CheckSpec(VALIDITY_NOT_BEFORE, "It is already valid", (_N, _I)),
    CheckSpec(VALIDITY_EXPIRATION, "It has not expired", (_E, _I)),
    CheckSpec(VALIDITY_PROOF_CREATED, "The signature is not dated in the future", (_N,)),
    CheckSpec(VALIDITY_PROOF_EXPIRES, "The signature has not expired", (_E,)),
    CheckSpec(AFTER_PROOF, "Further checks"),
    CheckSpec(REFRESH, "The issuer's refresh service"),
    CheckSpec(RECIPIENT_IDENTIFIER, "It was issued to this learner", (None, _I)),
    CheckSpec(PRESENTATION_HOLDER, "The wallet export is signed by its holder", (None,)),
    CheckSpec(PRESENTATION_PROOF, "The learner signed the presentation", (_I,)),
    CheckSpec(ENDORSEMENT_VALID, "The endorsement is complete", (_I,)),
    CheckSpec(ENDORSEMENT_CLAIM, "The endorsement is about what it is attached to", (_I,)),
    CheckSpec(ENDORSEMENTS, "Its endorsements", (None,)),
    CheckSpec(CLR_MEMBERS, "The credentials it contains", (None,)),
    *(CheckSpec(cid, _CONFORMANCE_TITLE, (None, _I)) for cid in (
        CONFORMANCE_CONTEXT, CONFORMANCE_TYPE, CONFORMANCE_SUBJECT, CONFORMANCE_REQUIRED,
        CONFORMANCE_ACHIEVEMENT, CONFORMANCE_NODE_TYPES, CONFORMANCE_STATUS_LIST_LENGTH,
        CONFORMANCE_SCHEMA, CONFORMANCE_ASSERTION, CONFORMANCE_BADGE, CONFORMANCE_ISSUER)),
)}


def status_check(purpose: object) -> str:
    """The check of a credentialStatus entry with this ``statusPurpose``."""
    return STATUS_PURPOSE.get(purpose, STATUS_OTHER) if isinstance(purpose, str) else STATUS_OTHER


def title(check_id: str) -> str:
    """What the check asks, for a person; an id from an older cached report is spelled out."""
    spec = CATALOGUE.get(check_id)
    if spec is not None:
        return spec.title
    if check_id.startswith(CONFORMANCE_PREFIX):
        return _CONFORMANCE_TITLE
    return check_id.replace("_", " ").replace(".", ": ").capitalize()


#: status → (mark, words): a check row on a credential page; the CLI prints the mark.
STATUS_WORDS: dict[CheckStatus, tuple[str, str]] = {
    CheckStatus.PASS: ("✓", "Passed"),
    CheckStatus.FAIL: ("✗", "Failed"),
    CheckStatus.WARN: ("⚠", "Could not check"),
    CheckStatus.SKIP: ("—", "Does not apply"),
}
#: a conformance warning: the credential departs from the standard; the verdict stands
CONFORMANCE_WORDS = ("⚠", "Departs from the standard")
