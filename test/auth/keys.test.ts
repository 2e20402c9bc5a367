// Private keys: missing, unreadable, not PEM, not RSA — each named with its setting and the fix; and
// `ers-conformance keys generate` writes a usable key pair.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { KeyError, loadPrivateKey, publicJwkFor } from '../../src/auth/keys.ts';

const dir = mkdtempSync(join(tmpdir(), 'ers-keys-'));
const bin = fileURLToPath(new URL('../../bin/ers-conformance.js', import.meta.url));

function keyError(fn: () => unknown): KeyError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof KeyError, `expected a KeyError, got ${(e as Error).message}`);
    return e;
  }
  assert.fail('expected the key to be refused');
}

describe('loading the private key', () => {
  it('a missing file is named with the path', () => {
    const e = keyError(() => loadPrivateKey({ path: '/x/key.pem' }));
    assert.equal(e.key, 'ERS_PRIVATE_KEY_PATH');
    assert.equal(e.problem, 'is set but /x/key.pem does not exist');
    assert.match(e.fix, /keys generate/);
  });

  it('an unreadable file is named', { skip: process.getuid?.() === 0 ? 'root reads any file' : false }, () => {
    const p = join(dir, 'locked.pem');
    writeFileSync(p, 'x');
    chmodSync(p, 0o000);
    assert.match(keyError(() => loadPrivateKey({ path: p })).problem, /cannot be read/);
  });

  it('text that is not a PEM private key, and a public key, are refused without echoing them', () => {
    const e = keyError(() => loadPrivateKey({ pem: 'hello' }));
    assert.equal(e.key, 'ERS_PRIVATE_KEY');
    assert.match(e.problem, /not a PEM private key/);
    const pub = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    assert.match(keyError(() => loadPrivateKey({ pem: pub })).problem, /not a PEM private key/);
    assert.ok(!e.message.includes('hello'));
  });

  it('EC and Ed25519 keys are refused as not RSA; short RSA keys too', () => {
    for (const type of ['ec', 'ed25519'] as const) {
      const pem = (type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519')).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      assert.match(keyError(() => loadPrivateKey({ pem })).problem, /not RSA/);
    }
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    assert.match(keyError(() => loadPrivateKey({ pem: small })).problem, /1024-bit/);
  });

  it('PKCS#1 and PKCS#8 RSA keys load, from a file or from one-line env text', () => {
    const k = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const pkcs1 = k.export({ format: 'pem', type: 'pkcs1' }).toString();
    const p = join(dir, 'rsa.pem');
    writeFileSync(p, pkcs1);
    assert.equal(loadPrivateKey({ path: p }).asymmetricKeyType, 'rsa');
    const oneLine = k.export({ format: 'pem', type: 'pkcs8' }).toString().trim().split('\n').join('\\n');
    assert.equal(loadPrivateKey({ pem: oneLine }).asymmetricKeyType, 'rsa');
    assert.equal(keyError(() => loadPrivateKey({ pem: oneLine, path: p })).key, 'ERS_PRIVATE_KEY');
  });
});

describe('ers-conformance keys generate', () => {
  it('writes a private key readable by the owner only and the matching public JWKS', () => {
    const out = join(dir, 'out');
    const r = spawnSync(process.execPath, [bin, 'keys', 'generate', '--kid', 'test-1', '--out', out, '--bits', '2048'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!r.stdout.includes('PRIVATE KEY'), 'the private key is never printed');
    const pemPath = join(out, 'test-1.pem');
    assert.equal(statSync(pemPath).mode & 0o777, 0o600);
    const jwks = JSON.parse(readFileSync(join(out, 'test-1.jwks.json'), 'utf8'));
    assert.deepEqual(Object.keys(jwks.keys[0]).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
    assert.equal(jwks.keys[0].kid, 'test-1');
    assert.equal(jwks.keys[0].alg, 'RS512');
    assert.deepEqual(jwks.keys[0], publicJwkFor(loadPrivateKey({ path: pemPath }), 'test-1'), 'the JWKS holds the public half of the written key');
    assert.ok(!JSON.stringify(jwks).includes('"d"'), 'no private parameters in the JWKS');
  });

  it('refuses to overwrite, needs --kid, and rejects odd values', () => {
    const out = join(dir, 'out');
    const again = spawnSync(process.execPath, [bin, 'keys', 'generate', '--kid', 'test-1', '--out', out, '--bits', '2048'], { encoding: 'utf8' });
    assert.equal(again.status, 2);
    assert.match(again.stderr, /already exists/);
    const noKid = spawnSync(process.execPath, [bin, 'keys', 'generate'], { encoding: 'utf8' });
    assert.equal(noKid.status, 2);
    assert.match(noKid.stderr, /--kid is required/);
    const badKid = spawnSync(process.execPath, [bin, 'keys', 'generate', '--kid', '../x'], { encoding: 'utf8' });
    assert.match(badKid.stderr, /must be 1-64 letters/);
  });
});
