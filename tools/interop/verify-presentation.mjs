#!/usr/bin/env node
/**
 * Verifies a portfolio's presentation.json with the reference JavaScript libraries
 * (jsonld-signatures + @digitalbazaar/data-integrity + eddsa-jcs-2022), the way a
 * recruiter's VC verifier would: the holder's authentication proof, bound to the
 * expected domain (the site's address) and challenge (the build time).
 *
 *   node verify-presentation.mjs FILE --domain URL --challenge TEXT
 *
 * Prints one JSON line {verified, error, holder, credentials} and exits 0 only when
 * the proof verifies. No network: contexts come from the pinned npm packages and
 * did:key is resolved by computation.
 */
import {readFileSync} from 'node:fs';

import jsigs from 'jsonld-signatures';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {createVerifyCryptosuite} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import diContext from '@digitalbazaar/data-integrity-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import didContext from 'did-context';

const args = process.argv.slice(2);
const option = name => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const file = args[0];
const domain = option('--domain');
const challenge = option('--challenge');

const CONTEXTS = new Map();
for(const pkg of [credentialsContext, diContext, multikeyContext, didContext]) {
  for(const [url, doc] of pkg.contexts) {
    CONTEXTS.set(url, doc);
  }
}
const didKey = didKeyDriver();
didKey.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

async function documentLoader(url) {
  if(CONTEXTS.has(url)) {
    return {contextUrl: null, documentUrl: url, document: CONTEXTS.get(url)};
  }
  if(url.startsWith('did:key:')) {
    return {contextUrl: null, documentUrl: url, document: await didKey.get({url})};
  }
  throw new Error(`documentLoader refuses ${url}: not a bundled document`);
}

const presentation = JSON.parse(readFileSync(file, 'utf8'));
const result = await jsigs.verify(presentation, {
  suite: new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()}),
  purpose: new jsigs.purposes.AuthenticationProofPurpose({challenge, domain}),
  documentLoader
});
const error = result.error ?
  (result.error.errors || [result.error]).map(e => e.message).join('; ') : null;
console.log(JSON.stringify({
  verified: result.verified, error, holder: presentation.holder,
  credentials: (presentation.verifiableCredential || []).length
}));
process.exit(result.verified ? 0 : 1);
