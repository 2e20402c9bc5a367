import { runCommand, RUN_USAGE } from './run.ts';

const USAGE = `ers-conformance — conformance and witness-test harness for the NHS e-Referral Service FHIR API

Commands:
  run        run the Gherkin suite against a target and write reports/
  validate   validate FHIR JSON files against the base spec and NHS profiles
  coverage   which scenarios cover which requirement; --check fails on unknown or stale requirement ids
  report     rebuild the HTML report and SCAL matrix from results (merging shards); --pack writes the evidence pack
  keys       keys generate --kid ID [--out DIR]: a signing key and the public JWKS to register for your app
  serve      serve the e-RS simulator standalone [--host H] [--port N] [--seed FILE] [--faults FILE]
  proxy      a recording proxy in front of e-RS for a witness run: --upstream URL [--host H] [--port N] [--reports DIR]

${RUN_USAGE}

Run "ers-conformance <command> --help" for a command's options.`;

/** Dispatch a command; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest);
      case 'validate': {
        const { validateCommand } = await import('./validate.ts');
        return await validateCommand(rest);
      }
      case 'serve':
        return await (await import('./serve.ts')).serveCommand(rest);
      case 'proxy':
        return await (await import('./proxy.ts')).proxyCommand(rest);
      case 'keys':
        return await (await import('./keys.ts')).keysCommand(rest);
      case 'coverage':
        return await (await import('./coverage.ts')).coverageCommand(rest);
      case 'report':
        return await (await import('./report.ts')).reportCommand(rest);
      case undefined:
      case '--help':
      case 'help':
        process.stdout.write(USAGE + '\n');
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`ers-conformance: unknown command "${command}"\n\n${USAGE}\n`);
        return 2;
    }
  } catch (err) {
    // Anything reaching here is our bug or the machine's, never a conformance result.
    process.stderr.write(`ers-conformance: harness error: ${(err as Error).stack ?? String(err)}\n`);
    return 2;
  }
}
