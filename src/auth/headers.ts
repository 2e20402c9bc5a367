// Which NHSD-* role headers a caller sends (catalogue 4, 5, 10.1): none for an application; business
// function and ODS for a user; the on-behalf-of user only for SERVICE_PROVIDER_CLINICIAN_ADMIN.
import type { AccessMode } from '../config/settings.ts';

export interface RoleCaller {
  mode: AccessMode;
  ods?: string;
  businessFunction?: string;
  onBehalfOf?: string;
}

export interface RoleHeaders {
  businessFunction?: string;
  odsCode?: string;
  onBehalfOf?: string;
}

export const SPCA = 'SERVICE_PROVIDER_CLINICIAN_ADMIN';

export function roleHeadersFor(caller: RoleCaller): RoleHeaders {
  // Application-restricted: the app's ODS, user and business function are Apigee app attributes, never headers.
  if (caller.mode === 'application-restricted') return {};
  return {
    businessFunction: caller.businessFunction,
    odsCode: caller.ods,
    onBehalfOf: caller.businessFunction === SPCA ? caller.onBehalfOf : undefined,
  };
}
