#!/usr/bin/env node
// The reference supplier's driver for ers-conformance-driver/1 — the GP system (referrer actions) and the PAS
// (provider actions) — in both forms:
//   node examples/reference-supplier/driver.js                 one request on stdin, one answer on stdout (command form)
//   node examples/reference-supplier/driver.js --serve [PORT]  a test hook answering POSTs (http form)
//   node examples/reference-supplier/driver.js --list-defects  the flaws ERS_REFERENCE_DEFECT can switch on, one a line
// ERS_SUT_SECRET, when set, is the shared secret the http form checks the harness's signature with.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { answerProblems, PROTOCOL, requestProblems } from './contract.js';
import { DEFECTS, setupFromEnvironment } from './defects.js';
import { createGpSystem } from './gp-system.js';
import { createPasSystem } from './pas-system.js';
import { scenarioRecords, signingKey, stateDir } from './store.js';

/** The API key the practice's system was given when it registered with the NHS API platform. */
const API_KEY = process.env.ERS_REFERENCE_API_KEY || 'sim-referrer-app';
/** The API key the hospital's PAS was given (its application calls act for the trust). */
const PAS_API_KEY = process.env.ERS_REFERENCE_PAS_API_KEY || 'sim-provider-app';

const REFERRER_ACTIONS = {
  'referrer.searchServices': 'searchServices',
  'referrer.createReferral': 'createReferral',
  'referrer.uploadLetter': 'uploadLetter',
  'referrer.bookAppointment': 'bookAppointment',
  'referrer.deferToProvider': 'deferToProvider',
  'referrer.cancelReferral': 'cancelReferral',
};
const PROVIDER_ACTIONS = {
  'provider.importWorklist': 'importWorklist',
  'provider.openReferral': 'openReferral',
  'provider.downloadAttachments': 'downloadAttachments',
  'provider.acceptReferral': 'acceptReferral',
  'provider.rejectReferral': 'rejectReferral',
  'provider.recordTriageOutcome': 'recordTriageOutcome',
};
const SUPPORTED = ['system.describe', ...Object.keys(REFERRER_ACTIONS), ...Object.keys(PROVIDER_ACTIONS), 'observe.userMessage', 'observe.auditLog'];

/** Carries out one driver request; never throws (a problem is a "failed" answer with the reason). */
export async function handle(request) {
  const problems = requestProblems(request);
  if (problems.length) return { protocol: PROTOCOL, status: 'failed', reason: `the request is not ${PROTOCOL}: ${problems.join('; ')}` };
  const log = [];
  try {
    const setup = setupFromEnvironment();
    const dir = stateDir();
    const key = signingKey(dir);
    const { action, inputs, ers, scenario } = request;
    if (action === 'system.describe') {
      return { protocol: PROTOCOL, status: 'done', observations: { system: 'reference GP system and PAS', apiKey: API_KEY, pasApiKey: PAS_API_KEY, jwks: { keys: [key.publicJwk] }, actions: SUPPORTED } };
    }
    const { records, save } = scenarioRecords(dir, scenario.id);
    try {
      if (action === 'observe.userMessage') return done({ userMessage: records.lastMessage ?? null }, log);
      if (action === 'observe.auditLog') return done({ auditRecords: records.audit }, log);
      const provider = action in PROVIDER_ACTIONS;
      const signing = { kid: key.kid, privatePem: key.privatePem };
      const system = provider
        ? createPasSystem({ ers, login: inputs.login, key: signing, apiKey: PAS_API_KEY, setup, records })
        : createGpSystem({ ers, login: inputs.login, key: signing, apiKey: API_KEY, setup, records });
      const method = provider ? PROVIDER_ACTIONS[action] : REFERRER_ACTIONS[action];
      try {
        const observations = await system[method](inputs);
        return done({ outcome: 'completed', ...observations }, log);
      } catch (err) {
        return done({ outcome: 'refused', ...system.explain(err) }, log);
      }
    } finally {
      save();
    }
  } catch (err) {
    return { protocol: PROTOCOL, status: 'failed', reason: err.message, log };
  }
}

function done(observations, log) {
  return { protocol: PROTOCOL, status: 'done', observations, log };
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function respond(answer) {
  const problems = answerProblems(answer);
  return problems.length ? { protocol: PROTOCOL, status: 'failed', reason: `internal: this driver built an answer outside ${PROTOCOL}: ${problems.join('; ')}` } : answer;
}

function signatureValid(secret, req, body) {
  const timestamp = req.headers['x-ers-conformance-timestamp'] ?? '';
  const given = Buffer.from(String(req.headers['x-ers-conformance-signature'] ?? ''));
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
  return fresh && given.length === expected.length && timingSafeEqual(given, expected);
}

function serve(port) {
  const secret = process.env.ERS_SUT_SECRET;
  const server = createServer(async (req, res) => {
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > 1024 * 1024) return void res.writeHead(413).end();
      chunks.push(chunk);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
    if (secret && !signatureValid(secret, req, body)) return void res.writeHead(401, { 'content-type': 'text/plain' }).end('signature missing or wrong');
    let request;
    try {
      request = JSON.parse(body);
    } catch {
      return void res.writeHead(400, { 'content-type': 'text/plain' }).end('body is not JSON');
    }
    const answer = respond(await handle(request));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
  server.listen(port, '127.0.0.1', () => process.stdout.write(`reference supplier test hook on http://127.0.0.1:${server.address().port}/ers-conformance\n`));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
}

const args = process.argv.slice(2);
if (args[0] === '--list-defects') {
  process.stdout.write(Object.keys(DEFECTS).join('\n') + '\n');
} else if (args[0] === '--serve') {
  serve(Number(args[1] ?? 0));
} else if (args.length === 0) {
  const text = await readStdin();
  let request;
  try {
    request = JSON.parse(text);
  } catch {
    request = undefined;
  }
  const answer = request === undefined ? { protocol: PROTOCOL, status: 'failed', reason: 'stdin is not JSON' } : await handle(request);
  process.stdout.write(JSON.stringify(respond(answer)) + '\n');
} else {
  process.stderr.write('usage: driver.js [--serve [PORT] | --list-defects]  (without options: one request on stdin)\n');
  process.exitCode = 2;
}
