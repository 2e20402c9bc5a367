// The evidence pack: one archive a supplier hands to an NHS reviewer — the HTML report, the SCAL matrix,
// JUnit, the manifest and a SHA256SUMS of every file. Everything in it has already been through the redactor
// (it is written only from files the run wrote redacted); the same inputs give a byte-identical archive.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { zip, type ZipEntry } from './zip.ts';

/** What goes in, relative to the reports folder. Folders are taken whole (dot-files left out). */
export const PACK_CONTENTS = ['allure-report', 'scal-matrix.html', 'scal-matrix.csv', 'junit.xml', 'manifest.json'] as const;

export interface PackResult {
  file: string;
  files: string[];
  missing: string[];
}

/** File-name safe timestamp from an ISO time: 2026-11-22T03:49:50.534Z → 20261122T034950Z. */
export function packTimestamp(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}

export function writePack(reportsDir: string, target: string, startedAt: string): PackResult {
  const entries: ZipEntry[] = [];
  const missing: string[] = [];
  for (const item of PACK_CONTENTS) {
    const path = join(reportsDir, item);
    if (!existsSync(path)) {
      missing.push(item);
      continue;
    }
    for (const file of filesUnder(path)) entries.push({ name: relative(reportsDir, file).split(sep).join('/'), data: readFileSync(file) });
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const sums = entries.map((e) => `${createHash('sha256').update(e.data).digest('hex')}  ${e.name}`).join('\n') + '\n';
  entries.push({ name: 'SHA256SUMS', data: Buffer.from(sums) });
  const name = `evidence-${target.replace(/[^\w.-]+/g, '_')}-${packTimestamp(startedAt)}.zip`;
  const file = join(reportsDir, name);
  writeFileSync(file, zip(entries, new Date(startedAt)));
  return { file, files: entries.map((e) => e.name), missing };
}

function filesUnder(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(path, e.name)) : [join(path, e.name)]))
    .sort();
}
