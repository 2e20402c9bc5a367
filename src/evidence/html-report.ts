import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Generate the Allure 3 HTML report (single file, so it opens from disk and travels in an evidence pack). */
export async function generateHtmlReport(resultsDir: string, outputDir: string, reportName: string): Promise<{ ok: true } | { ok: false; message: string }> {
  const cli = allureCli();
  const scratch = mkdtempSync(join(tmpdir(), 'ers-allure-'));
  const configFile = join(scratch, 'allurerc.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      name: reportName,
      output: outputDir,
      plugins: {
        awesome: { options: { reportName, singleFile: true, groupBy: ['epic', 'feature', 'story'] } },
      },
    }),
  );
  rmSync(outputDir, { recursive: true, force: true });
  try {
    const { code, output } = await run(process.execPath, [cli, 'generate', resultsDir, '--output', outputDir, '--config', configFile], scratch);
    return code === 0 ? { ok: true } : { ok: false, message: `allure generate exited ${code}: ${output.slice(-2000)}` };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The allure CLI script; the package exports no subpaths, so look for it along the module paths. */
function allureCli(): string {
  const require = createRequire(import.meta.url);
  for (const dir of require.resolve.paths('allure') ?? []) {
    const candidate = join(dir, 'allure', 'cli.js');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('the allure package is not installed: run npm ci');
}

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (e) => resolve({ code: -1, output: e.message }));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}
