import { inspect } from 'node:util';

// Console colour, decided once by the CLI (which owns the terminal) and handed to cucumber's process, whose
// output is a pipe: colour when stdout is a terminal that has colours, never with NO_COLOR, always with
// FORCE_COLOR=1/2/3 (the conventions of no-color.org and of Node itself: tty.WriteStream#hasColors).

/** The environment variable that carries the CLI's decision to cucumber's process. */
export const COLOUR_ENV = 'ERS_COLOUR';

export function colourWanted(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return !['0', 'false'].includes(force.toLowerCase());
  return !!stream.isTTY && typeof stream.hasColors === 'function' && stream.hasColors(env);
}

export type Tone = 'pass' | 'fail' | 'skip' | 'dim' | 'bold' | 'warn';

const STYLE: Record<Tone, keyof typeof inspect.colors> = {
  pass: 'green',
  fail: 'red',
  skip: 'yellow',
  warn: 'yellow',
  dim: 'gray',
  bold: 'bold',
};

export interface Paint {
  enabled: boolean;
  (tone: Tone, text: string): string;
}

/** A painter: `paint('fail', '✘')`; a no-op when colour is off, so text never carries stray escapes. */
export function painter(enabled: boolean): Paint {
  // Node's own SGR codes (util.inspect.colors); util.styleText would re-check the stream on newer Node
  // versions, and cucumber's process writes to a pipe.
  const paint = ((tone: Tone, text: string) => {
    if (!enabled) return text;
    const [open, close] = inspect.colors[STYLE[tone]]!;
    return `\x1b[${open}m${text}\x1b[${close}m`;
  }) as Paint;
  paint.enabled = enabled;
  return paint;
}

/** The decision the CLI passed down (cucumber's own process: its stdout is our pipe, never a terminal). */
export function painterFromEnv(env: NodeJS.ProcessEnv = process.env): Paint {
  return painter(env[COLOUR_ENV] === '1');
}
