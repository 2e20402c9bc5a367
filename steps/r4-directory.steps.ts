import assert from 'node:assert/strict';
import { header } from '../src/http/exchange.ts';
import { healthcareServiceIds, heldRoles, practitionerSdsIds, queryFromText, searchsetProblems, serviceRequests } from '../src/ers/r4.ts';
import { asArray, asObject, resourceType, versionId } from '../src/ers/read.ts';
import { Given, Then, When } from '../support/steps-api.ts';
import type { ErsWorld } from '../support/world.ts';

// R4 directory and identity: A030 business functions, A033/A037 a service and its version, A035 service search,
// A040 practitioners an SPCA may act for, A041 UBRN -> ServiceRequest id.

/** "<services.triage>,<services.unknown>" or "identifier=x|<referrals.unbooked>" with every <intent> filled in. */
function fill(world: ErsWorld, text: string): string {
  return text.replace(/<([\w.-]+)>/g, (_, intent: string) => {
    const value = world.fixture<unknown>(intent);
    if (typeof value === 'object') throw new Error(`intent "${intent}" holds an object, not a single value; name one of its fields`);
    return String(value);
  });
}

/** The last successful exchange of an operation in this scenario (the read a later step refers back to). */
function lastOk(world: ErsWorld, operation: string) {
  const ex = [...world.exchanges].reverse().find((e) => e.operation === operation && e.response?.status === 200);
  assert.ok(ex, `no successful ${operation} answer earlier in this scenario`);
  return ex.response!;
}

Given('the proxy\'s organisation allowlist service will fail on the next {operation} request', async function (this: ErsWorld, operation: string) {
  await this.run.target.injectFault({ operation, status: 500, cause: 'allowlist', count: 1 });
});

When('the caller retrieves its business functions', async function (this: ErsWorld) {
  await this.call('A030');
});

When('the caller retrieves the version of the R4 healthcare service {string}', async function (this: ErsWorld, id: string) {
  await this.call('A037', { params: { id: fill(this, id) } });
});

When('the caller searches for the R4 healthcare services {string}', async function (this: ErsWorld, ids: string) {
  await this.call('A035', { query: { _id: fill(this, ids) } });
});

When('the caller searches for R4 healthcare services with the query {string}', async function (this: ErsWorld, query: string) {
  await this.call('A035', { query: queryFromText(fill(this, query)) });
});

/** A040 is how an SPCA learns whom it may act for: it is sent without NHSD-eRS-On-Behalf-Of-User-ID (catalogue A040). */
async function callA040(world: ErsWorld, query: Record<string, string | string[]>): Promise<void> {
  const actor = world.actor;
  if (actor?.onBehalfOf) world.useActor({ ...actor, onBehalfOf: undefined });
  try {
    await world.call('A040', { query });
  } finally {
    if (actor) world.useActor(actor);
  }
}

When('the caller retrieves the practitioners it may act on behalf of', async function (this: ErsWorld) {
  await callA040(this, { _query: 'onBehalfOf' });
});

When('the caller retrieves practitioners with the query {string}', async function (this: ErsWorld, query: string) {
  await callA040(this, queryFromText(fill(this, query)));
});

When('the caller searches for the service requests of UBRN {string}', async function (this: ErsWorld, ubrn: string) {
  await this.call('A041', { query: { identifier: fill(this, ubrn) } });
});

When('the caller searches for service requests with the query {string}', async function (this: ErsWorld, query: string) {
  await this.call('A041', { query: queryFromText(fill(this, query)) });
});

Given('the caller is a CIS2 user who holds the {businessFunction} role but has not chosen a role yet', function (this: ErsWorld, businessFunction: string) {
  const a = this.fixture<{ userId: string }>(`actors.${businessFunction}`);
  // A030 needs no role headers: that is how a caller learns which role and organisation to send later.
  this.useActor({ key: `${businessFunction}:unchosen`, mode: 'user-restricted', userId: a.userId });
});

When('the caller acts as the {businessFunction} role e-RS returned for it', function (this: ErsWorld, businessFunction: string) {
  const role = heldRoles(lastOk(this, 'A030').body.json).find((r) => r.businessFunctions.includes(businessFunction));
  assert.ok(role?.ods, `A030 returned no organisation where the caller holds ${businessFunction}`);
  assert.ok(this.actor, 'internal: choose the caller first');
  this.useActor({ ...this.actor, key: businessFunction, ods: role.ods, businessFunction });
});

When('the caller acts on behalf of the first practitioner e-RS returned', function (this: ErsWorld) {
  const [first] = practitionerSdsIds(lastOk(this, 'A040').body.json);
  assert.ok(first, 'A040 returned no practitioner the caller may act for');
  assert.ok(this.actor, 'internal: choose the caller first');
  this.useActor({ ...this.actor, onBehalfOf: first });
});

When('the caller reads the first healthcare service found', async function (this: ErsWorld) {
  const [first] = healthcareServiceIds(lastOk(this, 'A035').body.json);
  assert.ok(first, 'the A035 search found no service to read');
  await this.call('A033', { params: { id: first } });
});

When('the caller checks the version of the healthcare service it read', async function (this: ErsWorld) {
  const id = asObject(lastOk(this, 'A033').body.json)?.id;
  assert.equal(typeof id, 'string', 'the A033 answer has no id');
  await this.call('A037', { params: { id: id as string } });
});

Then('the response is a searchset Bundle of {int} {word} resource(s)', function (this: ErsWorld, count: number, type: string) {
  const body = this.response.body.json;
  const problems = searchsetProblems(body);
  assert.deepEqual(problems, [], `the searchset Bundle is malformed: ${problems.join('; ')}`);
  const resources = asArray(asObject(body)?.entry).map((e) => resourceType(asObject(e)?.resource));
  assert.equal(resources.length, count, `expected ${count} ${type} entries, got ${resources.length}`);
  assert.ok(resources.every((t) => t === type), `expected only ${type} entries, got ${resources.join(', ')}`);
});

Then('the response is a searchset Bundle of {word} resources', function (this: ErsWorld, type: string) {
  const body = this.response.body.json;
  const problems = searchsetProblems(body);
  assert.deepEqual(problems, [], `the searchset Bundle is malformed: ${problems.join('; ')}`);
  const others = asArray(asObject(body)?.entry).map((e) => resourceType(asObject(e)?.resource)).filter((t) => t !== type);
  assert.deepEqual(others, [], `expected only ${type} entries`);
});

Then('each PractitionerRole names an ODS organisation and e-RS business functions, all for one SDS user', function (this: ErsWorld) {
  const roles = heldRoles(this.response.body.json);
  assert.ok(roles.length > 0, 'no PractitionerRole in the Bundle');
  for (const r of roles) {
    assert.ok(r.user, `${r.id}: practitioner.identifier is not an SDS user id (https://fhir.nhs.uk/Id/sds-user-id)`);
    assert.ok(r.ods, `${r.id}: organization.identifier is not an ODS code (https://fhir.nhs.uk/Id/ods-organization-code)`);
    assert.ok(r.businessFunctions.length > 0, `${r.id}: no code from eRS-BusinessFunction-1`);
  }
  assert.equal(new Set(roles.map((r) => r.user)).size, 1, `the roles name more than one user: ${roles.map((r) => r.user).join(', ')}`);
});

Then('every PractitionerRole names the caller\'s SDS user id, an ODS organisation and e-RS business functions', function (this: ErsWorld) {
  const roles = heldRoles(this.response.body.json);
  assert.ok(roles.length > 0, 'no PractitionerRole in the Bundle');
  for (const r of roles) {
    assert.equal(r.user, this.actor?.userId, `${r.id}: practitioner.identifier is not the caller's SDS user id (https://fhir.nhs.uk/Id/sds-user-id)`);
    assert.ok(r.ods, `${r.id}: organization.identifier is not an ODS code (https://fhir.nhs.uk/Id/ods-organization-code)`);
    assert.ok(r.businessFunctions.length > 0, `${r.id}: no code from eRS-BusinessFunction-1`);
    assert.equal(r.id, `PractitionerRole-${r.ods}-${r.user}`, `${r.id}: the id is not PractitionerRole-{ODS}-{userId}`);
  }
  const orgs = roles.map((r) => r.ods);
  assert.equal(new Set(orgs).size, orgs.length, `more than one PractitionerRole for one organisation: ${orgs.join(', ')}`);
});

Then('e-RS says the caller holds the {businessFunction} role at its organisation', function (this: ErsWorld, businessFunction: string) {
  const ods = this.fixture<{ ods: string }>(`actors.${businessFunction}`).ods;
  const role = heldRoles(this.response.body.json).find((r) => r.ods === ods);
  assert.ok(role, `no PractitionerRole for organisation ${ods}`);
  assert.ok(role.businessFunctions.includes(businessFunction), `at ${ods} e-RS lists ${role.businessFunctions.join(', ')}, not ${businessFunction}`);
});

Then('the HealthcareService is {string}', function (this: ErsWorld, id: string) {
  const body = asObject(this.response.body.json);
  assert.equal(resourceType(body), 'HealthcareService');
  assert.equal(body!.id, fill(this, id));
});

Then('the HealthcareService has a location, one appointment type and its request flows as characteristics', function (this: ErsWorld) {
  const s = asObject(this.response.body.json) ?? {};
  const location = asObject(asObject(asArray(s.location)[0])?.identifier);
  assert.equal(location?.system, 'https://fhir.nhs.uk/Id/ods-site-code', `location[0].identifier is ${JSON.stringify(location)}, expected an ODS site code`);
  assert.ok(Array.isArray(s.type) && s.type.length === 1, `type is ${JSON.stringify(s.type)}: expected one CodeableConcept in an array (OAS; eRS-HealthcareService type 0..1)`);
  const flows = asArray(s.characteristic).flatMap((c) => asArray(asObject(c)?.coding)).map(asObject).filter((c) => c?.system === 'https://fhir.nhs.uk/CodeSystem/eRS-RequestFlowType');
  assert.ok(flows.length > 0, 'no eRS-RequestFlowType characteristic');
});

Then('the HealthcareService characteristics include {string}', function (this: ErsWorld, code: string) {
  const codes = asArray(asObject(this.response.body.json)?.characteristic).flatMap((c) => asArray(asObject(c)?.coding)).map((c) => asObject(c)?.code);
  assert.ok(codes.includes(code), `characteristics are ${codes.join(', ')}, expected ${code}`);
});

Then('the response carries a weak ETag and Cache-Control', function (this: ErsWorld) {
  const etag = header(this.response.headers, 'ETag');
  assert.match(etag ?? '', /^W\/"[0-9]+"$/, `ETag is ${etag ?? '(none)'}, expected W/"n"`);
  assert.ok(header(this.response.headers, 'Cache-Control'), 'no Cache-Control header');
});

Then('the version ETag equals the meta.versionId of the service read', function (this: ErsWorld) {
  const read = lastOk(this, 'A033');
  const v = versionId(read.body.json);
  assert.ok(v, 'the A033 answer has no meta.versionId');
  assert.equal(header(this.response.headers, 'ETag'), `W/"${v}"`, `A037 ETag ${header(this.response.headers, 'ETag') ?? '(none)'} does not match A033 meta.versionId ${v}`);
  assert.equal(header(read.headers, 'ETag'), `W/"${v}"`, 'the A033 ETag does not match its own meta.versionId');
});

Then('the Bundle holds the HealthcareServices {string} in that order', function (this: ErsWorld, ids: string) {
  const expected = fill(this, ids).split(',').map((s) => s.trim()).filter(Boolean);
  assert.deepEqual(healthcareServiceIds(this.response.body.json), expected);
});

Then('the Bundle lists the clinician the {businessFunction} acts on behalf of', function (this: ErsWorld, businessFunction: string) {
  const obo = this.fixture<{ onBehalfOf?: string }>(`actors.${businessFunction}`).onBehalfOf;
  assert.ok(obo, `the fixtures name no clinician actors.${businessFunction} acts on behalf of`);
  assert.ok(practitionerSdsIds(this.response.body.json).includes(obo), `the Practitioners listed (${practitionerSdsIds(this.response.body.json).join(', ') || 'none'}) do not include ${obo}`);
});

Then('the Bundle holds a {word} ServiceRequest for UBRN {string}', function (this: ErsWorld, kind: string, ubrn: string) {
  const want = fill(this, ubrn).replace(/^.*\|/, '');
  const found = serviceRequests(this.response.body.json).filter((s) => s.kind === kind && s.ubrn === want);
  assert.equal(found.length, 1, `expected one ${kind} ServiceRequest for ${want}, got ${JSON.stringify(serviceRequests(this.response.body.json))}`);
  assert.equal(found[0]!.intent, 'order');
  this.named.set(`serviceRequest:${kind}`, found[0]!.id);
});

Then('that ServiceRequest has status {word}', function (this: ErsWorld, status: string) {
  const faces = serviceRequests(this.response.body.json);
  assert.equal(faces.length, 1, `expected one ServiceRequest, got ${faces.length}`);
  assert.equal(faces[0]!.status, status);
});
