import { ConfigError } from '../config/index.ts';

// A tiny argv parser: `--name value`, `--name=value`, repeatable flags and positionals.
export interface ParsedArgs {
  flags: Map<string, string[]>;
  positionals: string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseArgs(argv: string[], known: { value: string[]; boolean?: string[] }): ParsedArgs {
  const flags = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (known.boolean?.includes(name)) {
      flags.set(name, ['true']);
      continue;
    }
    if (!known.value.includes(name)) {
      throw new UsageError(`unknown option ${name} (known: ${[...known.value, ...(known.boolean ?? [])].join(', ')})`);
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${name} needs a value`);
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return { flags, positionals };
}

/**
 * A command's answer to bad input: the problem (and, for a usage error, the usage) on stderr and exit
 * code 2. Anything that is not bad input is rethrown, to be reported as a harness error.
 */
export function badInputExit(command: string, err: unknown, usage: string, isBadInput: (e: unknown) => boolean = (e) => e instanceof UsageError): 2 {
  if (!isBadInput(err)) throw err;
  const usageText = err instanceof UsageError ? `${usage}\n` : '';
  process.stderr.write(`ers-conformance ${command}: ${(err as Error).message}\n\n${usageText}`);
  return 2;
}

/** Bad configuration or bad usage: both are the user's input, named with the fix. */
export const isBadInput = (e: unknown): boolean => e instanceof ConfigError || e instanceof UsageError;
