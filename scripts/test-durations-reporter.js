// A node:test reporter for scripts/test-all.js: the milliseconds each test file's top-level tests took, as one JSON
// object { "test/…/x.test.ts": ms } written when the run ends. The next `npm test` starts the slowest
// files first with it.
import { relative } from 'node:path';

export default async function* durations(source) {
  const perFile = {};
  for await (const event of source) {
    if ((event.type !== 'test:pass' && event.type !== 'test:fail') || event.data.nesting !== 0 || !event.data.file) continue;
    const file = relative(process.cwd(), event.data.file);
    perFile[file] = (perFile[file] ?? 0) + (event.data.details?.duration_ms ?? 0);
  }
  yield `${JSON.stringify(Object.fromEntries(Object.entries(perFile).map(([f, ms]) => [f, Math.round(ms)])))}\n`;
}
