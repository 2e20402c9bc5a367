// Contract between the shared pipeline and one operation's business logic.
import type { OperationDef } from '../../ers/operations.ts';
import type { Caller, SimRequest, SimResponse } from '../http-types.ts';
import type { Store } from '../store.ts';

export interface HandlerContext {
  op: OperationDef;
  params: Record<string, string>;
  query: URLSearchParams;
  caller: Caller;
  /** parsed FHIR body (already checked for resourceType) or undefined when the operation takes none */
  body: unknown;
  store: Store;
  /** {origin}/referrals/FHIR of this simulator, used for code system URLs */
  baseUrl: string;
  now: Date;
  req: SimRequest;
}

export interface OperationImpl {
  /** operation ids this implementation serves (e.g. A005 and A005-versioned) */
  ids: string[];
  /** resourceType the request body must have (checked by the pipeline, 422 otherwise) */
  requestResourceType?: string;
  handle(ctx: HandlerContext): SimResponse | Promise<SimResponse>;
}
