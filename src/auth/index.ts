// Access tokens for e-RS calls, by access mode (catalogue 10): application-restricted tokens from a
// signed client assertion, user-restricted tokens from a CIS2 id_token exchange or given ready-made.
// Tokens are cached until shortly before they expire and fetched again transparently.
import type { AccessMode } from '../config/settings.ts';
import type { Exchange } from '../http/exchange.ts';
import { buildClientAssertion, type ClientSigner } from './assertion.ts';
import { clientCredentialsForm, issuedToken, tokenExchangeForm, type IssuedToken, type TokenPoster } from './token-endpoint.ts';

export { buildAssertion, buildBrokenAssertion, buildClientAssertion, ASSERTION_DEFECTS, isAssertionDefect, type AssertionDefect, type ClientSigner } from './assertion.ts';
export {
  createTokenPoster,
  clientCredentialsForm,
  tokenExchangeForm,
  issuedToken,
  isTokenFormDefect,
  TOKEN_FORM_DEFECTS,
  TokenRequestError,
  type TokenAnswer,
  type TokenFormDefect,
  type TokenPoster,
} from './token-endpoint.ts';
export { explainAuthRejection } from './rejections.ts';
export { roleHeadersFor } from './headers.ts';

/** Which access modes a run authenticates: ERS_AUTH. */
export type AuthMode = 'none' | 'app' | 'user' | 'both';

/** Raised when the run is not configured for an access mode; the target turns it into a skip with this reason. */
export class AuthNotConfiguredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthNotConfiguredError';
  }
}

export interface TokenSubject {
  mode: AccessMode;
  userId: string;
  /** application-restricted: the app's API key when it is not the signer's (several apps, one key pair) */
  apiKey?: string;
  /** user-restricted: the assurance of the CIS2 login, when a scenario needs a particular one */
  login?: Cis2Assurance;
}

export interface Cis2Assurance {
  ial?: number;
  aal?: 'AAL1' | 'AAL2' | 'AAL3';
}

export interface AuthOptions {
  mode: AuthMode;
  tokenUrl?: string;
  /** signing material for client assertions (both grants need one) */
  signer?: ClientSigner;
  /** ready-made tokens (ERS_APP_ACCESS_TOKEN / ERS_ACCESS_TOKEN): used as given, never refreshed */
  appAccessToken?: string;
  userAccessToken?: string;
  /** the CIS2 id_token to exchange for a user, or undefined when there is none */
  idTokenFor?: (userId: string, login: Cis2Assurance | undefined) => Promise<string | undefined>;
  post: TokenPoster;
  now?: () => number;
  /** refetch this long before expiry (default 60 s; at most half the token's lifetime) */
  refreshMarginSeconds?: number;
  /** every secret learnt on the way: access tokens, assertions, id tokens (for the redactor) */
  onSecret?: (secret: string) => void;
  /** every token-endpoint exchange, for evidence */
  onExchange?: (exchange: Exchange) => void;
}

export interface AuthSession {
  readonly mode: AuthMode;
  /** the bearer token for a caller; undefined when the run authenticates nothing (ERS_AUTH=none) */
  tokenFor(subject: TokenSubject): Promise<string | undefined>;
  /** forget cached tokens (e.g. after the target rejected one) */
  clear(): void;
}

export const DEFAULT_REFRESH_MARGIN_SECONDS = 60;

export function createAuthSession(options: AuthOptions): AuthSession {
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginSeconds ?? DEFAULT_REFRESH_MARGIN_SECONDS;
  const secret = (s: string): void => options.onSecret?.(s);
  const cache = new Map<string, { token: string; refreshAt: number }>();
  const inFlight = new Map<string, Promise<string>>();

  const cached = async (key: string, fetch: () => Promise<IssuedToken>): Promise<string> => {
    const hit = cache.get(key);
    if (hit && now() < hit.refreshAt) return hit.token;
    const pending = inFlight.get(key);
    if (pending) return pending;
    const p = (async () => {
      const obtainedAt = now();
      const issued = await fetch();
      secret(issued.accessToken);
      const lead = Math.min(margin, issued.expiresInSeconds / 2);
      cache.set(key, { token: issued.accessToken, refreshAt: obtainedAt + (issued.expiresInSeconds - lead) * 1000 });
      return issued.accessToken;
    })();
    inFlight.set(key, p);
    try {
      return await p;
    } finally {
      inFlight.delete(key);
    }
  };

  const post = async (form: Record<string, string>, context: string): Promise<IssuedToken> => {
    const tokenUrl = options.tokenUrl;
    if (!tokenUrl) throw new AuthNotConfiguredError(`${context}: no token URL is configured (set ERS_TOKEN_URL)`);
    const answer = await options.post(tokenUrl, form);
    options.onExchange?.(answer.exchange);
    return issuedToken(answer, context);
  };

  const assertionFor = async (apiKey: string | undefined, setting: string): Promise<string> => {
    const signer = options.signer;
    if (!signer) throw new AuthNotConfiguredError(`${setting} needs a signing key: set ERS_PRIVATE_KEY_PATH (or ERS_PRIVATE_KEY), ERS_KID and ERS_API_KEY`);
    const assertion = await buildClientAssertion(apiKey ? { ...signer, apiKey } : signer, now);
    secret(assertion);
    return assertion;
  };

  const allows = (m: AccessMode): boolean =>
    options.mode === 'both' || (m === 'application-restricted' ? options.mode === 'app' : options.mode === 'user');

  return {
    mode: options.mode,
    clear: () => cache.clear(),
    async tokenFor(subject) {
      if (options.mode === 'none') return undefined;
      if (!allows(subject.mode)) {
        throw new AuthNotConfiguredError(`this run is configured for ERS_AUTH=${options.mode}, so ${subject.mode} scenarios cannot run (set ERS_AUTH=both and the credentials for ${subject.mode} access)`);
      }
      if (subject.mode === 'application-restricted') {
        if (options.appAccessToken) return options.appAccessToken;
        const apiKey = subject.apiKey ?? options.signer?.apiKey;
        return cached(`app|${apiKey ?? ''}`, async () =>
          post(clientCredentialsForm(await assertionFor(subject.apiKey, 'application-restricted access')), 'application-restricted token request'),
        );
      }
      if (options.userAccessToken) return options.userAccessToken;
      const idTokenFor = options.idTokenFor;
      if (!idTokenFor) throw new AuthNotConfiguredError('user-restricted access needs ERS_ACCESS_TOKEN (a CIS2-derived access token) or ERS_ID_TOKEN (a CIS2 id_token to exchange)');
      const loginKey = subject.login ? `|ial${subject.login.ial ?? ''}|${subject.login.aal ?? ''}` : '';
      return cached(`user|${subject.userId}${loginKey}`, async () => {
        const idToken = await idTokenFor(subject.userId, subject.login);
        if (!idToken) throw new AuthNotConfiguredError(`no CIS2 id_token for user ${subject.userId}`);
        secret(idToken);
        return post(tokenExchangeForm(await assertionFor(undefined, 'the CIS2 token exchange'), idToken), `CIS2 token exchange for user ${subject.userId}`);
      });
    },
  };
}
