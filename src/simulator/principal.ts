// Identity carried by a simulator-issued bearer token.
import type { AccessMode } from '../ers/operations.ts';

export interface Principal {
  mode: AccessMode;
  userId: string;
  /** application-restricted only: the app's ODS code, business function and ASID (Apigee app attributes) */
  ods?: string;
  businessFunction?: string;
  asid?: string;
  /** application-restricted only: false when the app is not subscribed to the e-RS product */
  productMatch?: boolean;
  /** user-restricted only: CIS2 identity assurance level (default 3) and authentication assurance level (default AAL3) */
  ial?: number;
  aal?: 'AAL1' | 'AAL2' | 'AAL3';
}
