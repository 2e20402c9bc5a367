// Matching a request URL to an OpenAPI path template such as /STU3/ReferralRequest/{ubrn}.

export interface PathTemplate {
  template: string;
  segments: string[];
  /** number of literal (non-{param}) segments: the more, the more specific */
  literals: number;
}

export function parseTemplate(template: string): PathTemplate {
  const segments = template.split('/').filter((s) => s.length > 0);
  return { template, segments, literals: segments.filter((s) => !isParam(s)).length };
}

function isParam(segment: string): boolean {
  return segment.startsWith('{') && segment.endsWith('}');
}

/** Path segments of an absolute URL or a path (query and fragment dropped, percent-decoding applied). */
export function urlSegments(url: string): string[] {
  let pathname: string;
  try {
    pathname = new URL(url, 'http://relative.invalid').pathname;
  } catch {
    pathname = url.split(/[?#]/)[0] ?? '';
  }
  return pathname
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

/** Path parameter values if `segments` match the template exactly, else undefined. */
export function matchTemplate(t: PathTemplate, segments: readonly string[]): Record<string, string> | undefined {
  if (t.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const want = t.segments[i] as string;
    const got = segments[i] as string;
    if (isParam(want)) params[want.slice(1, -1)] = got;
    else if (want !== got) return undefined;
  }
  return params;
}

/**
 * Offsets at which to try matching: first after each server base path found at the start of the URL
 * (e.g. /referrals/FHIR), then from the root, then every later segment (a facade may mount the API
 * under any prefix).
 */
export function candidateOffsets(segments: readonly string[], basePaths: readonly string[][]): number[] {
  const offsets: number[] = [];
  for (const base of basePaths) {
    if (base.length <= segments.length && base.every((b, i) => b === segments[i])) offsets.push(base.length);
  }
  for (let i = 0; i < segments.length; i++) if (!offsets.includes(i)) offsets.push(i);
  return offsets;
}
