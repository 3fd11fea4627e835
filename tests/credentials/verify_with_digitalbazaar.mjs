// Verifies credentials with Digital Bazaar's libraries, independently of the Python
// code that signed them. Reads {contexts, didDocuments, statusLists, credentials} as
// JSON on stdin ({url: local file} for contexts the npm packages do not ship;
// {did: document} for did:web DIDs; {url: status list credential}; {name: credential})
// and writes {name: {verified, revoked, error}}: `verified` covers the proof and that
// the status list could be checked, `revoked` is the credential's bit in that list. Nothing is fetched: a document that is neither
// shipped nor given is refused.
import {readFileSync} from 'node:fs';

import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import * as DidKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import multikeyContext from '@digitalbazaar/multikey-context';
import * as vc from '@digitalbazaar/vc';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import didContext from 'did-context';

const input = JSON.parse(readFileSync(0, 'utf8'));

const documents = new Map([
  ...credentialsContexts,
  ...didContext.contexts,
  ...multikeyContext.contexts,
]);
// The W3C contexts come from the npm packages, not from the project's copies.
for(const [url, path] of Object.entries(input.contexts)) {
  if(!documents.has(url)) {
    documents.set(url, JSON.parse(readFileSync(path, 'utf8')));
  }
}

const didKey = DidKey.driver();
didKey.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

function didWeb(url) {
  const [did, fragment] = url.split('#');
  const document = input.didDocuments[did];
  if(!document) {
    return undefined;
  }
  if(!fragment) {
    return document;
  }
  const method = document.verificationMethod.find(m => m.id === url);
  return method && {'@context': document['@context'], ...method};
}

async function documentLoader(url) {
  let document = documents.get(url) || input.statusLists[url];
  if(!document && url.startsWith('did:key:')) {
    document = await didKey.get({url});
  }
  if(!document && url.startsWith('did:web:')) {
    document = didWeb(url);
  }
  if(!document) {
    throw new Error(`refused to load ${url}`);
  }
  return {contextUrl: null, documentUrl: url, document};
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
const results = {};
for(const [name, credential] of Object.entries(input.credentials)) {
  try {
    const result = await vc.verifyCredential(
      {credential, suite, documentLoader, checkStatus});
    const errors = result.error ? result.error.errors || [result.error] : [];
    if(result.statusResult && !result.statusResult.verified) {
      errors.push(result.statusResult.error || new Error('revoked'));
    }
    const error = errors.map(e => e.message).join('; ') || null;
    const revoked = (result.statusResult?.results || []).some(r => r.status);
    results[name] = {verified: result.verified, revoked, error};
  } catch(e) {
    results[name] = {verified: false, revoked: false, error: e.message};
  }
}
process.stdout.write(JSON.stringify(results));
