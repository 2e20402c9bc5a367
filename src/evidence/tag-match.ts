// Cucumber tag expressions ("@A005 and not @wip", "(@a or @b) and not @c") with one addition for
// requirement traceability: a tag containing '*' matches any tag of that shape ("@req=*-ERR-HTTP412").

type Node = (tags: ReadonlySet<string>) => boolean;

export class TagExpressionError extends Error {
  constructor(expression: string, problem: string) {
    super(`tag expression "${expression}": ${problem}`);
    this.name = 'TagExpressionError';
  }
}

const cache = new Map<string, Node>();

/** Compile once; the returned predicate takes a scenario's tags (with their '@'). */
export function compileTagExpression(expression: string): (tags: Iterable<string>) => boolean {
  let node = cache.get(expression);
  if (!node) {
    node = parse(expression);
    cache.set(expression, node);
  }
  const n = node;
  return (tags) => n(tags instanceof Set ? (tags as Set<string>) : new Set(tags));
}

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(\(|\)|[^\s()]+)/y;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(expression))) {
    tokens.push(m[1]!);
    end = re.lastIndex;
  }
  if (expression.slice(end).trim()) throw new TagExpressionError(expression, 'unreadable text');
  return tokens;
}

function parse(expression: string): Node {
  const tokens = tokenize(expression);
  if (!tokens.length) return () => true; // an empty expression selects everything, as in cucumber
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const or = (): Node => {
    let left = and();
    while (peek() === 'or') {
      pos++;
      const l = left, r = and();
      left = (t) => l(t) || r(t);
    }
    return left;
  };
  const and = (): Node => {
    let left = unary();
    while (peek() === 'and') {
      pos++;
      const l = left, r = unary();
      left = (t) => l(t) && r(t);
    }
    return left;
  };
  const unary = (): Node => {
    const tok = tokens[pos++];
    if (tok === undefined) throw new TagExpressionError(expression, 'ends where a tag was expected');
    if (tok === 'not') {
      const inner = unary();
      return (t) => !inner(t);
    }
    if (tok === '(') {
      const inner = or();
      if (tokens[pos++] !== ')') throw new TagExpressionError(expression, 'a "(" is not closed');
      return inner;
    }
    if (!tok.startsWith('@')) throw new TagExpressionError(expression, `"${tok}" is not a tag (tags start with @)`);
    if (!tok.includes('*')) return (t) => t.has(tok);
    const re = new RegExp(`^${tok.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return (t) => [...t].some((x) => re.test(x));
  };
  const node = or();
  if (pos !== tokens.length) throw new TagExpressionError(expression, `unexpected "${tokens[pos]}"`);
  return node;
}
