// The settings a user can give, as data: one row per key, with its default and what it is for.
// The README's configuration reference and .env.example are checked against this table by a test.

export type TargetName = 'simulator' | 'sandbox' | 'int' | 'url';
export type AccessMode = 'user-restricted' | 'application-restricted';
export type AuthMode = 'none' | 'app' | 'user' | 'both';

export interface SettingDef {
  key: string;
  flag?: string;
  default: string;
  secret?: boolean;
  doc: string;
}

export const SETTINGS: readonly SettingDef[] = [
  { key: 'ERS_TARGET', flag: '--target', default: 'simulator', doc: 'Which e-RS to drive: simulator | sandbox | int | url.' },
  { key: 'ERS_BASE_URL', flag: '--base-url', default: '', doc: 'e-RS FHIR base URL ending in /referrals/FHIR. Defaults per target (sandbox, int); required for url; ignored for simulator.' },
  { key: 'ERS_AUTH', flag: '--auth', default: 'auto', doc: 'Access modes the run authenticates: none | app | user | both | auto (simulator: both; sandbox: none; int/url: every mode whose credentials are set).' },
  { key: 'ERS_TOKEN_URL', default: '', doc: 'OAuth2 token endpoint, also the aud of client assertions. Defaults to https://int.api.service.nhs.uk/oauth2/token for int; required for url when signing; the simulator uses its own.' },
  { key: 'ERS_KID', default: '', doc: 'Key id (kid) of your public key in the JWKS registered for the app (e.g. test-1).' },
  { key: 'ERS_PRIVATE_KEY_PATH', default: '', doc: 'PEM file holding the RSA private key that signs client assertions (RS512). Make one with `ers-conformance keys generate --kid ID`.' },
  { key: 'ERS_PRIVATE_KEY', default: '', secret: true, doc: 'The RSA private key as PEM text, instead of ERS_PRIVATE_KEY_PATH (CI secret stores; \\n sequences allowed). Never printed.' },
  { key: 'ERS_ID_TOKEN', default: '', secret: true, doc: 'A CIS2 id_token to exchange for a user-restricted token (separate auth), signed in with ERS_PRIVATE_KEY*. Never printed.' },
  { key: 'ERS_ACCESS_TOKEN', default: '', secret: true, doc: 'A pre-obtained bearer token for int/url targets (user-restricted). Never printed.' },
  { key: 'ERS_TOKEN_ACTOR', default: 'REFERRING_CLINICIAN', doc: 'The fixture actor whose user ERS_ACCESS_TOKEN belongs to; scenarios for another user or organisation are not verified unless they have their own token.' },
  { key: 'ERS_TOKENS_FILE', default: '', doc: 'YAML/JSON file mapping fixture actors to ready-made tokens (REFERRING_CLINICIAN: <token>); like ERS_ACCESS_TOKEN_<ACTOR> for each. Keep it out of the repository. Never printed.' },
  { key: 'ERS_APP_ACCESS_TOKEN', default: '', secret: true, doc: 'A pre-obtained application-restricted bearer token for int/url targets. Never printed.' },
  { key: 'ERS_API_KEY', default: '', secret: true, doc: 'Your developer-portal API key (client id). Never printed.' },
  { key: 'ERS_FIXTURES', flag: '--fixtures', default: '', doc: 'YAML file mapping data intents to identifiers on your target (required for int and url; built in for simulator and sandbox).' },
  { key: 'ERS_TAGS', flag: '--tags', default: 'not @wip', doc: 'Cucumber tag expression selecting scenarios; target-specific exclusions are added automatically.' },
  { key: 'ERS_PARALLEL', flag: '--parallel', default: '2', doc: 'Worker processes running scenarios at once (1-16).' },
  { key: 'ERS_TIMEOUT_MS', flag: '--timeout', default: '30000', doc: 'Per-request timeout in milliseconds (100-600000).' },
  { key: 'ERS_RETRY_BUDGET_MS', default: '30000', doc: 'Longest total wait when retrying a read after 429/503 with Retry-After (0 disables retries).' },
  { key: 'ERS_MAX_RPS', default: '', doc: "Most requests per second this run sends to the target, all its workers together (each of N workers gets 1/N); empty or 0: no limit. Shards or jobs sharing one developer-portal app share its rate limit: give each the app's limit divided by their number." },
  { key: 'ERS_MAX_BODY_BYTES', default: '10485760', doc: 'Largest response body recorded in full; larger bodies are truncated and reported as such.' },
  { key: 'ERS_REPORTS_DIR', flag: '--reports', default: 'reports', doc: 'Where allure-results, the HTML report, junit.xml and manifest.json are written.' },
  { key: 'ERS_REPORT_HTML', default: 'true', doc: 'Generate the Allure HTML report after the run (true | false).' },
  { key: 'ERS_HISTORY_FILE', default: '', doc: 'JSON-lines file that keeps the report history across runs, for trend charts (empty: <ERS_REPORTS_DIR>/history.jsonl; none: no history). Keep it between nightly runs, e.g. in a CI cache.' },
  { key: 'ERS_HISTORY_LIMIT', default: '20', doc: 'Runs the history keeps (1-1000): older runs are dropped from the history file, so the file and the HTML report stop growing (each run adds roughly a copy of its results).' },
  { key: 'ERS_THRESHOLD_ENVIRONMENT_FAULTS', default: '0', doc: 'Environment faults (429, unrequested 5xx, timeouts, connection errors) a run may have and still pass, e.g. 5 for nightly INT runs. Product defects, profile violations and harness errors always fail the run.' },
  { key: 'ERS_SHARD', flag: '--shard', default: '', doc: 'Run only shard i of n of the scenarios, as i/n (e.g. 2/4), to spread the suite over CI runners; merge the shards with ers-conformance report --from.' },
  { key: 'ERS_REDACT_PATTERNS', default: '', doc: 'Extra regular expressions (comma-separated) whose matches are redacted from every output.' },
  { key: 'ERS_SANDBOX_EXAMPLES', default: '', doc: "Folder holding the NHS sandbox's example requests (sandbox/src/mocks of the e-RS API repository); @sandbox scenarios that send them skip without it." },
  { key: 'ERS_OPENAPI', default: '', doc: 'Path or URL of the NHS e-RS OpenAPI document; when set, every exchange is also checked against it.' },
  { key: 'ERS_SUT', flag: '--sut', default: '', doc: "Supplier mode: the driver of the supplier's system under test, http:URL | command:TEMPLATE | manual (docs/supplier-mode.md). The harness plays e-RS and runs the @supplier scenarios." },
  { key: 'ERS_SUT_SECRET', default: '', secret: true, doc: "Shared secret the harness signs http: driver requests with (HMAC-SHA256, X-Ers-Conformance-Signature). Never printed." },
  { key: 'ERS_SUT_JWKS', default: '', doc: "The supplier system's public keys (JWKS file or http(s) URL) the harness's identity service trusts; empty: asked of the driver (system.describe)." },
  { key: 'ERS_SUT_HOST', default: '127.0.0.1', doc: 'Supplier mode: the host the harness serves e-RS on (configure the system under test once with it).' },
  { key: 'ERS_SUT_PORT', default: '8710', doc: 'Supplier mode: the fixed port the harness serves e-RS on (0: any free port, printed at start).' },
  { key: 'ERS_SUT_DEADLINE_MS', default: '', doc: 'Supplier mode: how long the driver has for one action (deadlineMs); empty: 30000, or 600000 for the manual driver.' },
  { key: 'ERS_SUT_ALLOW', default: '', doc: "Supplier mode: e-RS operations the system may send in the background during any scenario (comma-separated ids, e.g. A008 for a PAS's worklist poll)." },
  { key: 'ERS_SUT_PROXY', flag: '--proxy', default: 'false', doc: "Supplier mode on a real e-RS (INT, the sandbox, a URL): the harness stands in the middle as a recording proxy on ERS_SUT_HOST:ERS_SUT_PORT instead of playing e-RS (docs/witness-run.md)." },
  { key: 'FHIR_PACKAGE_PATH', default: '', doc: 'Colon-separated folders holding NPM-format FHIR packages (in addition to ~/.fhir/packages).' },
];

export const TARGET_BASE_URLS: Record<Exclude<TargetName, 'simulator' | 'url'>, string> = {
  sandbox: 'https://sandbox.api.service.nhs.uk/referrals/FHIR',
  int: 'https://int.api.service.nhs.uk/referrals/FHIR',
};

export const INT_TOKEN_URL = 'https://int.api.service.nhs.uk/oauth2/token';
