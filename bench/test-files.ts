// Benchmark: where `npm test` spends its time. Runs each node:test file under test/ in a process of its own
// (`node --import tsx --test FILE`, as the test runner isolates them), one after another, and prints each file's
// wall time and the CPU seconds of its whole process tree (user+system of the finished children, from the
// kernel's accounting, so the CLI runs and simulators a test starts are counted), the slowest first, with the
// sums. The CPU figure is the one to compare across runs on a shared machine: the load average (printed) moves
// the wall time far more than the CPU time.
//
// Run: node --import tsx bench/test-files.ts [PATH_PREFIX ...] [--top N]
// e.g. `node --import tsx bench/test-files.ts test/cli test/supplier --top 10`
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : Infinity;
const prefixes = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--top');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** CPU seconds (user+system) of this process's finished children: cutime + cstime of proc(5). */
function childCpu(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

interface Timing { file: string; wallS: number; cpuS: number; ok: boolean }

function runFile(file: string): Promise<Timing> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const cpuBefore = childCpu();
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=dot', file], { cwd: ROOT, stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, NODE_ENV: 'test' } });
    child.on('close', (code) => resolve({ file, wallS: Number(process.hrtime.bigint() - started) / 1e9, cpuS: childCpu() - cpuBefore, ok: code === 0 }));
  });
}

const files = testFiles(join(ROOT, 'test'))
  .map((f) => relative(ROOT, f))
  .filter((f) => prefixes.length === 0 || prefixes.some((p) => f.startsWith(p)))
  .sort();
const load = loadavg()[0]!.toFixed(1);
process.stdout.write(`${files.length} test files, one at a time · ${cpus().length} CPUs · load average ${load} at the start\n`);
const timings: Timing[] = [];
for (const file of files) {
  const t = await runFile(file);
  timings.push(t);
  process.stderr.write(`${t.wallS.toFixed(1).padStart(6)} s ${t.cpuS.toFixed(1).padStart(6)} cpu-s  ${file}${t.ok ? '' : '  (FAILED)'}\n`);
}
timings.sort((a, b) => b.wallS - a.wallS);
process.stdout.write(`\n  wall s   cpu s  file (slowest first)\n`);
for (const t of timings.slice(0, top)) process.stdout.write(`${t.wallS.toFixed(1).padStart(8)} ${t.cpuS.toFixed(1).padStart(7)}  ${t.file}${t.ok ? '' : '  (FAILED)'}\n`);
const sum = (k: 'wallS' | 'cpuS') => timings.reduce((s, t) => s + t[k], 0);
process.stdout.write(`${sum('wallS').toFixed(1).padStart(8)} ${sum('cpuS').toFixed(1).padStart(7)}  all ${timings.length} files · load average ${loadavg()[0]!.toFixed(1)} at the end\n`);
