// A015 Retrieve appointment slots: deterministic pages, schedules with/without clinician, and every documented 400 code.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.ts';
import { FX, assertStu3Outcome, get, readJson, start, type Json } from './helpers.ts';
import { as, book, newReferral, slotHeaders, slotQuery } from './referrer-helpers.ts';

let sim: Simulator;
before(async () => { sim = await start(); });
after(() => sim.close());

const slotsOf = (b: Json) => (b.entry ?? []).filter((e: Json) => e.resource.resourceType === 'Slot').map((e: Json) => e.resource);

describe('A015 retrieve appointment slots', () => {
  it('200 searchset: free Slots (match) + their Schedules (include), with and without clinician; links self/next', async () => {
    const res = await get(sim, slotQuery(FX.services.directlyBookable, { _count: '5' }), slotHeaders(sim));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('etag'), null);
    const b = await readJson(res);
    assert.equal(b.type, 'searchset');
    assert.equal(b.total, 39, '10 working days x 4 slots, less the one referrals.bookedDbs holds');
    const slots = slotsOf(b);
    assert.equal(slots.length, 5);
    assert.ok(slots.every((s: Json) => s.status === 'free' && s.identifier[0].system === 'https://fhir.nhs.uk/Id/alternative-slot'));
    const schedules = b.entry.filter((e: Json) => e.resource.resourceType === 'Schedule');
    assert.ok(schedules.every((e: Json) => e.search.mode === 'include'));
    const ids = schedules.map((e: Json) => e.resource.identifier[0].value).sort();
    assert.deepEqual(ids, [FX.services.directlyBookable, `${FX.services.directlyBookable}-${FX.slots.clinician}`]);
    assert.ok(b.link.some((l: Json) => l.relation === 'next') && !b.link.some((l: Json) => l.relation === 'previous'));
  });

  it('deterministic paging: page 2 continues page 1, the last page has no next; _include=Slot:schedule accepted', async () => {
    const p1 = slotsOf(await readJson(await get(sim, slotQuery(FX.services.directlyBookable, { _count: '20' }), slotHeaders(sim))));
    const p2b = await readJson(await get(sim, slotQuery(FX.services.directlyBookable, { _count: '20', page: '2', _include: 'Slot:schedule' }), slotHeaders(sim)));
    const p2 = slotsOf(p2b);
    assert.equal(p1.length + p2.length, 39);
    assert.ok(p1.at(-1).start <= p2[0].start);
    assert.ok(!p2b.link.some((l: Json) => l.relation === 'next') && p2b.link.some((l: Json) => l.relation === 'previous'));
  });

  it('clinician-specific search returns only that clinician\'s slots; a service with no slots gives an empty page 1', async () => {
    const b = await readJson(await get(sim, slotQuery(FX.services.directlyBookable, { 'schedule.actor:Practitioner': FX.slots.clinician }), slotHeaders(sim)));
    assert.ok(slotsOf(b).length > 0 && slotsOf(b).every((s: Json) => s.schedule.reference.endsWith(`-${FX.slots.clinician}`)));
    const none = await readJson(await get(sim, slotQuery(FX.services.noSlots), slotHeaders(sim)));
    assert.equal(none.total, 0);
    assert.equal(none.entry, undefined, 'an empty page has no entry element');
  });

  it('booking a slot removes it from the results', async () => {
    const { ubrn } = await newReferral(sim);
    const appt = await book(sim, ubrn);
    const slotId = appt.slot[0].reference.split('/')[1];
    const b = await readJson(await get(sim, slotQuery(FX.services.directlyBookable, { _count: '100' }), slotHeaders(sim)));
    assert.ok(!slotsOf(b).some((s: Json) => s.id === slotId));
    assert.equal(b.total, 38);
  });
});

describe('A015 errors (400)', () => {
  const q = (extra: Record<string, string>) => slotQuery(FX.services.directlyBookable, extra);
  const without = (name: string) => {
    const u = new URLSearchParams(slotQuery(FX.services.directlyBookable).split('?')[1]);
    u.delete(name);
    return `/STU3/Slot?${u.toString()}`;
  };
  const cases: [string, string, Record<string, string>, string, string][] = [
    ['NHSD-eRS-Comm-Rule-Org missing', q({}), { 'NHSD-eRS-Comm-Rule-Org': '' }, 'MISSING_HEADER', 'NHSD-eRS-Comm-Rule-Org'],
    ['service parameter missing', without('schedule.actor:HealthcareService'), {}, 'MISSING_PARAMETER', 'HealthcareService'],
    ['page missing', without('page'), {}, 'MISSING_PARAMETER', 'page'],
    ['status not a slot status', q({ status: 'open' }), {}, 'INVALID_CODE', 'status'],
    ['status busy', q({ status: 'busy' }), {}, 'INVALID_VALUE', 'status'],
    ['appointmentType unknown', q({ appointmentType: 'SOON' }), {}, 'INVALID_CODE', 'appointmentType'],
    ['_count 0', q({ _count: '0' }), {}, 'INVALID_VALUE', '_count'],
    ['_count 101', q({ _count: '101' }), {}, 'INVALID_VALUE', '_count'],
    ['page 0', q({ page: '0' }), {}, 'INVALID_VALUE', 'Page Number'],
    ['page out of range', q({ _count: '20', page: '5' }), {}, 'INVALID_VALUE', "'Page Number' (5) is invalid."],
    ['practitioner not a clinician of the service', q({ 'schedule.actor:Practitioner': FX.slots.notClinician }), {}, 'INVALID_VALUE', FX.slots.notClinician],
    ['_include other than Slot:schedule', q({ _include: 'Slot:foo' }), {}, 'INVALID_VALUE', '_include'],
    ['comm-rule org closed', q({}), { 'NHSD-eRS-Comm-Rule-Org': FX.slots.closedCommRuleOrg }, 'INVALID_VALUE', 'NHSD-eRS-Comm-Rule-Org'],
    ['unknown service', slotQuery(FX.services.unknown), {}, 'REFERENCE_NOT_FOUND', FX.services.unknown],
    ['unpublished service', slotQuery(FX.services.withdrawn), {}, 'SERVICE_UNAVAILABLE', FX.services.withdrawn],
    ['indirectly bookable service', slotQuery(FX.services.indirectlyBookable), {}, 'INVALID_STATE', 'not directly bookable'],
    ['triage service', slotQuery(FX.services.triage), {}, 'INVALID_STATE', 'not directly bookable'],
  ];
  for (const [name, path, headers, code, diag] of cases) {
    it(`${name} -> 400 ${code}`, async () => {
      const h = slotHeaders(sim, headers);
      if (headers['NHSD-eRS-Comm-Rule-Org'] === '') delete h['NHSD-eRS-Comm-Rule-Org'];
      await assertStu3Outcome(await get(sim, path, h), 400, code, diag);
    });
  }
  it('a provider role is refused (403 FORBIDDEN)', async () => {
    await assertStu3Outcome(await get(sim, q({}), as(sim, 'SERVICE_PROVIDER_CLINICIAN', { 'NHSD-eRS-Comm-Rule-Org': FX.slots.commRuleOrg })), 403, 'FORBIDDEN');
  });
});
