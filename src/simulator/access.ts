// Authentication and authorisation stages (catalogue 4, 5, 10.3): token, assurance levels, access mode, NHSD-* headers.
import { APP_ONLY_BUSINESS_FUNCTIONS, BUSINESS_FUNCTIONS, type OperationDef } from '../ers/operations.ts';
import { ErsError, R4_BASE_OO_PAGE } from './errors.ts';
import { header, type Caller, type SimRequest } from './http-types.ts';
import type { Principal } from './principal.ts';
import type { Store } from './store.ts';
import type { TokenStore } from './tokens.ts';

const H_ODS = 'nhsd-end-user-organisation-ods';
const H_BF = 'nhsd-ers-business-function';
const H_OBO = 'nhsd-ers-on-behalf-of-user-id';
const INTERNAL_HEADERS = ['x-ers-ods-code', 'x-ers-business-function', 'x-ers-user-id', 'x-ers-obo-user-id'];

const BF_TEXT = 'User does not have the required Business Function at the specified Organisation.';
const ODS_TEXT = 'Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header';

/** Missing/unknown/expired token, AAL1 and IAL<3 -> 401 in the shape the proxy uses for the path's FHIR version. */
export function authenticate(req: SimRequest, tokens: TokenStore): Principal {
  const principal = tokens.resolve(header(req, 'authorization'));
  if (!principal) {
    throw new ErsError(401, 'login', 'NO_ACCESS', 'Invalid access token', {
      headers: { 'WWW-Authenticate': 'Bearer realm="e-RS simulator", error="invalid_token"' },
      stu3Body: 'empty',
      r4Profile: R4_BASE_OO_PAGE,
    });
  }
  if (principal.productMatch === false) {
    throw new ErsError(401, 'login', 'NO_ACCESS', 'Invalid API call as no apiproduct match found', {
      headers: { 'WWW-Authenticate': 'Bearer realm="e-RS simulator", error="invalid_token", error_description="Invalid API call as no apiproduct match found"' },
      stu3Body: 'empty',
      r4Profile: R4_BASE_OO_PAGE,
    });
  }
  if (principal.mode === 'user-restricted') {
    if ((principal.aal ?? 'AAL3') === 'AAL1') {
      throw new ErsError(401, 'login', 'NO_ACCESS', 'The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help.');
    }
    if ((principal.ial ?? 3) < 3) {
      throw new ErsError(401, 'forbidden', 'NO_ACCESS', "We couldn't verify your identity. Contact your local Registration Authority or IT department for help.");
    }
  }
  return principal;
}

/** Applies the access-mode and user-restricted header rules and returns who is calling. */
export function authorise(req: SimRequest, op: OperationDef, principal: Principal, store: Store): Caller {
  return principal.mode === 'application-restricted' ? authoriseApplication(req, op, principal) : authoriseUser(req, op, principal, store);
}

function authoriseApplication(req: SimRequest, op: OperationDef, p: Principal): Caller {
  // The proxy raises a bare 403 when an app-restricted call carries user-context headers.
  if ([H_ODS, H_BF, H_OBO, ...INTERNAL_HEADERS].some((h) => req.headers[h] !== undefined)) {
    throw new ErsError(403, 'forbidden', 'FORBIDDEN', 'User-context headers are not allowed on application-restricted calls', { stu3Body: 'empty', r4Body: 'empty' });
  }
  if (p.asid === '') throw new ErsError(403, 'forbidden', 'NO_ACCESS', 'ASID is not configured in the application');
  if (!op.accessModes.includes('application-restricted')) {
    throw new ErsError(403, 'forbidden', 'FORBIDDEN', `${op.id} ${op.name} is not available to application-restricted callers`);
  }
  const context = p.businessFunction === 'PROVIDER_AUTHORISED_APPLICATION' ? 'provider' : p.businessFunction === 'REFERRER_AUTHORISED_APPLICATION' ? 'referrer' : undefined;
  if (!context || !op.appRestrictedContext.includes(context)) {
    throw new ErsError(403, 'forbidden', 'FORBIDDEN', `${op.id} ${op.name} is not available to an application with business function ${p.businessFunction}; allowed: ${op.appRestrictedContext.map((c) => (c === 'provider' ? 'PROVIDER_AUTHORISED_APPLICATION' : 'REFERRER_AUTHORISED_APPLICATION')).join(', ')}`);
  }
  return { mode: 'application-restricted', userId: p.userId, ods: p.ods ?? '', businessFunction: p.businessFunction ?? '', effectiveUserId: p.userId };
}

function authoriseUser(req: SimRequest, op: OperationDef, p: Principal, store: Store): Caller {
  const ods = header(req, H_ODS)?.trim() ?? '';
  const bf = header(req, H_BF)?.trim() ?? '';
  const obo = header(req, H_OBO)?.trim() || undefined;
  if (op.businessFunctions.length === 0) {
    // A030: any authenticated user, no organisation allowlist or business function header; the proxy still
    // refuses an application-only business function on every user-restricted call (10.2)
    if ((APP_ONLY_BUSINESS_FUNCTIONS as readonly string[]).includes(bf)) throw new ErsError(403, 'forbidden', 'NO_ACCESS', BF_TEXT);
    return { mode: 'user-restricted', userId: p.userId, ods, businessFunction: bf, effectiveUserId: p.userId };
  }
  if (!ods) throw new ErsError(400, 'required', 'MISSING_HEADER', 'Missing or Empty NHSD-End-User-Organisation-ODS header.');
  if (!bf) throw new ErsError(400, 'required', 'MISSING_HEADER', 'Missing or Empty NHSD-eRS-Business-Function header.');
  if ((APP_ONLY_BUSINESS_FUNCTIONS as readonly string[]).includes(bf) || !(BUSINESS_FUNCTIONS as readonly string[]).includes(bf)) {
    throw new ErsError(403, 'forbidden', 'NO_ACCESS', BF_TEXT);
  }
  if (!store.organisations.has(ods)) throw new ErsError(403, 'forbidden', 'NO_ACCESS', ODS_TEXT);
  const user = store.users.get(p.userId);
  const role = user?.roles.find((r) => r.ods === ods && r.businessFunction === bf);
  if (!role) throw new ErsError(403, 'forbidden', 'NO_ACCESS', BF_TEXT);
  if (!op.businessFunctions.includes(bf)) {
    throw new ErsError(403, 'forbidden', 'FORBIDDEN', `${op.id} ${op.name} cannot be used with business function ${bf}. Allowed business functions: ${op.businessFunctions.join(', ')}`);
  }
  const isSpca = bf === 'SERVICE_PROVIDER_CLINICIAN_ADMIN';
  // A040 is how an SPCA learns whom it may act for, so it is the one SPCA call without the on-behalf-of header.
  if (isSpca && !obo && op.activity === 'A040') return { mode: 'user-restricted', userId: p.userId, ods, businessFunction: bf, effectiveUserId: p.userId };
  if (isSpca && !obo) throw new ErsError(403, 'forbidden', 'FORBIDDEN', 'SERVICE_PROVIDER_CLINICIAN_ADMIN must name the clinician acted for in NHSD-eRS-On-Behalf-Of-User-ID');
  if (!isSpca && obo) throw new ErsError(403, 'forbidden', 'FORBIDDEN', 'NHSD-eRS-On-Behalf-Of-User-ID is only allowed with business function SERVICE_PROVIDER_CLINICIAN_ADMIN');
  if (isSpca && obo) {
    const spc = store.users.get(obo);
    const isSpcHere = spc?.roles.some((r) => r.ods === ods && r.businessFunction === 'SERVICE_PROVIDER_CLINICIAN');
    if (!isSpcHere || !(role.actsFor ?? []).includes(obo)) {
      throw new ErsError(403, 'forbidden', 'FORBIDDEN', `NHSD-eRS-On-Behalf-Of-User-ID ${obo} is not a SERVICE_PROVIDER_CLINICIAN at ${ods} that this user may act on behalf of`);
    }
    return { mode: 'user-restricted', userId: p.userId, ods, businessFunction: bf, onBehalfOf: obo, effectiveUserId: obo };
  }
  return { mode: 'user-restricted', userId: p.userId, ods, businessFunction: bf, effectiveUserId: p.userId };
}
