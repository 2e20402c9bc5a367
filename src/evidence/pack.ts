// The evidence pack: one archive a supplier hands to an NHS reviewer — the HTML report, the SCAL matrix,
// JUnit, the manifest and a SHA256SUMS of every file. Everything in it has already been through the redactor
// (it is written only from files the run wrote redacted); the same inputs give a byte-identical archive.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { zip, type ZipEntry } from './zip.ts';

/** What goes in, relative to the reports folder. Folders are taken whole (dot-files left out). */
export const PACK_CONTENTS = ['allure-report', 'scal-matrix.html', 'scal-matrix.csv', 'junit.xml', 'manifest.json', 'proxy-session'] as const;

/** Contents only some runs have (the recording proxy's session of a witness run on a real e-RS). */
const OPTIONAL = new Set<string>(['proxy-session']);

export interface PackResult {
  file: string;
  files: string[];
  missing: string[];
}

/** File-name safe timestamp from an ISO time: 2026-11-22T03:49:50.534Z → 20261122T034950Z (only ever digits, T and Z). */
export function packTimestamp(iso: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) throw new Error(`the run's start time "${iso.slice(0, 60)}" is not a date; the manifest is damaged`);
  return new Date(t).toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}

export function writePack(reportsDir: string, target: string, startedAt: string, contents: readonly string[] = PACK_CONTENTS, suffix = ''): PackResult {
  const entries: ZipEntry[] = [];
  const missing: string[] = [];
  for (const item of contents) {
    const path = join(reportsDir, item);
    if (!existsSync(path) || lstatSync(path).isSymbolicLink()) {
      if (!OPTIONAL.has(item)) missing.push(item);
      continue;
    }
    for (const file of filesUnder(path)) entries.push({ name: relative(reportsDir, file).split(sep).join('/'), data: readFileSync(file) });
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const sums = entries.map((e) => `${createHash('sha256').update(e.data).digest('hex')}  ${e.name}`).join('\n') + '\n';
  entries.push({ name: 'SHA256SUMS', data: Buffer.from(sums) });
  const name = `evidence-${target.replace(/[^\w.-]+/g, '_')}-${packTimestamp(startedAt)}${suffix.replace(/[^\w.-]+/g, '_')}.zip`;
  const file = join(reportsDir, name);
  writeFileSync(file, zip(entries, new Date(Date.parse(startedAt))));
  return { file, files: entries.map((e) => e.name), missing };
}

/** Regular files only: a symbolic link (to a private key, say) is never followed into a pack. */
function filesUnder(path: string): string[] {
  const st = lstatSync(path);
  if (st.isFile()) return [path];
  if (!st.isDirectory()) return [];
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && (e.isFile() || e.isDirectory()))
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(path, e.name)) : [join(path, e.name)]))
    .sort();
}
