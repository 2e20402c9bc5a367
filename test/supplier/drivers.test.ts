import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { contractProblems, parseDriverAnswer, PROTOCOL, DriverContractError, type DriverRequest } from '../../src/supplier/contract.ts';
import { createDriver, parseSutSpec, signatureFor, SIGNATURE_HEADER, TIMESTAMP_HEADER, SutSpecError } from '../../src/supplier/drivers.ts';

const request = (over: Partial<DriverRequest> = {}): DriverRequest => ({
  protocol: PROTOCOL,
  action: 'referrer.createReferral',
  scenario: { id: 'SUP-REQ-01#1', name: 'creates a referral', tags: ['@supplier'] },
  inputs: { patient: '9991010017' },
  ers: { fhirBaseUrl: 'http://127.0.0.1:8710/referrals/FHIR', tokenUrl: 'http://127.0.0.1:8710/oauth2/token' },
  deadlineMs: 5000,
  ...over,
});
const noWait = { waitForOperations: async () => false };

test('the contract accepts a well-formed request and answer', () => {
  assert.deepEqual(contractProblems('request', request()), []);
  assert.deepEqual(contractProblems('answer', { status: 'done', observations: { ubrn: '1' }, log: [] }), []);
});

test('the contract names what is wrong with a bad message', () => {
  const cases: [unknown, RegExp][] = [
    [{ ...request(), protocol: 'ers-conformance-driver/2' }, /\/protocol must be equal to constant/],
    [{ ...request(), action: 'referrer.doSomething' }, /\/action must be equal to one of the allowed values/],
    [{ ...request(), deadlineMs: 0 }, /\/deadlineMs must be >= 1/],
    [{ ...request(), ers: { fhirBaseUrl: 'not a url', tokenUrl: 'http://x/oauth2/token' } }, /\/ers\/fhirBaseUrl must match format "uri"/],
    [{ ...request(), extra: 1 }, /must NOT have additional properties/],
  ];
  for (const [message, expected] of cases) assert.match(contractProblems('request', message).join('; '), expected);
  assert.match(contractProblems('answer', { status: 'maybe' }).join(), /status must be equal to one of the allowed values \(done, failed, unsupported\)/);
  assert.match(contractProblems('answer', { status: 'done', artefacts: [{ name: 'x' }] }).join(), /must have required property 'contentType'/);
});

test('an answer that is not JSON or not the contract is the driver\'s error, named', () => {
  assert.throws(() => parseDriverAnswer('ok', 'the command'), (e: Error) => e instanceof DriverContractError && /did not answer JSON/.test(e.message));
  assert.throws(() => parseDriverAnswer('{"status":"yes"}', 'the command'), /answered outside ers-conformance-driver\/1: \/status/);
});

test('--sut parses the three forms and explains a bad one', () => {
  assert.deepEqual(parseSutSpec('manual'), { kind: 'manual' });
  assert.deepEqual(parseSutSpec('http:http://127.0.0.1:7070/hook'), { kind: 'http', url: 'http://127.0.0.1:7070/hook' });
  assert.deepEqual(parseSutSpec('command:node driver.js'), { kind: 'command', template: 'node driver.js' });
  for (const bad of ['', 'ftp://x', 'command:', 'http:nope']) assert.throws(() => parseSutSpec(bad), SutSpecError);
});

test('command driver: JSON on stdin, the answer on stdout, {action} filled in', async () => {
  const driver = createDriver(parseSutSpec(`command:${process.execPath} -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const r=JSON.parse(s);console.log(JSON.stringify({status:'done',observations:{action:r.action,arg:process.argv[1]}}))})" {action}`));
  const answer = await driver.perform(request(), noWait);
  assert.equal(answer.status, 'done');
  assert.deepEqual(answer.observations, { action: 'referrer.createReferral', arg: 'referrer.createReferral' });
});

test('command driver: a command past its deadline is stopped and reported as failed', async () => {
  const driver = createDriver(parseSutSpec(`command:${process.execPath} -e "setTimeout(()=>{},60000)"`));
  const started = Date.now();
  const answer = await driver.perform(request({ deadlineMs: 300 }), noWait);
  assert.equal(answer.status, 'failed');
  assert.match(answer.reason ?? '', /did not answer referrer.createReferral within 300 ms/);
  assert.ok(Date.now() - started < 5000);
});

test('command driver: garbage, silence and a non-zero exit are failures with the reason', async () => {
  const garbage = await createDriver(parseSutSpec(`command:echo hello`)).perform(request(), noWait);
  assert.equal(garbage.status, 'failed');
  assert.match(garbage.reason ?? '', /did not answer JSON/);
  const silent = await createDriver(parseSutSpec(`command:echo oops >&2; exit 3`)).perform(request(), noWait);
  assert.equal(silent.status, 'failed');
  assert.match(silent.reason ?? '', /exited 3 without an answer.*stderr: oops/);
  const huge = await createDriver(parseSutSpec(`command:yes`), { maxAnswerBytes: 10_000 }).perform(request(), noWait);
  assert.equal(huge.status, 'failed');
  assert.match(huge.reason ?? '', /printed more than 10000 bytes/);
});

test('http driver: POSTs the request, signs it with the shared secret, reads the answer', async () => {
  let seen: { body: string; signature?: string; timestamp?: string } | undefined;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d)).on('end', () => {
      seen = { body, signature: req.headers[SIGNATURE_HEADER.toLowerCase()] as string, timestamp: req.headers[TIMESTAMP_HEADER.toLowerCase()] as string };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'unsupported', reason: 'no PAS here' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const answer = await createDriver(parseSutSpec(`http:${url}`), { secret: 's3cret-value' }).perform(request(), noWait);
    assert.equal(answer.status, 'unsupported');
    assert.equal(JSON.parse(seen!.body).action, 'referrer.createReferral');
    assert.equal(seen!.signature, signatureFor('s3cret-value', seen!.timestamp!, seen!.body));
  } finally {
    server.close();
  }
});

test('http driver: an unreachable hook or an error status is a failed answer', async () => {
  const down = await createDriver(parseSutSpec('http:http://127.0.0.1:9/hook')).perform(request({ deadlineMs: 2000 }), noWait);
  assert.equal(down.status, 'failed');
  assert.match(down.reason ?? '', /could not be reached/);
  const server = createServer((_req, res) => res.writeHead(500).end('boom'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const answer = await createDriver(parseSutSpec(`http:http://127.0.0.1:${(server.address() as AddressInfo).port}/`)).perform(request(), noWait);
    assert.equal(answer.status, 'failed');
    assert.match(answer.reason ?? '', /answered HTTP 500/);
  } finally {
    server.close();
  }
});

function witnessConsole(lines: string[]): { input: PassThrough; output: PassThrough; said: () => string } {
  const input = new PassThrough();
  const output = new PassThrough();
  let said = '';
  output.on('data', (d) => {
    said += d.toString();
    // answer each question as it is asked
    if (/(Result \(pass\|fail\|skip\|stop\): |What did the system show\? |Note: |Tester name: )$/.test(said) && lines.length) {
      const line = lines.shift();
      setImmediate(() => input.write(`${line}\n`)); // after readline has started waiting for the answer
    }
  });
  return { input, output, said: () => said };
}

test('manual driver: advances by itself when the expected requests arrive', async () => {
  const io = witnessConsole([]);
  const driver = createDriver({ kind: 'manual' }, { console: io });
  const answer = await driver.perform(request(), { waitForOperations: async (ops) => ops.includes('A011') });
  assert.equal(answer.status, 'done');
  assert.match(io.said(), /Create a referral for the patient/);
  assert.match(io.said(), /e-RS FHIR base: http:\/\/127.0.0.1:8710\/referrals\/FHIR/);
});

test('manual driver: an observation is attested with the result, a note and the tester\'s name', async () => {
  const io = witnessConsole(['pass', 'Referral 300000000001 created', 'looked fine', 'A. Witness']);
  const answer = await createDriver({ kind: 'manual' }, { console: io }).perform(request({ action: 'observe.userMessage' }), noWait);
  assert.equal(answer.status, 'done');
  assert.equal(answer.observations?.attested, true);
  assert.equal(answer.observations?.result, 'pass');
  assert.equal(answer.observations?.tester, 'A. Witness');
  assert.equal(answer.observations?.message, 'Referral 300000000001 created');
});

test('manual driver: skip is not verified, stop ends every later action, a nameless attestation fails', async () => {
  const skip = await createDriver({ kind: 'manual' }, { console: witnessConsole(['skip', '', 'no such screen', 'A. Witness']) }).perform(request({ action: 'observe.auditLog' }), noWait);
  assert.equal(skip.status, 'unsupported');
  assert.match(skip.reason ?? '', /skipped by the witness A. Witness/);
  const stopping = createDriver({ kind: 'manual' }, { console: witnessConsole(['stop', '', 'system down', 'A. Witness']) });
  assert.equal((await stopping.perform(request({ action: 'observe.auditLog' }), noWait)).status, 'unsupported');
  const later = await stopping.perform(request({ action: 'observe.userMessage' }), noWait);
  assert.match(later.reason ?? '', /stopped the run earlier/);
  const nameless = await createDriver({ kind: 'manual' }, { console: witnessConsole(['pass', 'ok', '', '']) }).perform(request({ action: 'observe.userMessage' }), noWait);
  assert.equal(nameless.status, 'failed');
  assert.match(nameless.reason ?? '', /needs the tester's name/);
});
