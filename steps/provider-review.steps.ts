import assert from 'node:assert/strict';
import { attachment } from 'allure-js-commons';
import { header } from '../src/http/exchange.ts';
import { listItemReferences, outcomeIssues, referralState, versionId } from '../src/ers/read.ts';
import { fhirBaseOf } from '../src/ers/requests.ts';
import {
  buildCancelAppointmentActionLater, buildRejectReferral, buildReviewOutcome, dispositionFileName, referralAttachments, referralStateReason,
  type ProviderFile,
} from '../src/ers/provider.ts';
import { preparedRequest } from '../src/targets/prepared.ts';
import { Given, Then, When } from '../support/steps-api.ts';
import { resolveValue, type ErsWorld } from '../support/world.ts';
import { ifMatchFor, readReferral, subject } from '../support/scenario-state.ts';

// The provider's review (catalogue 8.1): A013 accept, A014 reject, A022 cancel appointment action later, A028 triage
// outcome, with their PROVIDER attachments; A006/A042 attachment downloads; A007 clinical information.

type Table = { hashes(): Record<string, string>[]; rowsHash(): Record<string, string> };

// --- the PROVIDER attachments a review write links -----------------------------------------------------

/** Files the review write attaches: those uploaded in this scenario, with the scenario's tweaks on the last one. */
function attachedFiles(world: ErsWorld): ProviderFile[] {
  const uploaded = (world.named.get('uploaded') as ProviderFile[] | undefined) ?? [];
  const chosen = (world.named.get('attachFiles') as ProviderFile[] | undefined) ?? [];
  const files = [...chosen, ...(world.named.get('attachUploaded') ? uploaded : [])];
  const tweaks = (world.named.get('attachmentTweaks') as Partial<ProviderFile> | undefined) ?? {};
  return files.map((f, i) => (i === files.length - 1 ? { ...f, ...tweaks } : f));
}

Given('the review attaches the file(s) uploaded in this scenario', function (this: ErsWorld) {
  this.named.set('attachUploaded', true);
});

Given('the review attaches the {string} document', function (this: ErsWorld, which: string) {
  const files = (this.named.get('attachFiles') as ProviderFile[] | undefined) ?? [];
  this.named.set('attachFiles', [...files, { binaryId: this.fixture<string>(`documents.${which}`) }]);
});

Given('the review attachment\'s {word} is {string}', function (this: ErsWorld, field: string, value: string) {
  const v = value === '(201 characters)' ? 'd'.repeat(201) : resolveValue(this, value);
  this.named.set('attachmentTweaks', { ...((this.named.get('attachmentTweaks') as object | undefined) ?? {}), [field]: v });
});

// --- A013 ------------------------------------------------------------------------------------------------

async function write(world: ErsWorld, operation: 'A013' | 'A014' | 'A022' | 'A028', body?: unknown): Promise<void> {
  const ubrn = subject(world);
  const current = versionId(await readReferral(world, ubrn));
  await world.call(operation, { params: { ubrn }, ...(body !== undefined ? { body } : {}), ifMatch: await ifMatchFor(world, current) });
}

When('the caller accepts the referral', async function (this: ErsWorld) {
  await write(this, 'A013');
});

When('the caller accepts the referral twice at once from the same version', async function (this: ErsWorld) {
  const ubrn = subject(this);
  const current = versionId(await readReferral(this, ubrn));
  const both = await Promise.all([0, 1].map(() => this.call('A013', { params: { ubrn }, ifMatch: `W/"${current}"` })));
  this.named.set('raced', both.map((ex) => ex.response?.status));
  this.named.set('racedExchanges', both);
});

// --- A014 ------------------------------------------------------------------------------------------------

/** The A014 body; a comment "(absent)" sends none, "(2001 characters)" one that long. */
function rejection(world: ErsWorld, reason: string, comments?: string, inPas?: string) {
  const text = comments === '(2001 characters)' ? 'c'.repeat(2001) : comments === undefined ? undefined : resolveValue(world, comments);
  return buildRejectReferral(fhirBaseOf(world.run.target.baseUrl), {
    reason: resolveValue(world, reason) ?? '',
    ...(text !== undefined ? { comments: text } : {}),
    ...(inPas !== undefined ? { appointmentCancelledInPas: inPas === 'true' } : {}),
  });
}

type RejectionChange = 'it has no rejectionReason' | 'it carries an undefined parameter';

When('the caller sends a rejection request changed so that {}', async function (this: ErsWorld, change: RejectionChange) {
  const body = rejection(this, '<rejectionReasons.commentMandatory>', 'see notes');
  if (change === 'it has no rejectionReason') body.parameter = body.parameter.filter((p) => p.name !== 'rejectionReason');
  else if (change === 'it carries an undefined parameter') body.parameter.push({ name: 'rejectionUrgency', valueString: 'high' });
  else throw new Error(`internal: no rejection request change "${String(change)}"`);
  await write(this, 'A014', body);
});

When('the caller rejects the referral with reason {string}', async function (this: ErsWorld, reason: string) {
  await write(this, 'A014', rejection(this, reason));
});

When('the caller rejects the referral with reason {string} and comment {string}', async function (this: ErsWorld, reason: string, comments: string) {
  await write(this, 'A014', rejection(this, reason, comments));
});

When('the caller rejects the referral with reason {string}, comment {string} and appointmentCancelledInPAS {word}', async function (this: ErsWorld, reason: string, comments: string, inPas: string) {
  await write(this, 'A014', rejection(this, reason, comments, inPas));
});

// --- A022 ------------------------------------------------------------------------------------------------

/** The A022 request from a table of fields: comments, priority, appointmentCancelledInPAS ("(absent)" leaves one out). */
function actionLater(world: ErsWorld, fields: Record<string, string>) {
  const get = (k: string) => (fields[k] === undefined ? undefined : resolveValue(world, fields[k]!));
  const inPas = get('appointmentCancelledInPAS');
  return buildCancelAppointmentActionLater(
    { comments: get('comments'), priority: get('priority'), ...(inPas !== undefined ? { appointmentCancelledInPas: inPas === 'true' } : {}), files: attachedFiles(world) },
    new Date().toISOString(),
  );
}

When('the caller cancels the appointment to action later with comment {string}', async function (this: ErsWorld, comments: string) {
  await write(this, 'A022', actionLater(this, { comments }));
});

When('the caller cancels the appointment to action later with:', async function (this: ErsWorld, table: Table) {
  await write(this, 'A022', actionLater(this, table.rowsHash()));
});

// --- A028 ------------------------------------------------------------------------------------------------

function reviewOutcome(world: ErsWorld, outcome: string, comments: string | undefined, priority?: string) {
  return buildReviewOutcome({ outcome, comments: comments === undefined ? undefined : resolveValue(world, comments) ?? '', ...(priority ? { priority } : {}), files: attachedFiles(world) }, new Date().toISOString());
}

When('the caller records the triage outcome {word} with comment {string}', async function (this: ErsWorld, outcome: string, comments: string) {
  await write(this, 'A028', reviewOutcome(this, outcome, comments));
});

When('the caller records the triage outcome {word} with comment {string} and priority {word}', async function (this: ErsWorld, outcome: string, comments: string, priority: string) {
  await write(this, 'A028', reviewOutcome(this, outcome, comments, priority));
});

When('the caller records the triage outcome {word} without a comment', async function (this: ErsWorld, outcome: string) {
  await write(this, 'A028', reviewOutcome(this, outcome, undefined));
});

// --- a write while a rejection holds the referral at the PAS (423) ------------------------------------

type ReviewWrite = 'accepts the referral' | 'rejects the referral too' | 'cancels the appointment to action later' | 'records a triage outcome';

When('the referral\'s rejection is still with the PAS as the caller {}', async function (this: ErsWorld, what: ReviewWrite) {
  const ubrn = subject(this);
  const current = versionId(await readReferral(this, ubrn));
  const body = rejection(this, '<rejectionReasons.commentMandatory>', 'rejected while another write waits');
  const holder = this.call('A014', { params: { ubrn }, body, ifMatch: `W/"${current}"` });
  // let the rejection take the lock; the slow PAS then holds it (800 ms for services.slowPas)
  await new Promise((r) => setTimeout(r, 50));
  const before = this.exchanges.length;
  const ifMatch = `W/"${current}"`;
  switch (what) {
    case 'accepts the referral':
      await this.call('A013', { params: { ubrn }, ifMatch });
      break;
    case 'rejects the referral too':
      await this.call('A014', { params: { ubrn }, body, ifMatch });
      break;
    case 'cancels the appointment to action later':
      await this.call('A022', { params: { ubrn }, body: actionLater(this, { comments: 'please rebook' }), ifMatch });
      break;
    case 'records a triage outcome':
      await this.call('A028', { params: { ubrn }, body: reviewOutcome(this, 'ACCEPT_REFER_BOOK_LATER', 'book later'), ifMatch });
      break;
    default:
      throw new Error(`internal: no review write "${String(what)}"`);
  }
  this.named.set('lockedWrite', this.exchanges.length === before ? undefined : this.exchanges.at(-1));
  this.named.set('heldBy', { what: 'rejection', exchange: await holder });
});

// --- what the review changed -------------------------------------------------------------------------

Then('the referral under test is now in state {word} with reason {word}', async function (this: ErsWorld, state: string, reason: string) {
  const r = await readReferral(this, subject(this));
  assert.ok(r, 'the referral under test could not be read back');
  assert.equal(referralState(r), state, 'Extension-eRS-ReferralState-1 state');
  assert.equal(referralStateReason(r), resolveValue(this, reason), 'Extension-eRS-ReferralState-1 reason');
});

Then('the referral\'s current appointment is {word} with reason {word}', async function (this: ErsWorld, status: string, reason: string) {
  const r = await readReferral(this, subject(this));
  const appt = ((r?.contained as Record<string, unknown>[] | undefined) ?? []).find((c) => c.resourceType === 'Appointment') as { status?: string; reason?: { coding?: { code?: string }[] }[] } | undefined;
  assert.ok(appt, 'the referral holds no current appointment');
  assert.equal(appt.status, status, 'Appointment.status');
  assert.equal(appt.reason?.[0]?.coding?.[0]?.code, resolveValue(this, reason), 'Appointment.reason');
});

Then('the referral has {int} PROVIDER attachment(s)', async function (this: ErsWorld, n: number) {
  const r = await readReferral(this, subject(this));
  assert.equal(referralAttachments(r).filter((a) => a.type === 'PROVIDER').length, n, 'PROVIDER DocumentReferences');
});

Then('the worklist includes the referral under test', function (this: ErsWorld) {
  const ubrn = subject(this);
  const refs = listItemReferences(this.response.body.json);
  assert.ok(refs.some((r) => r.split('/').includes(ubrn)), `referral ${ubrn} is not on the worklist: [${refs.join(', ')}]`);
});

Then('the worklist does not include the referral under test', function (this: ErsWorld) {
  const ubrn = subject(this);
  const refs = listItemReferences(this.response.body.json);
  assert.ok(!refs.some((r) => r.split('/').includes(ubrn)), `referral ${ubrn} should have left the worklist: [${refs.join(', ')}]`);
});

When('the caller picks the referral under test from the worklist', function (this: ErsWorld) {
  // the worklist names the referral; the scenario goes on with it (and checks it is there)
  const refs = listItemReferences(this.response.body.json);
  const ubrn = subject(this);
  assert.ok(refs.some((r) => r.split('/').includes(ubrn)), `referral ${ubrn} is not on the worklist to pick: [${refs.join(', ')}]`);
});

// --- prepared (documented example) review requests ------------------------------------------------------

When('the caller sends the prepared {string} {word} request for the referral under test', async function (this: ErsWorld, name: string, operation: string) {
  const prepared = preparedRequest(this.run.target.fixtures, `requests.${operation}.${name}`);
  await attachment('Prepared request body from', prepared.source, 'text/plain');
  await write(this, operation as 'A014', prepared.body);
});

// --- attachments: A006, A042 and the object store ------------------------------------------------------

function attachmentId(world: ErsWorld, which: string): string {
  if (which === 'first uploaded') {
    const files = (world.named.get('uploaded') as ProviderFile[] | undefined) ?? [];
    assert.ok(files[0], 'internal: nothing was uploaded earlier in this scenario');
    return files[0].binaryId;
  }
  return world.fixture<string>(`attachments.${which}`);
}

/** A006 with the scenario's Accept: none by default (the file's MIME type is not known before it arrives). */
async function retrieveStu3(world: ErsWorld, which: string, accept: string | null): Promise<void> {
  const own = world.headerOverrides.Accept;
  world.headerOverrides.Accept = accept;
  try {
    await world.call('A006', { params: { attachmentLogicalID: attachmentId(world, which) } });
  } finally {
    if (own === undefined) delete world.headerOverrides.Accept;
    else world.headerOverrides.Accept = own;
  }
}

When('the caller retrieves the {string} attachment with A006', async function (this: ErsWorld, which: string) {
  await retrieveStu3(this, which, this.headerOverrides.Accept ?? null);
});

When('the caller retrieves the {string} attachment with A006 accepting {string}', async function (this: ErsWorld, which: string, accept: string) {
  await retrieveStu3(this, which, resolveValue(this, accept) ?? null);
});

When('the caller asks A042 for the {string} attachment', async function (this: ErsWorld, which: string) {
  await this.call('A042', { params: { id: attachmentId(this, which) } });
});

When('the caller downloads every attachment of the referral under test', async function (this: ErsWorld) {
  const r = await readReferral(this, subject(this));
  const files = referralAttachments(r);
  assert.ok(files.length > 0, 'the referral lists no attachments to download');
  const downloaded: { id: string; status?: number; bytes: number }[] = [];
  for (const f of files) {
    const redirect = await this.call('A042', { params: { id: f.id } });
    assert.equal(redirect.response?.status, 307, `A042 for Binary/${f.id} answered ${redirect.response?.status}: ${redirect.response?.body.text.slice(0, 200)}`);
    const ex = await this.download(header(redirect.response!.headers, 'Location') ?? '');
    downloaded.push({ id: f.id, status: ex.response?.status, bytes: ex.response?.body.bytes ?? 0 });
  }
  this.named.set('downloaded', downloaded);
});

Then('every attachment downloaded with its bytes', function (this: ErsWorld) {
  const downloaded = this.named.get('downloaded') as { id: string; status?: number; bytes: number }[];
  for (const d of downloaded) {
    assert.equal(d.status, 200, `the object store answered ${d.status} for Binary/${d.id}`);
    assert.ok(d.bytes > 0, `Binary/${d.id} downloaded empty`);
  }
});

Then('the response redirects to a short-lived download of the attachment', async function (this: ErsWorld) {
  const r = this.response;
  assert.equal(r.status, 307, `expected 307 Temporary Redirect, got ${r.status}: ${r.body.text.slice(0, 300)}`);
  const location = header(r.headers, 'Location');
  assert.ok(location && /^https?:\/\//.test(location), `Location must be an absolute URL, got ${location ?? 'none'}`);
  assert.equal(r.body.bytes, 0, 'the 307 has no body');
  const ex = await this.download(location);
  assert.equal(ex.response?.status, 200, `following the redirect got ${ex.response?.status ?? ex.error?.kind}`);
  assert.ok((ex.response?.body.bytes ?? 0) > 0, 'the object store answered no bytes');
  assert.ok(header(ex.response!.headers, 'Content-Type'), 'the object store names the Content-Type');
  const name = dispositionFileName(header(ex.response!.headers, 'Content-Disposition'));
  assert.ok(name, `the object store names the file (Content-Disposition: ${header(ex.response!.headers, 'Content-Disposition') ?? 'none'})`);
});

Then('the response is the attachment\'s bytes as {string}', function (this: ErsWorld, contentType: string) {
  const r = this.response;
  assert.equal(r.status, 200, `expected 200, got ${r.status}: ${r.body.text.slice(0, 300)}`);
  assert.equal((header(r.headers, 'Content-Type') ?? '').split(';')[0]?.trim(), resolveValue(this, contentType));
  assert.match(header(r.headers, 'Content-Disposition') ?? '', /^attachment;\s*filename=/, 'Content-Disposition: attachment; filename=...');
  assert.ok(r.body.bytes > 0, 'the file is not empty');
  assert.equal(Number(header(r.headers, 'Content-Length')), r.body.bytes, 'Content-Length is the file size');
});

Given('the document store has had {int} minutes to scan', async function (this: ErsWorld, minutes: number) {
  await this.run.target.advanceClock(minutes * 60);
});

// --- A007 ------------------------------------------------------------------------------------------------

When('the caller asks for the clinical information of the referral under test', async function (this: ErsWorld) {
  await clinicalInformation(this, subject(this));
});

When('the caller asks for the clinical information of the {string} referral', async function (this: ErsWorld, which: string) {
  await clinicalInformation(this, this.fixture<string>(`referrals.${which}`));
});

async function clinicalInformation(world: ErsWorld, ubrn: string): Promise<void> {
  // the summary is a PDF and errors are FHIR JSON: accept both, unless the scenario chose its own Accept
  const own = Object.keys(world.headerOverrides).some((h) => h.toLowerCase() === 'accept');
  if (!own) world.headerOverrides.Accept = 'application/pdf, application/fhir+json';
  try {
    world.named.set('criUbrn', ubrn);
    await world.call('A007', { params: { ubrn } });
  } finally {
    if (!own) delete world.headerOverrides.Accept;
  }
}

Then('the response is a clinical information summary PDF named for the referral', function (this: ErsWorld) {
  const r = this.response;
  assert.equal(r.status, 200, `expected 200, got ${r.status}: ${r.body.text.slice(0, 300)}`);
  assert.match(header(r.headers, 'Content-Type') ?? '', /^application\/pdf/);
  const ubrn = this.named.get('criUbrn') as string;
  const name = dispositionFileName(header(r.headers, 'Content-Disposition'));
  // the sandbox answers one fixed summary for any UBRN (catalogue 11.5): the name then carries its own UBRN
  const ubrnPart = this.run.target.name === 'sandbox' ? '\\d{12}' : ubrn;
  assert.match(name ?? '', new RegExp(`^${ubrnPart}_Clinical_Information_Summary_\\d{14}\\.pdf$`), 'Content-Disposition file name');
  const raw = r.body.raw;
  assert.ok(raw && raw.length > 0, 'no PDF bytes were recorded');
  assert.equal(raw.subarray(0, 5).toString('latin1'), '%PDF-', 'the body starts with a PDF header');
});

Given('the target will answer the next {operation} request with HTTP {int} {errorCode}', async function (this: ErsWorld, operation: string, status: number, code: string) {
  await this.run.target.injectFault({ operation, status, count: 1, code });
});

Then('the R4 error code comes from {string}', function (this: ErsWorld, system: string) {
  const issue = outcomeIssues(this.response.body.json)[0];
  assert.equal(issue?.system, system, `coding system of ${issue?.errorCode ?? 'the issue'}`);
});

Then('the worklist item of the referral under test carries its current version', async function (this: ErsWorld) {
  const ubrn = subject(this);
  const list = this.response.body.json as { entry?: { item?: { reference?: string }; extension?: { extension?: { url?: string; valueInteger?: number }[] }[] }[] };
  const entry = (list.entry ?? []).find((e) => (e.item?.reference ?? '').split('/').includes(ubrn));
  assert.ok(entry, `referral ${ubrn} is not on the worklist`);
  const version = entry.extension?.[0]?.extension?.find((f) => f.url === 'referralRequestVersion')?.valueInteger;
  const current = versionId(await readReferral(this, ubrn));
  assert.equal(String(version), current, 'referralRequestVersion of the worklist item');
});

When('the caller reads the referral under test', async function (this: ErsWorld) {
  await this.call('A005', { params: { ubrn: subject(this) } });
  assert.equal(this.response.status, 200, `reading the referral under test got ${this.response.status}: ${this.response.body.text.slice(0, 300)}`);
});

Then('the referral read lists {int} attachment(s), each AVAILABLE', function (this: ErsWorld, n: number) {
  const files = referralAttachments(this.response.body.json);
  assert.equal(files.length, n, 'DocumentReferences in the referral');
  for (const f of files) assert.equal(f.availability, 'AVAILABLE', `Binary/${f.id} availability`);
});

// The NHS sandbox answers fixed example files; where one breaks base FHIR, the scenario names the rule it breaks so the
// report shows it without failing the sandbox run (the same finding fails the scenario on any other target).
Given('the NHS sandbox\'s example answer is known to break {string}', function (this: ErsWorld, rules: string) {
  this.knownSandboxDefects.push(...rules.split(',').map((r) => r.trim()).filter(Boolean));
});
