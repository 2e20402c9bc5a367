import assert from 'node:assert/strict';
import { header, type Exchange } from '../src/http/exchange.ts';
import { asObject, versionId } from '../src/ers/read.ts';
import { fhirBaseOf } from '../src/ers/requests.ts';
import { buildAppointment, buildAppointmentCancellation, buildCancelReferral, includedSchedules, slotSearchQuery, slotsIn, type FoundSlot } from '../src/ers/referrer.ts';
import { assertAsDocumented } from '../support/documented-errors.ts';
import { Given, Then, When } from '../support/steps-api.ts';
import { resolveValue, type ErsWorld } from '../support/world.ts';
import { ifMatchFor, readReferral, subject, versionToSend } from '../support/scenario-state.ts';

// A015 slots, A016 book/defer/triage, A038 read appointment (+ _history) and A034 cancel appointment.

type Table = { hashes(): { parameter: string; value: string }[] };
const COMM_RULE_ORG = 'NHSD-eRS-Comm-Rule-Org';

async function searchSlots(world: ErsWorld, service: string, overrides: Record<string, string | undefined> = {}) {
  // the referral's commissioning rule organisation, unless the scenario set or removed the header itself
  const headerSet = Object.keys(world.headerOverrides).some((h) => h.toLowerCase() === COMM_RULE_ORG.toLowerCase());
  if (!headerSet) world.headerOverrides[COMM_RULE_ORG] = world.fixture<string>('slots.commRuleOrg');
  try {
    return await world.call('A015', { query: slotSearchQuery(service, overrides) });
  } finally {
    if (!headerSet) delete world.headerOverrides[COMM_RULE_ORG];
  }
}

async function firstFreeSlot(world: ErsWorld, service: string, withClinician = false): Promise<FoundSlot> {
  const ex = await searchSlots(world, service, { _count: '100' });
  assert.equal(ex.response?.status, 200, `the slot search this scenario needs failed: ${ex.response?.status ?? ex.error?.kind}`);
  const slot = slotsIn(ex.response!.body.json).find((s) => Boolean(s.clinician) === withClinician);
  assert.ok(slot, `service ${service} has no free ${withClinician ? 'clinician ' : ''}slot`);
  return slot;
}

// --- A015 -------------------------------------------------------------------------------------------

When('the caller searches for free slots at the {string} service', async function (this: ErsWorld, which: string) {
  await searchSlots(this, this.fixture<string>(`services.${which}`));
});

When('the caller searches for free slots at the {string} service with:', async function (this: ErsWorld, which: string, table: Table) {
  const overrides = Object.fromEntries(table.hashes().map((r) => [r.parameter, resolveValue(this, r.value)]));
  await searchSlots(this, this.fixture<string>(`services.${which}`), overrides);
});

Then('the response is a searchset Bundle of {int} free slot(s)', function (this: ErsWorld, n: number) {
  const r = this.response;
  assert.equal(r.status, 200, `expected 200, got ${r.status}: ${r.body.text.slice(0, 300)}`);
  const body = asObject(r.body.json);
  assert.equal(body?.type, 'searchset');
  assert.equal(slotsIn(body).length, n, 'Slot entries');
});

Then('each slot\'s schedule is included', function (this: ErsWorld) {
  const body = this.response.body.json;
  const schedules = new Set(includedSchedules(body).map((e) => `Schedule/${String(asObject(e.resource)?.id)}`));
  const slots = ((asObject(body)?.entry ?? []) as { resource: { resourceType: string; schedule?: { reference?: string } } }[]).filter((e) => e.resource.resourceType === 'Slot');
  for (const s of slots) assert.ok(schedules.has(String(s.resource.schedule?.reference)), `schedule ${s.resource.schedule?.reference} is not included`);
});

Then('the slots include schedules with and without a named clinician', function (this: ErsWorld) {
  const slots = slotsIn(this.response.body.json);
  assert.ok(slots.some((s) => s.clinician) && slots.some((s) => !s.clinician), 'expected both clinician and non-clinician slots');
});

Then('every slot is with the {string} clinician', function (this: ErsWorld, which: string) {
  const clinician = resolveValue(this, which);
  const slots = slotsIn(this.response.body.json);
  assert.ok(slots.length > 0 && slots.every((s) => s.clinician === clinician), `slots: ${JSON.stringify(slots.slice(0, 3))}`);
});

Then('the bundle links to the {word} page', function (this: ErsWorld, relation: string) {
  const links = (asObject(this.response.body.json)?.link as { relation?: string }[] | undefined) ?? [];
  assert.ok(links.some((l) => l.relation === relation), `no '${relation}' link; links: ${links.map((l) => l.relation).join(', ')}`);
});

// --- A016 -------------------------------------------------------------------------------------------

interface Booking { service: string; slot?: FoundSlot | { id: string }; reason?: string; clinician?: string }

async function sendAppointment(world: ErsWorld, b: Booking): Promise<void> {
  const ubrn = subject(world);
  const referral = await readReferral(world, ubrn);
  const patient = (world.named.get('appointmentPatient') as string | undefined)
    ?? ((asObject(asObject(referral?.subject)?.identifier)?.value as string | undefined) ?? world.fixture<string>('patients.referable'));
  const tweaks = (world.named.get('appointmentTweaks') as Record<string, string> | undefined) ?? {};
  const body = buildAppointment({
    ubrn, version: await versionToSend(world, versionId(referral)), service: b.service, patient,
    ...(b.slot ? { slot: b.slot } : {}), ...(b.reason ? { reason: b.reason, comment: 'deferred by the conformance suite' } : {}), ...(b.clinician ? { clinician: b.clinician } : {}),
    ...(tweaks.status ? { status: tweaks.status } : {}), ...(tweaks.description ? { description: tweaks.description } : {}),
  });
  const ex = await world.call('A016', { body });
  if (ex.response?.status === 201) world.named.set('appointment', ex.response.body.json);
}

Given('the appointment request says its {word} is {string}', function (this: ErsWorld, field: string, value: string) {
  this.named.set('appointmentTweaks', { ...((this.named.get('appointmentTweaks') as object | undefined) ?? {}), [field]: value });
});

Given('the appointment request names the {string} patient', function (this: ErsWorld, which: string) {
  this.named.set('appointmentPatient', this.fixture<string>(`patients.${which}`));
});

Given('the referral under test is booked at the {string} service', async function (this: ErsWorld, which: string) {
  await this.prepare(`booking the referral under test at the ${which} service`, async () => {
    const service = this.fixture<string>(`services.${which}`);
    await sendAppointment(this, { service, slot: await firstFreeSlot(this, service) });
    assert.equal(this.response.status, 201, `booking the referral this scenario needs failed: ${this.response.status} ${this.response.body.text.slice(0, 300)}`);
  });
});

When('the caller books the first free slot at the {string} service', async function (this: ErsWorld, which: string) {
  const service = this.fixture<string>(`services.${which}`);
  await sendAppointment(this, { service, slot: await this.prepare(`finding a free slot at the ${which} service`, () => firstFreeSlot(this, service)) });
});

When('the caller books the first free clinician slot at the {string} service', async function (this: ErsWorld, which: string) {
  const service = this.fixture<string>(`services.${which}`);
  const slot = await this.prepare(`finding a free clinician slot at the ${which} service`, () => firstFreeSlot(this, service, true));
  await sendAppointment(this, { service, slot, clinician: slot.clinician as string });
});

When('the caller books the slot {string} at the {string} service', async function (this: ErsWorld, slot: string, which: string) {
  await sendAppointment(this, { service: this.fixture<string>(`services.${which}`), slot: { id: resolveValue(this, slot) as string } });
});

When('the caller books a free slot of the {string} service at the {string} service', async function (this: ErsWorld, slotService: string, which: string) {
  const slot = await this.prepare(`finding a free slot at the ${slotService} service`, () => firstFreeSlot(this, this.fixture<string>(`services.${slotService}`)));
  await sendAppointment(this, { service: this.fixture<string>(`services.${which}`), slot: { id: slot.id } });
});

When('the caller books the {string} service without a slot', async function (this: ErsWorld, which: string) {
  await sendAppointment(this, { service: this.fixture<string>(`services.${which}`) });
});

When('the caller books a clinician slot at the {string} service without naming the clinician', async function (this: ErsWorld, which: string) {
  const service = this.fixture<string>(`services.${which}`);
  await sendAppointment(this, { service, slot: { id: (await firstFreeSlot(this, service, true)).id } });
});

When('the caller defers the referral to the {string} service with reason {word}', async function (this: ErsWorld, which: string, reason: string) {
  await sendAppointment(this, { service: this.fixture<string>(`services.${which}`), reason });
});

When('the caller defers the referral to the {string} service with reason {word} naming the slot {string}', async function (this: ErsWorld, which: string, reason: string, slot: string) {
  await sendAppointment(this, { service: this.fixture<string>(`services.${which}`), reason, slot: { id: resolveValue(this, slot) as string } });
});

When('the caller defers the referral to the {string} service with reason {word} naming a free slot', async function (this: ErsWorld, which: string, reason: string) {
  const service = this.fixture<string>(`services.${which}`);
  await sendAppointment(this, { service, reason, slot: { id: (await firstFreeSlot(this, service)).id } });
});

When('the caller sends the referral for triage at the {string} service', async function (this: ErsWorld, which: string) {
  await sendAppointment(this, { service: this.fixture<string>(`services.${which}`), reason: 'TRIAGE' });
});

Then('an appointment is created with status {word}', function (this: ErsWorld, status: string) {
  const r = this.response;
  assert.equal(r.status, 201, `expected 201 Created, got ${r.status}: ${r.body.text.slice(0, 300)}`);
  const appt = asObject(r.body.json);
  assert.equal(appt?.resourceType, 'Appointment');
  assert.equal(appt?.status, status);
});

Then('the appointment points at the new version of the referral', async function (this: ErsWorld) {
  const appt = asObject(this.response.body.json);
  const ref = (appt?.incomingReferral as { reference?: string }[] | undefined)?.[0]?.reference;
  const referral = await readReferral(this, subject(this));
  assert.equal(ref, `ReferralRequest/${subject(this)}/_history/${versionId(referral)}`);
});

// --- A038 -------------------------------------------------------------------------------------------

function appointmentId(world: ErsWorld, which: string): string {
  if (which === 'just made') {
    const appt = world.named.get('appointment') as { id?: string } | undefined;
    assert.ok(appt?.id, 'no appointment was made earlier in this scenario');
    return appt.id;
  }
  return world.fixture<string>(`appointments.${which}`);
}

When('the caller retrieves the {string} appointment', async function (this: ErsWorld, which: string) {
  await this.call('A038', { params: { id: appointmentId(this, which) } });
});

When('the caller retrieves the current version of the {string} appointment by its _history URL', async function (this: ErsWorld, which: string) {
  const id = appointmentId(this, which);
  const read = await this.call('A038', { params: { id } });
  await this.call('A038-versioned', { params: { id, version: versionId(read.response?.body.json) ?? '1' } });
});

When('the caller retrieves another version of the {string} appointment by its _history URL', async function (this: ErsWorld, which: string) {
  const id = appointmentId(this, which);
  const read = await this.call('A038', { params: { id } });
  await this.call('A038-versioned', { params: { id, version: String(Number(versionId(read.response?.body.json) ?? '1') + 1) } });
});

Then('the response is an Appointment with status {word}', function (this: ErsWorld, status: string) {
  const appt = asObject(this.response.body.json);
  assert.equal(appt?.resourceType, 'Appointment', `expected an Appointment, got ${this.response.body.text.slice(0, 200)}`);
  assert.equal(appt?.status, status);
});

// --- A034 -------------------------------------------------------------------------------------------

async function cancelAppointment(world: ErsWorld, which: string, reason: string, comment: string | undefined): Promise<void> {
  const id = appointmentId(world, which);
  const read = await world.call('A038', { params: { id } });
  const current = read.response?.status === 200 ? read.response.body.json : { resourceType: 'Appointment', id };
  const body = buildAppointmentCancellation(current, fhirBaseOf(world.run.target.baseUrl), resolveValue(world, reason) ?? '', comment);
  const tweaks = (world.named.get('appointmentTweaks') as Record<string, string> | undefined) ?? {};
  Object.assign(body, tweaks);
  const ex = await world.call('A034', { params: { id }, body, ifMatch: await ifMatchFor(world, versionId(current)) });
  if (ex.response?.status === 200) world.named.set('appointment', ex.response.body.json);
}

When('the caller cancels the {string} appointment with reason {string}', async function (this: ErsWorld, which: string, reason: string) {
  await cancelAppointment(this, which, reason, undefined);
});

When('the caller cancels the {string} appointment with reason {string} and comment {string}', async function (this: ErsWorld, which: string, reason: string, comment: string) {
  await cancelAppointment(this, which, reason, comment);
});

Then('the appointment is now cancelled at version {int}', function (this: ErsWorld, version: number) {
  const r = this.response;
  assert.equal(r.status, 200, `expected 200, got ${r.status}: ${r.body.text.slice(0, 300)}`);
  const appt = asObject(r.body.json);
  assert.equal(appt?.status, 'cancelled');
  assert.equal(versionId(appt), String(version));
  assert.equal(header(r.headers, 'ETag'), `W/"${version}"`);
});

// --- a write while another write holds the referral (423) --------------------------------------------

type Write =
  | 'books the second free slot there'
  | 'changes the shortlist to the indirectly bookable service'
  | 'changes the shortlist to the triage service and sends it for triage'
  | 'cancels the referral'
  | 'cancels the appointment just made'
  | 'links the uploaded letter';

/** Makes the write while `holder` (a slow-PAS write already sent) holds the referral's lock, and records both. */
async function writeMeanwhile(world: ErsWorld, holder: { what: string; exchange: Promise<unknown> }, write: Write, second?: () => Promise<unknown>): Promise<void> {
  // let the holder take the lock; the PAS then holds it for its latency (800 ms for services.slowPas)
  await new Promise((r) => setTimeout(r, 50));
  const before = world.exchanges.length;
  const lifecycle = await import('./referral-lifecycle.steps.ts');
  switch (write) {
    case 'books the second free slot there':
      await second!();
      break;
    case 'changes the shortlist to the indirectly bookable service':
      await lifecycle.changeShortlist(world, 'indirectlyBookable', false);
      break;
    case 'changes the shortlist to the triage service and sends it for triage':
      await lifecycle.changeShortlist(world, 'triage', true);
      break;
    case 'cancels the referral':
      await lifecycle.cancelReferral(world, '<cancellationReasons.referral.byReferrer>', undefined);
      break;
    case 'cancels the appointment just made':
      await cancelAppointment(world, 'just made', '<cancellationReasons.appointment.byPatient>', undefined);
      break;
    case 'links the uploaded letter': {
      const { sendLetters } = await import('./documents.steps.ts');
      await sendLetters(world, (world.named.get('uploaded') as { binaryId: string }[] | undefined) ?? []);
      break;
    }
  }
  world.named.set('lockedWrite', world.exchanges.length === before ? undefined : world.exchanges.at(-1));
  world.named.set('heldBy', { what: holder.what, exchange: await holder.exchange });
}

When('a booking at the {string} service is still with the PAS as the caller {}', async function (this: ErsWorld, which: string, write: Write) {
  const service = this.fixture<string>(`services.${which}`);
  const ex = await searchSlots(this, service, { _count: '2' });
  const [first, second] = slotsIn(ex.response?.body.json);
  assert.ok(first && second, `service ${service} needs two free slots`);
  const ubrn = subject(this);
  const referral = await readReferral(this, ubrn);
  const patient = (asObject(asObject(referral?.subject)?.identifier)?.value as string | undefined) ?? this.fixture<string>('patients.referable');
  const booking = this.call('A016', { body: buildAppointment({ ubrn, version: versionId(referral), service, patient, slot: first }) });
  await writeMeanwhile(this, { what: 'booking', exchange: booking }, write, () => this.call('A016', { body: buildAppointment({ ubrn, version: versionId(referral), service, patient, slot: second }) }));
});

When('the referral\'s cancellation is still with the PAS as the caller {}', async function (this: ErsWorld, write: Write) {
  const ubrn = subject(this);
  const current = versionId(await readReferral(this, ubrn));
  const body = buildCancelReferral(fhirBaseOf(this.run.target.baseUrl), resolveValue(this, '<cancellationReasons.referral.byReferrer>') ?? '');
  const cancellation = this.call('A036', { params: { ubrn }, body, ifMatch: `W/"${current}"` });
  await writeMeanwhile(this, { what: 'cancellation', exchange: cancellation }, write);
});

Then('the write made meanwhile got {int} with e-RS error code {errorCode}', async function (this: ErsWorld, status: number, code: string) {
  const ex = this.named.get('lockedWrite') as Exchange | undefined;
  assert.ok(ex?.response, 'no write was made while the other write held the referral');
  assert.equal(ex.response.status, status, `the write got ${ex.response.status}: ${ex.response.body.text.slice(0, 300)}`);
  const coding = (asObject(ex.response.body.json)?.issue as { details?: { coding?: { code?: string }[] } }[] | undefined)?.[0]?.details?.coding?.[0]?.code;
  assert.equal(coding, code);
  await assertAsDocumented(this, ex, { code });
});

Then('the {word} that held the referral succeeded', function (this: ErsWorld, what: string) {
  const held = this.named.get('heldBy') as { what: string; exchange?: { response?: { status: number; body: { text: string } } } } | undefined;
  assert.equal(held?.what, what, `internal: the write that held the referral was a ${held?.what ?? 'nothing'}, not a ${what}`);
  const expected = what === 'booking' ? 201 : 200;
  assert.equal(held.exchange?.response?.status, expected, `the ${what} got ${held.exchange?.response?.status}: ${held.exchange?.response?.body.text.slice(0, 300)}`);
});
