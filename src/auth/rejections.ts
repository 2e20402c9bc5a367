// Plain-language reasons for e-RS authentication refusals (catalogue 10.3), so a supplier reading a
// failed scenario sees "your CIS2 login was AAL1" rather than a bare 401.

export interface RejectedResponse {
  status: number;
  headers: Record<string, string>;
  diagnostics?: string;
}

/** An explanation for a 401/403 caused by how the token was obtained, or undefined for other answers. */
export function explainAuthRejection(r: RejectedResponse): string | undefined {
  const d = r.diagnostics ?? '';
  const challenge = Object.entries(r.headers).find(([k]) => k.toLowerCase() === 'www-authenticate')?.[1] ?? '';
  if (r.status === 401 && /authentication method utilised is not currently supported/i.test(d)) {
    return 'the CIS2 login behind the token is AAL1 (e.g. password only); e-RS accepts AAL2 or AAL3 logins: sign in with a smartcard or an authenticator app and obtain a new id_token';
  }
  if (r.status === 401 && /couldn't verify your identity/i.test(d)) {
    return 'the CIS2 user behind the token has identity assurance below IAL3; e-RS needs an IAL3 user (ask the Registration Authority, or use another INT test user)';
  }
  if (r.status === 401 && /no apiproduct match/i.test(challenge + d)) {
    return 'the app behind the token is not subscribed to the e-RS API product: add the product to the app on the developer portal';
  }
  if (r.status === 401) return 'the access token was missing, unknown or expired (tokens last about ten minutes; the harness refreshes them before expiry)';
  if (r.status === 403 && /ASID is not configured/i.test(d)) return 'the app has no ASID attribute: ask the e-RS onboarding team to set it';
  return undefined;
}
