// Regular expressions that no input can make slow. Core primitive patterns run on V8 after the two that backtrack
// catastrophically are replaced by equivalent linear forms; every pattern that comes from a package or a FHIRPath
// `matches()` runs on re2js (a port of RE2: time linear in the input, no backtracking).
import { RE2JS } from 're2js';

export type Tester = (s: string) => boolean;

/**
 * base64Binary, checked by a loop: `(\s*([0-9a-zA-Z\+/=]){4}\s*)+` (R4) means groups of four alphabet characters,
 * whitespace only between groups, at least one group. V8 needs a backtrack entry per group and overflows on ~1.5 MB.
 */
export function isBase64Binary(s: string): boolean {
  let inGroup = 0;
  let groups = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const alpha = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 61;
    if (alpha) {
      inGroup++;
      if (inGroup === 4) {
        inGroup = 0;
        groups++;
      }
    } else if (WS.has(c)) {
      if (inGroup !== 0) return false;
    } else return false;
  }
  return inGroup === 0 && groups > 0;
}

// The characters JavaScript's \s matches (what the published patterns mean by \s).
const WS = new Set([9, 10, 11, 12, 13, 32, 160, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
  ...Array.from({ length: 11 }, (_, i) => 0x2000 + i)]);

/** Core primitive patterns that backtrack catastrophically, with an equivalent linear form or check. */
const CORE_REWRITES: Record<string, string | Tester> = {
  // STU3 code: `[\s]?` between two `[^\s]+` lets a run of n non-spaces split 2^n ways (54 s on 31 bytes).
  '[^\\s]+([\\s]?[^\\s]+)*': '\\S+(?:\\s\\S+)*',
  '(\\s*([0-9a-zA-Z\\+/=]){4}\\s*)+': isBase64Binary,
  '(\\s*([0-9a-zA-Z\\+\\=]){4}\\s*)+': isBase64Binary,
};

const coreCache = new Map<string, Tester>();

/** A whole-string tester for a core primitive type's published regex. */
export function corePrimitiveTester(pattern: string): Tester {
  let t = coreCache.get(pattern);
  if (!t) {
    const rewrite = CORE_REWRITES[pattern];
    if (typeof rewrite === 'function') t = rewrite;
    else {
      const re = new RegExp(`^(?:${rewrite ?? pattern})$`);
      t = (s) => re.test(s);
    }
    coreCache.set(pattern, t);
  }
  return t;
}

const re2Cache = new Map<string, RE2JS | Error>();

/**
 * Compiles a pattern from untrusted definitions (packages, FHIRPath expressions) with re2js; throws a clear Error
 * when the pattern uses a feature RE2 does not have (backreferences, lookaround), which callers report.
 */
export function linearRegex(pattern: string, flags: { i?: boolean; m?: boolean; s?: boolean } = {}): RE2JS {
  const key = `${flags.i ? 'i' : ''}${flags.m ? 'm' : ''}${flags.s ? 's' : ''}/${pattern}`;
  let r = re2Cache.get(key);
  if (!r) {
    try {
      let f = 0;
      if (flags.i) f |= RE2JS.CASE_INSENSITIVE;
      if (flags.m) f |= RE2JS.MULTILINE;
      if (flags.s) f |= RE2JS.DOTALL;
      r = RE2JS.compile(pattern, f);
    } catch (e) {
      r = new Error(`regular expression ${JSON.stringify(pattern)} cannot run in linear time (${(e as Error).message})`);
    }
    if (re2Cache.size > 5000) re2Cache.clear();
    re2Cache.set(key, r);
  }
  if (r instanceof Error) throw r;
  return r;
}

/** FHIRPath `matches()` (a match anywhere in the string) and `matchesFull()` on re2js. */
export function fhirpathMatches(s: string, pattern: string, flags: string | undefined, full: boolean): boolean {
  const f = { i: flags?.includes('i'), m: flags?.includes('m'), s: true };
  const re = linearRegex(pattern, f);
  return full ? re.matches(s) : re.test(s);
}
