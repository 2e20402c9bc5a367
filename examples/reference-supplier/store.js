// The GP system's own records, kept in files so the command form (one process per action) and the
// http form see the same thing: its signing key, and per scenario the audit trail, the last message
// shown to the user and what it knows of each referral.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function stateDir(env = process.env) {
  const dir = env.ERS_REFERENCE_STATE_DIR || join(tmpdir(), 'ers-reference-supplier');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** The system's RSA signing key (made on first use; the public half is its JWKS). */
export function signingKey(dir) {
  const file = join(dir, 'signing-key.json');
  if (!existsSync(file)) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' });
    const kid = createHash('sha256').update(jwk.n).digest('hex').slice(0, 16);
    writeAtomically(file, JSON.stringify({ kid, privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }), publicJwk: { ...jwk, kid, use: 'sig', alg: 'RS512' } }), 0o600);
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** One scenario's records: { audit: [], lastMessage, referrals: { ubrn: {...} } }. */
export function scenarioRecords(dir, scenarioId) {
  const file = join(dir, `scenario-${createHash('sha256').update(scenarioId).digest('hex').slice(0, 24)}.json`);
  const records = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { audit: [], lastMessage: undefined, referrals: {} };
  return { records, save: () => writeAtomically(file, JSON.stringify(records), 0o600) };
}

function writeAtomically(file, text, mode) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, file);
}
