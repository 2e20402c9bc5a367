// ers-conformance keys generate: a new RSA private key for signing client assertions, and the public
// JWKS a supplier registers for its app on the NHS developer portal (catalogue 10.1).
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateSigningKey } from '../auth/keys.ts';
import { badInputExit, parseArgs, UsageError } from './args.ts';

export const KEYS_USAGE = `Usage: ers-conformance keys generate --kid ID [--out DIR] [--bits 4096] [--force]

Writes DIR/ID.pem (the RSA private key, readable by you only; keep it secret, never commit it) and
DIR/ID.jwks.json (the public key set to publish at your app's JWKS URL on the developer portal).
DIR defaults to ./keys (git-ignored). Then set ERS_PRIVATE_KEY_PATH=DIR/ID.pem and ERS_KID=ID.`;

export async function keysCommand(argv: string[]): Promise<number> {
  try {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === 'help') {
      process.stdout.write(KEYS_USAGE + '\n');
      return sub === undefined ? 2 : 0;
    }
    if (sub !== 'generate') throw new UsageError(`unknown keys command "${sub}" (known: generate)`);
    const { flags, positionals } = parseArgs(rest, { value: ['--kid', '--out', '--bits'], boolean: ['--force', '--help'] });
    if (flags.has('--help')) {
      process.stdout.write(KEYS_USAGE + '\n');
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const kid = flags.get('--kid')?.at(-1);
    if (!kid) throw new UsageError('--kid is required: the key id your app\'s JWKS will list (e.g. --kid test-1)');
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(kid)) throw new UsageError(`--kid "${kid}" must be 1-64 letters, digits, dots, dashes or underscores (it names the files too)`);
    const bitsRaw = flags.get('--bits')?.at(-1) ?? '4096';
    const bits = Number(bitsRaw);
    if (![2048, 3072, 4096].includes(bits)) throw new UsageError(`--bits ${bitsRaw} is not supported: use 4096 (NHS guidance), 3072 or 2048`);
    const out = resolve(flags.get('--out')?.at(-1) ?? 'keys');
    const pemPath = join(out, `${kid}.pem`);
    const jwksPath = join(out, `${kid}.jwks.json`);
    if (!flags.has('--force')) {
      for (const p of [pemPath, jwksPath]) if (existsSync(p)) throw new UsageError(`${p} already exists: choose another --kid, another --out, or pass --force to replace it`);
    }

    const key = generateSigningKey(kid, bits);
    mkdirSync(out, { recursive: true });
    writeFileSync(pemPath, key.privatePem, { mode: 0o600 });
    chmodSync(pemPath, 0o600); // also when --force replaced a more open file
    writeFileSync(jwksPath, JSON.stringify(key.jwks, null, 2) + '\n');
    process.stdout.write(
      [
        `Wrote ${pemPath} (RSA ${bits}-bit private key, mode 600 — keep it secret, never commit it)`,
        `Wrote ${jwksPath} (public JWKS, kid "${kid}")`,
        '',
        'Next:',
        `  1. Publish ${kid}.jwks.json at a public HTTPS URL and register that URL as your app's JWKS on the developer portal.`,
        `  2. Set ERS_PRIVATE_KEY_PATH=${pemPath} and ERS_KID=${kid} (and ERS_API_KEY to your app's API key).`,
        '  3. ers-conformance run --target int --fixtures your-int-fixtures.yaml   (docs/int.md)',
        '',
      ].join('\n'),
    );
    return 0;
  } catch (err) {
    return badInputExit('keys', err, KEYS_USAGE);
  }
}
