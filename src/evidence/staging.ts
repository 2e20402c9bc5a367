// Staged outputs: a run writes into a fresh folder beside the reports and swaps it in only when it ends
// with something worth keeping, so a configuration error (a bad tag, a Gherkin syntax error) never
// empties allure-results/ or leaves a 0-byte junit.xml beside an old report that still says PASSED.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Everything a run writes into the reports folder; other files there (history, packs) are left alone. */
export const RUN_OUTPUTS = ['allure-results', 'allure-report', 'junit.xml', 'scal-matrix.csv', 'scal-matrix.html', 'manifest.json', 'proxy-session'] as const;

const PREFIX = '.staging-';

export interface Staging {
  /** The folder to write this run's outputs into (same layout as the reports folder). */
  dir: string;
  /** Replace the reports folder's outputs by the staged ones (old outputs of the same names go). */
  commit(): void;
  /** Drop the staged outputs; the reports folder keeps its last evidence. */
  discard(): void;
}

export function stageOutputs(reportsDir: string): Staging {
  mkdirSync(reportsDir, { recursive: true });
  removeAbandoned(reportsDir);
  // Inside the reports folder so the final rename stays on one filesystem (atomic per output).
  const dir = mkdtempSync(join(reportsDir, `${PREFIX}${process.pid}-`));
  let done = false;
  return {
    dir,
    commit() {
      if (done) return;
      done = true;
      const trash = mkdtempSync(join(reportsDir, `${PREFIX}old-${process.pid}-`));
      for (const name of RUN_OUTPUTS) {
        if (existsSync(join(reportsDir, name))) renameSync(join(reportsDir, name), join(trash, name));
        if (existsSync(join(dir, name))) renameSync(join(dir, name), join(reportsDir, name));
      }
      rmSync(trash, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    },
    discard() {
      if (done) return;
      done = true;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Staging folders of runs that were killed outright (their process is gone). */
function removeAbandoned(reportsDir: string): void {
  for (const name of readdirSync(reportsDir)) {
    if (!name.startsWith(PREFIX)) continue;
    const pid = Number(/^\.staging-(?:old-)?(\d+)-/.exec(name)?.[1]);
    if (pid && pid !== process.pid && alive(pid)) continue;
    if (pid !== process.pid) rmSync(join(reportsDir, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
