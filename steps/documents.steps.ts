import assert from 'node:assert/strict';
import { header } from '../src/http/exchange.ts';
import { versionId } from '../src/ers/read.ts';
import { buildReferralLetters, pdfProblems, referralLetters, type LetterFile } from '../src/ers/referrer.ts';
import { Given, Then, When } from '../support/steps-api.ts';
import { resolveValue, type ErsWorld } from '../support/world.ts';
import { ifMatchFor, readReferral, subject } from '../support/referral-under-test.ts';

// A020 upload to the document store, A012 referral letters, A019 patient letter PDF.

const LETTER_TEXT = 'Dear colleague, please see this patient. (conformance suite referral letter)';

async function upload(world: ErsWorld, fileName: string | undefined, contentType: string | null, bytes: Buffer, referralId: string | undefined): Promise<void> {
  const headers: Record<string, string | null> = { 'NHSD-eRS-File-Name': fileName ?? null, 'NHSD-eRS-Referral-ID': referralId ?? null };
  const saved = { ...world.headerOverrides };
  Object.assign(world.headerOverrides, headers);
  try {
    const ex = await world.call('A020', { body: bytes, contentType });
    const location = ex.response ? header(ex.response.headers, 'Location') : undefined;
    if (ex.response?.status === 201 && location) {
      const files = (world.named.get('uploaded') as LetterFile[] | undefined) ?? [];
      files.push({ binaryId: location.replace(/^Binary\//, '') });
      world.named.set('uploaded', files);
    }
  } finally {
    for (const k of Object.keys(headers)) delete world.headerOverrides[k];
    Object.assign(world.headerOverrides, saved);
  }
}

// --- A020 -------------------------------------------------------------------------------------------

When('the caller uploads {string} as {string} for the referral', async function (this: ErsWorld, fileName: string, contentType: string) {
  await upload(this, resolveValue(this, fileName), contentType, Buffer.from(LETTER_TEXT), subject(this));
});

Given('the caller has uploaded {string} as {string} for the referral', async function (this: ErsWorld, fileName: string, contentType: string) {
  await upload(this, fileName, contentType, Buffer.from(LETTER_TEXT), subject(this));
  assert.equal(this.response.status, 201, `the upload this scenario needs failed: ${this.response.status} ${this.response.body.text.slice(0, 200)}`);
});

When('the caller uploads a file without a file name as {string} for the referral', async function (this: ErsWorld, contentType: string) {
  await upload(this, undefined, contentType, Buffer.from(LETTER_TEXT), subject(this));
});

When('the caller uploads {string} without a Content-Type for the referral', async function (this: ErsWorld, fileName: string) {
  await upload(this, fileName, null, Buffer.from(LETTER_TEXT), subject(this));
});

When('the caller uploads {string} of {int} bytes as {string} for the referral', async function (this: ErsWorld, fileName: string, size: number, contentType: string) {
  await upload(this, fileName, contentType, Buffer.alloc(size, 0x25), subject(this));
});

When('the caller uploads a file named with {int} characters as {string}', async function (this: ErsWorld, length: number, contentType: string) {
  await upload(this, `${'a'.repeat(length - 4)}.txt`, contentType, Buffer.from(LETTER_TEXT), undefined);
});

Then('the file is stored at the Binary location the response names', function (this: ErsWorld) {
  const r = this.response;
  assert.equal(r.status, 201, `expected 201 Created, got ${r.status}: ${r.body.text.slice(0, 300)}`);
  assert.match(header(r.headers, 'Location') ?? '', /^Binary\/[0-9a-fA-F-]{36}$/, 'Location: Binary/{uuid}');
  assert.equal(r.body.bytes, 0, 'the 201 has an empty body');
});

// --- A012 -------------------------------------------------------------------------------------------

Given('the referral letter {word} is {string}', function (this: ErsWorld, field: string, value: string) {
  this.named.set('letterTweaks', { ...((this.named.get('letterTweaks') as object | undefined) ?? {}), [field]: resolveValue(this, value) });
});

/** Prepares the A012 body (the "referral letter request" draft); the scenario's letter tweaks apply to the last file. */
function prepareLetters(world: ErsWorld, files: LetterFile[]): void {
  const tweaks = (world.named.get('letterTweaks') as Partial<LetterFile> | undefined) ?? {};
  const tweaked = files.map((f, i) => (i === files.length - 1 ? { ...f, ...tweaks } : f));
  world.drafts.set('referral letter request', { body: buildReferralLetters(tweaked, new Date().toISOString()), kind: 'maintainReferralLetter' });
}

async function sendLetterRequest(world: ErsWorld): Promise<void> {
  const ubrn = subject(world);
  const current = versionId(await readReferral(world, ubrn));
  await world.call('A012', { params: { ubrn }, body: world.draft('referral letter request').body, ifMatch: await ifMatchFor(world, current) });
}

export async function sendLetters(world: ErsWorld, files: LetterFile[]): Promise<void> {
  prepareLetters(world, files);
  await sendLetterRequest(world);
}

function uploadedFiles(world: ErsWorld): LetterFile[] {
  const files = (world.named.get('uploaded') as LetterFile[] | undefined) ?? [];
  assert.ok(files.length > 0, 'internal: nothing was uploaded earlier in this scenario');
  return files;
}

Given('a referral letter request linking the uploaded file(s)', function (this: ErsWorld) {
  prepareLetters(this, uploadedFiles(this));
});

When('the caller sends the referral letter request', async function (this: ErsWorld) {
  await sendLetterRequest(this);
});

When('the caller links the uploaded file(s) as the referral letter(s)', async function (this: ErsWorld) {
  await sendLetters(this, uploadedFiles(this));
});

When('the caller links the {string} document as the referral letter', async function (this: ErsWorld, which: string) {
  await sendLetters(this, [{ binaryId: this.fixture<string>(`documents.${which}`) }]);
});

When('the caller links no referral letters', async function (this: ErsWorld) {
  await sendLetters(this, []);
});

Then('the referral holds {int} referral letter(s)', function (this: ErsWorld, n: number) {
  const r = this.response;
  assert.equal(r.status, 200, `expected 200, got ${r.status}: ${r.body.text.slice(0, 300)}`);
  const letters = referralLetters(r.body.json);
  assert.equal(letters.length, n, 'DocumentReferences in the referral');
  const uploaded = ((this.named.get('uploaded') as LetterFile[] | undefined) ?? []).map((f) => `Binary/${f.binaryId}`);
  for (const l of letters) {
    const url = ((l.content as { attachment?: { url?: string } }[] | undefined)?.[0]?.attachment?.url) ?? '';
    assert.ok(uploaded.includes(url), `letter ${url} is not one of the files uploaded in this scenario`);
  }
});

// --- A019 -------------------------------------------------------------------------------------------

When('the caller asks for the patient letter', async function (this: ErsWorld) {
  // the letter is a PDF and errors are FHIR JSON: accept both, unless the scenario chose its own Accept
  const own = Object.keys(this.headerOverrides).some((h) => h.toLowerCase() === 'accept');
  if (!own) this.headerOverrides.Accept = 'application/pdf, application/fhir+json';
  try {
    await this.call('A019', { params: { ubrn: subject(this) } });
  } finally {
    if (!own) delete this.headerOverrides.Accept;
  }
});

Then('the response is a PDF a reader can open, named for the referral', function (this: ErsWorld) {
  const r = this.response;
  assert.equal(r.status, 200, `expected 200, got ${r.status}: ${r.body.text.slice(0, 300)}`);
  assert.match(header(r.headers, 'Content-Type') ?? '', /^application\/pdf/);
  const disposition = header(r.headers, 'Content-Disposition') ?? '';
  assert.match(disposition, new RegExp(`^attachment; filename="?${subject(this)}_Appointment_Confirmation_Summary_\\d{14}\\.pdf"?$`), 'Content-Disposition');
  const raw = r.body.raw;
  assert.ok(raw, 'no PDF bytes were recorded');
  assert.deepEqual(pdfProblems(raw), [], 'the PDF structure');
  assert.ok(raw.toString('latin1').includes(subject(this)), 'the letter names the referral\'s UBRN');
});
