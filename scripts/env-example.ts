// Writes .env.example from the settings table (src/config/settings.ts): `npx tsx scripts/env-example.ts`.
// test/config/config.test.ts checks the file documents every setting with its default.
import { writeFileSync } from 'node:fs';
import { SETTINGS } from '../src/config/settings.ts';

const header = [
  '# ers-conformance settings. Copy to .env (git-ignored) and uncomment what you change.',
  '# Precedence: command-line flags > environment > .env > these defaults.',
  '# Secrets (tokens, API key, private key, id_token) are never printed and are redacted from every report.',
  '# Running against INT with your own key, API key and test data: docs/int.md (a complete example .env is there).',
];
// The INT fixture file itself is YAML; its complete example is in docs/int.md.
const intExample = [
  '# ---- Example: INT with your own app, both access modes (docs/int.md, step by step) ----',
  '# ERS_TARGET=int',
  '# ERS_FIXTURES=int-fixtures.yaml',
  '# ERS_API_KEY=<the API key of your developer-portal app>',
  '# ERS_KID=test-1',
  '# ERS_PRIVATE_KEY_PATH=keys/test-1.pem',
  '# ERS_ID_TOKEN=<a CIS2 id_token for your INT test user>',
  '# ERS_TAGS=not @wip',
  '# ERS_PARALLEL=1',
];
const blocks = SETTINGS.map((s) => `# ${s.doc}${s.flag ? ` Flag: ${s.flag}.` : ''}\n# ${s.key}=${s.default}`);
writeFileSync(new URL('../.env.example', import.meta.url), [header.join('\n'), ...blocks, intExample.join('\n')].join('\n\n') + '\n');
