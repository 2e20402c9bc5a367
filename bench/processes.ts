// Server processes for the bench scripts: start one and wait for the URL it prints, stop it.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Starts `node ARGS` (or `taskset -c CPU node ARGS`) in the repository and resolves with the first URL matched by `pattern`. */
export function startServer(args: string[], pattern: RegExp, opts: { taskset?: string; cpu?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ child: ChildProcess; url: string }> {
  const [cmd, argv] = opts.taskset && opts.cpu && opts.cpu !== 'none' ? [opts.taskset, ['-c', opts.cpu, process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(cmd, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: opts.env ?? process.env });
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      seen += chunk;
      const m = pattern.exec(seen);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}) before listening:\n${seen}`)));
  });
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
