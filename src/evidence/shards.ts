// `report --from`: shard folders come from CI artefacts, i.e. from outside. Each is checked in full before
// anything in the reports folder is touched: its manifest is a complete run of this harness with a shard
// i/n; every i of n is present once, all for the same target and harness version; no result is in two
// shards; no symbolic link is followed and no file is larger than a result can honestly be.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from './manifest.ts';

/** A result or attachment larger than this is not evidence a run wrote (attachments are capped by the client). */
export const MAX_SHARD_FILE_BYTES = 64 * 1024 * 1024;
/** Files per shard's allure-results/ (the whole suite writes a few thousand). */
export const MAX_SHARD_FILES = 200_000;

export interface CheckedShard {
  dir: string;
  manifest: Manifest;
  /** allure-results/ file names that are regular files, safe to copy. */
  files: string[];
  junit: boolean;
}

export class ShardError extends Error {
  constructor(readonly problems: string[]) {
    super(`the shard folders cannot be merged (nothing was changed):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ShardError';
  }
}

const SAFE_NAME = /^[\w.-]+$/;

export function checkShards(dirs: readonly string[]): CheckedShard[] {
  const problems: string[] = [];
  const shards: CheckedShard[] = [];
  for (const dir of dirs) {
    const p = (msg: string): void => void problems.push(`${dir}: ${msg}`);
    const kind = (path: string): 'file' | 'dir' | 'link' | 'other' | 'missing' => {
      try {
        const st = lstatSync(path);
        return st.isSymbolicLink() ? 'link' : st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
      } catch {
        return 'missing';
      }
    };
    if (kind(dir) !== 'dir') {
      p(kind(dir) === 'link' ? 'is a symbolic link; give the real folder' : 'is not a folder');
      continue;
    }
    const manifestPath = join(dir, 'manifest.json');
    if (kind(manifestPath) !== 'file') {
      p(kind(manifestPath) === 'link' ? 'manifest.json is a symbolic link (not followed)' : 'has no manifest.json: give the reports folder of a finished `run --shard i/n`');
      continue;
    }
    if (lstatSync(manifestPath).size > 1024 * 1024) {
      p('manifest.json is larger than 1 MB: not a manifest this harness wrote');
      continue;
    }
    let manifest: Manifest;
    try {
      manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    } catch (err) {
      p(`manifest.json is not JSON (${(err as Error).message})`);
      continue;
    }
    if (manifest?.tool !== 'ers-conformance' || typeof manifest.counts !== 'object' || manifest.counts === null) {
      p('manifest.json is not an ers-conformance run manifest');
      continue;
    }
    if (typeof manifest.startedAt !== 'string' || !Number.isFinite(Date.parse(manifest.startedAt)) || typeof manifest.finishedAt !== 'string' || !Number.isFinite(Date.parse(manifest.finishedAt))) {
      p('manifest.json has no valid startedAt/finishedAt times');
      continue;
    }
    if (manifest.complete === false || (typeof manifest.verdict === 'string' && manifest.verdict.startsWith('INCOMPLETE'))) p('the run was INCOMPLETE (interrupted); run that shard again');
    if (typeof manifest.shard !== 'string' || !/^\d+\/\d+$/.test(manifest.shard)) p(`its manifest names no shard (run it with --shard i/n)`);
    const results = join(dir, 'allure-results');
    if (kind(results) !== 'dir') {
      p(kind(results) === 'link' ? 'allure-results is a symbolic link (not followed)' : 'has no allure-results/ folder');
      continue;
    }
    const files: string[] = [];
    const entries = readdirSync(results, { withFileTypes: true });
    if (entries.length > MAX_SHARD_FILES) {
      p(`allure-results/ holds ${entries.length} entries, more than ${MAX_SHARD_FILES}`);
      continue;
    }
    for (const e of entries) {
      const path = join(results, e.name);
      if (!SAFE_NAME.test(e.name)) p(`allure-results/${JSON.stringify(e.name).slice(1, -1)} has a name no run writes`);
      else if (e.isSymbolicLink()) p(`allure-results/${e.name} is a symbolic link (not followed)`);
      else if (!e.isFile()) p(`allure-results/${e.name} is not a regular file`);
      else if (lstatSync(path).size > MAX_SHARD_FILE_BYTES) p(`allure-results/${e.name} is larger than ${MAX_SHARD_FILE_BYTES / 1024 / 1024} MB`);
      else if (e.name.endsWith('-result.json')) {
        try {
          const raw = JSON.parse(readFileSync(path, 'utf8')) as { uuid?: unknown };
          if (!raw || typeof raw.uuid !== 'string') p(`allure-results/${e.name} is not an Allure result (no uuid)`);
          else files.push(e.name);
        } catch {
          p(`allure-results/${e.name} is not JSON`);
        }
      } else files.push(e.name);
    }
    const junitKind = kind(join(dir, 'junit.xml'));
    if (junitKind === 'link') p('junit.xml is a symbolic link (not followed)');
    if (junitKind === 'file' && lstatSync(join(dir, 'junit.xml')).size > MAX_SHARD_FILE_BYTES) p('junit.xml is too large');
    shards.push({ dir, manifest, files, junit: junitKind === 'file' });
  }
  if (!problems.length) problems.push(...crossCheck(shards));
  if (problems.length) throw new ShardError(problems);
  return shards;
}

function crossCheck(shards: readonly CheckedShard[]): string[] {
  const problems: string[] = [];
  const first = shards[0];
  if (!first) return ['no shard folder given'];
  for (const s of shards) {
    if (s.manifest.target !== first.manifest.target || s.manifest.baseUrl !== first.manifest.baseUrl) problems.push(`${s.dir} ran against ${s.manifest.target} (${s.manifest.baseUrl}), ${first.dir} against ${first.manifest.target} (${first.manifest.baseUrl}): merge shards of one run only`);
    if (s.manifest.harnessVersion !== first.manifest.harnessVersion || s.manifest.gitRevision !== first.manifest.gitRevision) problems.push(`${s.dir} was made by harness ${s.manifest.harnessVersion} (${s.manifest.gitRevision}), ${first.dir} by ${first.manifest.harnessVersion} (${first.manifest.gitRevision})`);
    if ((s.manifest.effectiveTags ?? s.manifest.tags) !== (first.manifest.effectiveTags ?? first.manifest.tags)) problems.push(`${s.dir} ran tags "${s.manifest.effectiveTags ?? s.manifest.tags}", ${first.dir} "${first.manifest.effectiveTags ?? first.manifest.tags}"`);
  }
  const totals = new Set(shards.map((s) => s.manifest.shard?.split('/')[1]));
  if (totals.size > 1) problems.push(`the shards come from different splits (${[...totals].map((t) => `of ${t}`).join(', ')})`);
  const total = Number([...totals][0]);
  const seen = new Map<string, string>();
  for (const s of shards) {
    const id = s.manifest.shard!;
    if (seen.has(id)) problems.push(`shard ${id} is given twice (${seen.get(id)} and ${s.dir})`);
    seen.set(id, s.dir);
  }
  if (Number.isInteger(total) && total > 0) {
    const missing = Array.from({ length: total }, (_, i) => `${i + 1}/${total}`).filter((id) => !seen.has(id));
    if (missing.length) problems.push(`shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing: pass every shard's folder with --from`);
  }
  const owner = new Map<string, string>();
  for (const s of shards) {
    for (const f of s.files) {
      if (f === 'environment.properties' || f === 'categories.json') continue;
      if (owner.has(f)) problems.push(`allure-results/${f} is in both ${owner.get(f)} and ${s.dir} (a shard copied twice?)`);
      owner.set(f, s.dir);
    }
  }
  return problems.slice(0, 30);
}
