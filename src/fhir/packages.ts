// FHIR NPM-format packages: finds `<name>#<version>/package/` folders and `.tgz` files, indexes their
// canonical resources once (from `.index.json` when present) and parses resources on demand.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { REPO_ROOT } from './definitions.ts';
import { stripVersion } from './compile.ts';
import type { FhirVersion } from './types.ts';

type Json = Record<string, any>;

export interface LoadedPackage {
  name: string;
  version: string;
  path: string;
  fhirVersion?: FhirVersion;
}

interface IndexEntry {
  pkg: LoadedPackage;
  file: string;
  resourceType: string;
  url: string;
  version?: string;
}

interface PackageSource {
  pkg: LoadedPackage;
  read(file: string): string | undefined;
  files(): string[];
}

export interface PackageProblem {
  path: string;
  problem: string;
}

function fhirVersionOf(v: unknown): FhirVersion | undefined {
  const s = String(v ?? '');
  if (s.startsWith('3.')) return 'STU3';
  if (s.startsWith('4.0')) return 'R4';
  return undefined;
}

/** Minimal ustar reader: returns regular files by name (enough for npm package tarballs). */
export function readTar(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= buf.length) {
    const header = buf.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const str = (s: number, l: number) => header.subarray(s, s + l).toString('utf8').replace(/\0.*$/s, '');
    let name = str(0, 100);
    const prefix = str(345, 155);
    if (prefix) name = `${prefix}/${name}`;
    const size = parseInt(str(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 48);
    const body = buf.subarray(off + 512, off + 512 + size);
    if (type === 'L') longName = body.toString('utf8').replace(/\0.*$/s, '');
    else {
      if (longName) {
        name = longName;
        longName = undefined;
      }
      if (type === '0' || type === '\0') out.set(name, Buffer.from(body));
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

function folderSource(dir: string): PackageSource | undefined {
  const pkgDir = existsSync(join(dir, 'package', 'package.json')) ? join(dir, 'package') : dir;
  if (!existsSync(join(pkgDir, 'package.json'))) return undefined;
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as Json;
  const pkg: LoadedPackage = { name: manifest.name ?? basename(dir), version: manifest.version ?? '0.0.0', path: dir };
  const fv = fhirVersionOf(manifest.fhirVersions?.[0] ?? manifest['fhir-version-list']?.[0]);
  if (fv) pkg.fhirVersion = fv;
  return {
    pkg,
    read: (file) => {
      try {
        return readFileSync(join(pkgDir, file), 'utf8');
      } catch {
        return undefined;
      }
    },
    files: () => readdirSync(pkgDir).filter((f) => f.endsWith('.json') && f !== 'package.json'),
  };
}

function tgzSource(file: string): PackageSource | undefined {
  const entries = readTar(gunzipSync(readFileSync(file)));
  const get = (name: string) => entries.get(`package/${name}`) ?? entries.get(name);
  const manifestBuf = get('package.json');
  if (!manifestBuf) return undefined;
  const manifest = JSON.parse(manifestBuf.toString('utf8')) as Json;
  const pkg: LoadedPackage = { name: manifest.name ?? basename(file), version: manifest.version ?? '0.0.0', path: file };
  const fv = fhirVersionOf(manifest.fhirVersions?.[0] ?? manifest['fhir-version-list']?.[0]);
  if (fv) pkg.fhirVersion = fv;
  return {
    pkg,
    read: (name) => get(name)?.toString('utf8'),
    files: () => [...entries.keys()]
      .filter((n) => /^package\/[^/]+\.json$/.test(n) && !n.endsWith('/package.json'))
      .map((n) => n.slice('package/'.length)),
  };
}

/** The package directories searched, in order: explicit, FHIR_PACKAGE_PATH, ~/.fhir/packages, profiles/packages. */
export function defaultPackagePaths(explicit: string[] = []): string[] {
  const env = (process.env.FHIR_PACKAGE_PATH ?? '').split(':').filter(Boolean);
  return [...explicit, ...env, join(homedir(), '.fhir', 'packages'), join(REPO_ROOT, 'profiles', 'packages')];
}

export class PackageRegistry {
  private readonly byUrl = new Map<string, IndexEntry[]>();
  private readonly sources = new Map<LoadedPackage, PackageSource>();
  private readonly parsed = new Map<string, Json | null>();
  readonly packages: LoadedPackage[] = [];
  readonly problems: PackageProblem[] = [];

  constructor(paths: string[]) {
    const seen = new Set<string>();
    for (const p of paths) this.scan(p, seen, 0);
  }

  private scan(dir: string, seen: Set<string>, depth: number): void {
    if (!existsSync(dir)) return;
    let st;
    try {
      st = statSync(dir);
    } catch {
      return;
    }
    if (st.isFile()) {
      if (dir.endsWith('.tgz')) this.add(dir, seen, () => tgzSource(dir));
      return;
    }
    if (existsSync(join(dir, 'package', 'package.json')) || existsSync(join(dir, '.index.json'))) {
      this.add(dir, seen, () => folderSource(dir));
      return;
    }
    if (depth > 1) return;
    for (const name of readdirSync(dir).sort()) {
      const child = join(dir, name);
      if (name.endsWith('.tgz')) this.add(child, seen, () => tgzSource(child));
      else if (name.includes('#') || existsSync(join(child, 'package', 'package.json'))) this.scan(child, seen, depth + 1);
    }
  }

  private add(path: string, seen: Set<string>, make: () => PackageSource | undefined): void {
    let src: PackageSource | undefined;
    try {
      src = make();
    } catch (e) {
      this.problems.push({ path, problem: `cannot read package: ${(e as Error).message}` });
      return;
    }
    if (!src) {
      this.problems.push({ path, problem: 'no package/package.json' });
      return;
    }
    const id = `${src.pkg.name}#${src.pkg.version}`;
    if (seen.has(id)) return; // first occurrence on the search path wins
    seen.add(id);
    this.packages.push(src.pkg);
    this.sources.set(src.pkg, src);
    this.index(src);
  }

  private index(src: PackageSource): void {
    const raw = src.read('.index.json');
    let files: { filename: string; resourceType?: string; url?: string; version?: string }[] = [];
    if (raw) {
      files = (JSON.parse(raw) as Json).files ?? [];
    } else {
      // No index: read each file once to learn its canonical url.
      for (const f of src.files()) {
        try {
          const r = JSON.parse(src.read(f) ?? 'null') as Json | null;
          if (r?.url) files.push({ filename: f, resourceType: r.resourceType, url: r.url, version: r.version });
        } catch {
          this.problems.push({ path: `${src.pkg.path}/${f}`, problem: 'not valid JSON' });
        }
      }
    }
    for (const f of files) {
      if (!f.url || !f.resourceType) continue;
      const entry: IndexEntry = { pkg: src.pkg, file: f.filename, resourceType: f.resourceType, url: f.url };
      if (f.version) entry.version = f.version;
      const list = this.byUrl.get(f.url);
      if (list) list.push(entry);
      else this.byUrl.set(f.url, [entry]);
    }
  }

  /** Resolves `url` or `url|version` to a parsed resource of the given FHIR version (undefined when absent). */
  resolve(canonical: string, fhirVersion: FhirVersion, resourceType?: string): Json | undefined {
    const url = stripVersion(canonical);
    const version = canonical.includes('|') ? canonical.slice(canonical.indexOf('|') + 1) : undefined;
    const list = this.byUrl.get(url);
    if (!list) return undefined;
    const match = list.find((e) =>
      (!e.pkg.fhirVersion || e.pkg.fhirVersion === fhirVersion)
      && (!resourceType || e.resourceType === resourceType)
      && (!version || e.version === version));
    if (!match) return undefined;
    const key = `${match.pkg.path}::${match.file}`;
    if (!this.parsed.has(key)) {
      let r: Json | null = null;
      try {
        r = JSON.parse(this.sources.get(match.pkg)!.read(match.file) ?? 'null') as Json | null;
      } catch {
        this.problems.push({ path: key, problem: 'not valid JSON' });
      }
      this.parsed.set(key, r);
    }
    return this.parsed.get(key) ?? undefined;
  }

  /** The resource types defined at a canonical url in packages of one FHIR version (from the index: nothing is parsed). */
  typesAt(url: string, fhirVersion: FhirVersion): Set<string> {
    const out = new Set<string>();
    for (const e of this.byUrl.get(stripVersion(url)) ?? []) if (!e.pkg.fhirVersion || e.pkg.fhirVersion === fhirVersion) out.add(e.resourceType);
    return out;
  }

  /** Which package defines a canonical (for messages). */
  whereIs(url: string): string[] {
    return (this.byUrl.get(stripVersion(url)) ?? []).map((e) => `${e.pkg.name}#${e.pkg.version}`);
  }
}
