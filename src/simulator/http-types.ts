// Request/response records passed through the pipeline; no node:http types leak past server.ts.
import type { IncomingHttpHeaders } from 'node:http';
import type { AccessMode, OperationDef } from '../ers/operations.ts';

export interface SimRequest {
  method: string;
  /** pathname as received, e.g. /referrals/FHIR/STU3/ReferralRequest/300000100001 */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** true when the body exceeded maxBodyBytes (the excess was discarded) */
  bodyTooLarge: boolean;
  /** why the request target cannot be served (answered 400 before any route sees it) */
  badTarget?: string;
  /** the body was not kept: too many bytes of bodies were already held (answered 503 with Retry-After) */
  busy?: boolean;
}

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** destroy the socket instead of answering (fault injection) */
  destroySocket?: boolean;
}

/** Who is calling, after authentication and the header rules. */
export interface Caller {
  mode: AccessMode;
  userId: string;
  ods: string;
  businessFunction: string;
  /** SPC acted for by an SPCA (NHSD-eRS-On-Behalf-Of-User-ID) */
  onBehalfOf?: string;
  /** whose workgroup memberships count: the OBO SPC for an SPCA, else the caller */
  effectiveUserId: string;
}

export interface RoutedRequest {
  op: OperationDef;
  params: Record<string, string>;
}

export function header(req: SimRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

export function fhirJson(status: number, resource: unknown, extra: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'Content-Type': 'application/fhir+json', ...extra }, body: JSON.stringify(resource) };
}
