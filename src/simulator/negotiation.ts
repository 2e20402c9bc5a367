// Content negotiation stages: Accept (406), Content-Type (415), body size (413) and JSON parsing (400/422).
import type { OperationDef } from '../ers/operations.ts';
import { ErsError } from './errors.ts';
import { header, type SimRequest } from './http-types.ts';
import { DEFAULT_LIMITS, JsonLimitError, parseBoundedJson, type SimulatorLimits } from './limits.ts';

const ACCEPTABLE = new Set(['application/fhir+json', 'application/json', 'application/*', '*/*']);

function mediaTypes(value: string): { type: string; q: number }[] {
  return value.split(',').map((part) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return { type, q: q ? Number(q.slice(2)) : 1 };
  });
}

export function checkAccept(req: SimRequest): void {
  const accept = header(req, 'accept');
  if (accept === undefined || accept.trim() === '') return;
  if (mediaTypes(accept).some((m) => ACCEPTABLE.has(m.type) && m.q > 0)) return;
  throw new ErsError(406, 'not-supported', 'INVALID_VALUE', `Not Acceptable: this operation returns application/fhir+json, the Accept header asked for '${accept}'`, { stu3Body: 'text' });
}

export function checkContentType(req: SimRequest, op: OperationDef): void {
  if (op.requestBody !== 'fhir') return;
  const ct = header(req, 'content-type') ?? '';
  const type = (ct.split(';')[0] ?? '').trim().toLowerCase();
  if (type === 'application/fhir+json') return;
  throw new ErsError(415, 'not-supported', 'INVALID_VALUE', `Unsupported Media Type: ${op.id} needs Content-Type application/fhir+json, got '${ct || '(none)'}'`, { stu3Body: 'text' });
}

export function checkBodySize(req: SimRequest, maxBodyBytes: number): void {
  if (!req.bodyTooLarge) return;
  // No documented body for 413: answer with an OperationOutcome like every other undocumented error.
  throw new ErsError(413, 'too-long', 'INVALID_VALUE', `Payload Too Large: request bodies are limited to ${maxBodyBytes} bytes`);
}

/** Parses a FHIR JSON body and checks its resourceType; 400 when not JSON, 422 when the wrong resource. */
export function parseFhirBody(
  req: SimRequest,
  op: OperationDef,
  expectedResourceType: string | undefined,
  limits: Pick<SimulatorLimits, 'maxJsonDepth' | 'maxJsonNodes'> = DEFAULT_LIMITS,
): unknown {
  if (op.requestBody !== 'fhir') return undefined;
  let body: unknown;
  try {
    body = parseBoundedJson(req.body.toString('utf8'), limits);
  } catch (err) {
    if (err instanceof JsonLimitError) {
      throw new ErsError(400, 'structure', 'INVALID_FHIR_STRUCTURE', `Request body refused: ${err.message}, more than any e-RS resource needs (simulator limits maxJsonDepth ${limits.maxJsonDepth}, maxJsonNodes ${limits.maxJsonNodes})`);
    }
    throw new ErsError(400, 'structure', 'INVALID_FHIR_STRUCTURE', `Request body is not valid JSON: ${(err as Error).message}`);
  }
  if (expectedResourceType === undefined) return body;
  const actual = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as { resourceType?: unknown }).resourceType : undefined;
  if (actual !== expectedResourceType) {
    throw new ErsError(422, 'structure', 'INVALID_FHIR_STRUCTURE', `resourceType: expected '${expectedResourceType}', got ${actual === undefined ? 'no resourceType' : `'${String(actual)}'`}`);
  }
  return body;
}
