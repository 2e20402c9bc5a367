// ERS_SUT / --sut: which of the three driver forms drives the system under test (kept apart from the
// drivers so configuration loading stays light).

export type SutSpec = { kind: 'http'; url: string } | { kind: 'command'; template: string } | { kind: 'manual' };

export class SutSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SutSpecError';
  }
}

/** Parses ERS_SUT / --sut: http:URL, command:TEMPLATE or manual. */
export function parseSutSpec(spec: string): SutSpec {
  const s = spec.trim();
  if (s === 'manual') return { kind: 'manual' };
  if (s.startsWith('http:') && /^http:https?:\/\//.test(s)) {
    const url = s.slice('http:'.length);
    try {
      new URL(url);
    } catch {
      throw new SutSpecError(`--sut ${spec}: "${url}" is not a URL; give the supplier's test hook, e.g. http:http://127.0.0.1:7070/ers-conformance`);
    }
    return { kind: 'http', url };
  }
  if (s.startsWith('command:') && s.length > 'command:'.length) return { kind: 'command', template: s.slice('command:'.length).trim() };
  throw new SutSpecError(`--sut "${spec}" is not a driver; use http:URL (e.g. http:http://127.0.0.1:7070/ers-conformance), command:TEMPLATE (e.g. "command:node examples/reference-supplier/driver.js") or manual`);
}
