// Benchmark: the fixed cost of a run. One scenario through `ers-conformance run` (with and without the HTML
// report) against the same scenario through bare cucumber-js (`cucumber-js --import tsx FEATURE:LINE`, same
// steps, same support code, no reports), side by side, in interleaved rounds (A B C A B C …) so that drift
// in the machine's speed hits all three alike. For each: time to the first scenario result on the console,
// time to exit (wall), and CPU seconds of the whole process tree (user+system, from the kernel's accounting
// of the finished children). Medians are printed, with min-max.
//
// Run: node --import tsx bench/startup.ts [FEATURE:LINE] [--rounds N]
// The targets: ours reaches the first result in under 1.5 s and ends in under 3 s, and adds no
// more than 1 s to bare cucumber-js. Quote figures from an otherwise idle machine (the load average is printed).
import { spawn } from 'node:child_process';
import { loadavg, cpus } from 'node:os';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 5;
const scenario = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--rounds') ?? 'features/directory/A004-retrieve-reference-data.feature:23';
const reports = mkdtempSync(join(tmpdir(), 'ers-bench-startup-'));

interface Sample {
  firstMs: number | undefined;
  totalMs: number;
  cpuS: number;
  code: number | null;
}

// A scenario result line: ours prints "✔    1/1 A004 …", cucumber's progress formatter prints dots.
const OURS_RESULT = /^[✔✘↷?]\s+\d+\/\d+ /m;
const BARE_RESULT = /^[.FUSP-]+$/m;

const contenders: { name: string; cmd: string[]; result: RegExp }[] = [
  { name: 'ers-conformance run', cmd: [process.execPath, 'bin/ers-conformance.js', 'run', scenario, '--reports', join(reports, 'a')], result: OURS_RESULT },
  { name: 'ers-conformance run --no-html', cmd: [process.execPath, 'bin/ers-conformance.js', 'run', scenario, '--no-html', '--reports', join(reports, 'b')], result: OURS_RESULT },
  { name: 'bare cucumber-js (peer)', cmd: [process.execPath, '--import', 'tsx', 'node_modules/@cucumber/cucumber/bin/cucumber.js', scenario, '--format', 'progress'], result: BARE_RESULT },
];

function once(cmd: string[], result: RegExp): Promise<Sample> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const before = childCpu();
    const child = spawn(cmd[0]!, cmd.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let firstMs: number | undefined;
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      if (firstMs !== undefined) return;
      out = (out + d).slice(-4096);
      if (result.test(out)) firstMs = Number(process.hrtime.bigint() - started) / 1e6;
    });
    child.stderr.resume();
    child.on('close', (code) => {
      const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({ firstMs, totalMs, cpuS: childCpu() - before, code });
    });
  });
}

/** CPU seconds of all reaped descendants so far (getrusage RUSAGE_CHILDREN, via /proc/self/stat fields cutime+cstime). */
function childCpu(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[13]) + Number(fields[14]); // cutime, cstime (fields 16 and 17 of proc(5))
  return ticks / 100;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (xs: number[], unit: 's' | 'ms'): string => {
  if (!xs.length) return 'n/a';
  const k = unit === 'ms' ? 1000 : 1;
  return `${(median(xs) / k).toFixed(2)} s (${(Math.min(...xs) / k).toFixed(2)}-${(Math.max(...xs) / k).toFixed(2)})`;
};

console.log(`startup bench · ${scenario} · ${rounds} rounds after a warm-up · ${cpus().length} CPUs · load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const samples = contenders.map(() => [] as Sample[]);
for (let round = 0; round <= rounds; round++) {
  for (const [i, c] of contenders.entries()) {
    const s = await once(c.cmd, c.result);
    if (s.code !== 0) {
      console.error(`${c.name} exited ${s.code}: the bench needs a passing scenario`);
      process.exit(1);
    }
    if (round > 0) samples[i]!.push(s); // round 0 warms the caches (tsx, file system)
  }
}
console.log(`${'command'.padEnd(34)}${'first result'.padEnd(24)}${'exit'.padEnd(24)}CPU (process tree)`);
for (const [i, c] of contenders.entries()) {
  const s = samples[i]!;
  console.log(`${c.name.padEnd(34)}${fmt(s.flatMap((x) => (x.firstMs === undefined ? [] : [x.firstMs])), 'ms').padEnd(24)}${fmt(s.map((x) => x.totalMs), 'ms').padEnd(24)}${fmt(s.map((x) => x.cpuS), 's')}`);
}
const oursNoHtml = median(samples[1]!.map((x) => x.totalMs));
const bare = median(samples[2]!.map((x) => x.totalMs));
console.log(`ours (--no-html) adds ${((oursNoHtml - bare) / 1000).toFixed(2)} s to bare cucumber-js; with the HTML report ${((median(samples[0]!.map((x) => x.totalMs)) - bare) / 1000).toFixed(2)} s`);
rmSync(reports, { recursive: true, force: true });
