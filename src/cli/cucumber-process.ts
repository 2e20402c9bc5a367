// Where `ers-conformance run` runs cucumber-js: cucumber's own command line (same options, same configuration
// file and profiles), with one change: it never starts more worker processes than there are scenarios.
//
// A run that needs no workers (one scenario, or `--parallel 1`) runs in the CLI's own process (runHere): a
// second process would load TypeScript, cucumber and the support code a second time for nothing. A run with
// workers runs in a child process of its own (this file's main), because cucumber's workers inherit their
// parent's stdout and stderr: only a child whose whole process group writes into the CLI's pipes can have every
// line it prints redacted.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { loadConfiguration, loadSources, runCucumber, type IConfiguration, type IRunConfiguration, type IRunEnvironment } from '@cucumber/cucumber/api';

interface ParsedArgv {
  options: { config?: string; profile: string[] };
  configuration: Partial<IConfiguration>;
}

/** Worker processes for `requested` workers and `scenarios` selected scenarios; 0 runs them in this process. */
export function workersFor(requested: number, scenarios: number): number {
  if (requested <= 1 || scenarios <= 1) return 0;
  return Math.min(requested, scenarios);
}

export interface CucumberPlan {
  runConfiguration: IRunConfiguration;
  forceExit: boolean;
  /** worker processes the run will start (0: it runs in the process that calls runCucumber) */
  workers: number;
}

/**
 * cucumber-js's configuration for a command line (arguments after `cucumber-js`), with the worker count settled.
 * The configuration file (cucumber.js) reads process.argv to tell whether feature paths were named: it sees the
 * cucumber command line while it loads, whichever process this is.
 */
export async function planCucumber(args: string[], environment: IRunEnvironment, settledWorkers?: number): Promise<CucumberPlan> {
  // cucumber-js exports its argv parser only as a CommonJS module path.
  const require = createRequire(import.meta.url);
  const { ArgvParser } = require('@cucumber/cucumber/lib/configuration/index') as { ArgvParser: { parse(argv: string[]): ParsedArgv } };
  const argv = [process.argv[0]!, 'cucumber-js', ...args];
  const { options, configuration: provided } = ArgvParser.parse(argv);
  const ownArgv = process.argv;
  process.argv = argv;
  try {
    const { useConfiguration, runConfiguration } = await loadConfiguration({ file: options.config, profiles: options.profile, provided }, environment);
    const requested = runConfiguration.runtime.parallel;
    // The CLI settled the count already (it parsed the features to decide where to run them): not again here.
    if (settledWorkers !== undefined) runConfiguration.runtime.parallel = settledWorkers;
    else if (requested > 0) {
      const { plan } = await loadSources(runConfiguration.sources, environment);
      runConfiguration.runtime.parallel = workersFor(requested, plan.length);
    }
    return { runConfiguration, forceExit: useConfiguration.forceExit, workers: runConfiguration.runtime.parallel };
  } finally {
    process.argv = ownArgv;
  }
}

/** Set by the CLI on the child it starts: the worker count it settled, so the child does not parse the features again. */
export const SETTLED_WORKERS_ENV = 'ERS_CUCUMBER_WORKERS';

/** How a run in this process ended: interrupted when it was asked to stop before its last scenario. */
export interface HereResult {
  code: number;
  interrupted: boolean;
}

/**
 * Run a planned, worker-less run in this process. `stop()` (for Ctrl-C / SIGTERM) lets the scenario in progress
 * finish and starts no other: the results hold what ran, as when a child process is stopped. Cucumber's own
 * failures (a step file that does not load, a broken formatter) are reported on stderr with exit code 2.
 */
export function runHere(plan: CucumberPlan, environment: IRunEnvironment): { done: Promise<HereResult>; stop: () => void } {
  if (plan.workers !== 0) throw new Error('runHere runs a run without workers; a run with workers runs in a child process');
  let stopping = false;
  const restore = skipTestCasesWhen(() => stopping);
  const done = runCucumber(plan.runConfiguration, environment).then(
    ({ success }) => ({ code: success ? 0 : 1, interrupted: stopping }),
    (err: Error) => {
      environment.stderr?.write(`cucumber: ${err.message}\n`);
      return { code: 2, interrupted: stopping };
    },
  ).finally(restore);
  return { done, stop: () => (stopping = true) };
}

/**
 * Cucumber has no way to stop an in-process run part-way; its serial runtime asks its Worker to run each test case
 * in turn. While `skip()` holds, a test case is not started at all (no messages, no results), as if the process had
 * been stopped there; the run then ends normally, AfterAll hooks included. The Worker is cucumber's internal
 * module: @cucumber/cucumber is pinned, and test/cli/verdict-cli.test.ts stops a real run this way.
 */
function skipTestCasesWhen(skip: () => boolean): () => void {
  const require = createRequire(import.meta.url);
  const { Worker } = require('@cucumber/cucumber/lib/runtime/worker') as { Worker: { prototype: { runTestCase: (...a: unknown[]) => Promise<boolean> } } };
  const original = Worker.prototype.runTestCase;
  Worker.prototype.runTestCase = function (this: unknown, ...a: unknown[]): Promise<boolean> {
    return skip() ? Promise.resolve(true) : original.apply(this, a);
  };
  return () => {
    Worker.prototype.runTestCase = original;
  };
}

async function main(): Promise<number> {
  const environment = { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, env: process.env };
  const settled = process.env[SETTLED_WORKERS_ENV];
  const plan = await planCucumber(process.argv.slice(2), environment, settled ? Number(settled) : undefined);
  // Each process running scenarios takes its share of the request budget (support/context.ts).
  process.env.ERS_PARALLEL = String(Math.max(1, plan.workers));
  const { success } = await runCucumber(plan.runConfiguration, environment);
  if (plan.forceExit) process.exit(success ? 0 : 1);
  return success ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => (process.exitCode = code),
    (err: Error) => {
      // Cucumber's own errors (a bad option, a profile that does not exist, a parse failure) are configuration errors.
      process.stderr.write(`cucumber: ${err.message}\n`);
      process.exitCode = 2;
    },
  );
}
