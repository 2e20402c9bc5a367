// The cucumber process that `ers-conformance run` starts: cucumber-js's own command line (same options,
// same configuration file and profiles), with one change: it never starts more worker processes than
// there are scenarios, and runs a single scenario, or `--parallel 1`, in this process. Cucumber's
// coordinator loads the support code itself and every worker loads it again, so a worker for one
// scenario doubles the start-up (TypeScript, step definitions, a key pair, the simulator) for nothing.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { loadConfiguration, loadSources, runCucumber, type IConfiguration } from '@cucumber/cucumber/api';

interface ParsedArgv {
  options: { config?: string; profile: string[] };
  configuration: Partial<IConfiguration>;
}

/** Worker processes for `requested` workers and `scenarios` selected scenarios; 0 runs them in this process. */
export function workersFor(requested: number, scenarios: number): number {
  if (requested <= 1 || scenarios <= 1) return 0;
  return Math.min(requested, scenarios);
}

async function main(): Promise<number> {
  // cucumber-js exports its argv parser only as a CommonJS module path.
  const require = createRequire(import.meta.url);
  const { ArgvParser } = require('@cucumber/cucumber/lib/configuration') as { ArgvParser: { parse(argv: string[]): ParsedArgv } };
  const { options, configuration: provided } = ArgvParser.parse(process.argv);
  const environment = { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, env: process.env };
  const { useConfiguration, runConfiguration } = await loadConfiguration({ file: options.config, profiles: options.profile, provided }, environment);
  const requested = runConfiguration.runtime.parallel;
  if (requested > 0) {
    const { plan } = await loadSources(runConfiguration.sources, environment);
    runConfiguration.runtime.parallel = workersFor(requested, plan.length);
  }
  // Each process running scenarios takes its share of the request budget (support/context.ts).
  process.env.ERS_PARALLEL = String(Math.max(1, runConfiguration.runtime.parallel));
  const { success } = await runCucumber(runConfiguration, environment);
  if (useConfiguration.forceExit) process.exit(success ? 0 : 1);
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
