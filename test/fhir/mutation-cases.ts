// The mutation table: hand-made invalid resources, STU3 and R4, each with the exact finding expected.
// Shared by test/fhir/mutations.test.ts and bench/validate.ts.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FhirVersion } from '../../src/fhir/index.ts';

type Json = Record<string, any>;

export interface Case {
  name: string;
  version: FhirVersion;
  resource: Json;
  rule: string;
  path: string;
  profiles?: string[];
  /** Expected severity of the finding; error unless stated (profile-unavailable is always a warning). */
  severity?: 'error' | 'warning' | 'information';
}

export const stu3Referral = (extra: Json = {}, drop: string[] = []): Json => {
  const r: Json = { resourceType: 'ReferralRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/1' }, ...extra };
  for (const d of drop) delete r[d];
  return r;
};
export const r4Patient = (extra: Json = {}): Json => ({ resourceType: 'Patient', ...extra });
const contained = (extra: Json = {}): Json => ({ resourceType: 'Patient', id: 'p1', ...extra });

export const TEST_PROFILE = 'http://example.org/fhir/StructureDefinition/test-patient';
/** A Bundle profile whose entries are sliced by profile: slice `patient` holds Patients conforming to TEST_PROFILE. */
export const TEST_BUNDLE_PROFILE = 'http://example.org/fhir/StructureDefinition/test-bundle';
export const conformingTestPatient = (): Json => r4Patient({ gender: 'female', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '1' }] });

export const MUTATIONS: Case[] = [
  // STU3 -------------------------------------------------------------------------------------------
  { name: 'required element missing', version: 'STU3', resource: stu3Referral({}, ['status']), rule: 'cardinality', path: 'ReferralRequest.status' },
  { name: 'wrong JSON type for code', version: 'STU3', resource: stu3Referral({ status: 1 }), rule: 'type', path: 'ReferralRequest.status' },
  { name: 'array given for a single element', version: 'STU3', resource: stu3Referral({ subject: [{ reference: 'Patient/1' }] }), rule: 'array', path: 'ReferralRequest.subject' },
  { name: 'single value given for an array', version: 'STU3', resource: stu3Referral({ identifier: { value: '1' } }), rule: 'array', path: 'ReferralRequest.identifier' },
  { name: 'empty array', version: 'STU3', resource: stu3Referral({ note: [] }), rule: 'empty', path: 'ReferralRequest.note' },
  { name: 'empty string', version: 'STU3', resource: stu3Referral({ description: '' }), rule: 'empty', path: 'ReferralRequest.description' },
  { name: 'unknown element at the root', version: 'STU3', resource: stu3Referral({ foo: 1 }), rule: 'unknown-element', path: 'ReferralRequest.foo' },
  { name: 'unknown nested element', version: 'STU3', resource: stu3Referral({ subject: { reference: 'Patient/1', bogus: true } }), rule: 'unknown-element', path: 'ReferralRequest.subject.bogus' },
  {
    name: 'R4-only element in STU3 (Appointment.cancelationReason)', version: 'STU3',
    resource: { resourceType: 'Appointment', status: 'booked', participant: [{ status: 'accepted', actor: { reference: 'Patient/1' } }], cancelationReason: { text: 'x' } },
    rule: 'unknown-element', path: 'Appointment.cancelationReason',
  },
  { name: 'bad dateTime', version: 'STU3', resource: stu3Referral({ authoredOn: '2020-13-01' }), rule: 'format', path: 'ReferralRequest.authoredOn' },
  { name: 'bad instant (date only)', version: 'STU3', resource: stu3Referral({ meta: { lastUpdated: '2020-01-01' } }), rule: 'format', path: 'ReferralRequest.meta.lastUpdated' },
  { name: 'bad code in a required binding', version: 'STU3', resource: stu3Referral({ status: 'bogus' }), rule: 'binding', path: 'ReferralRequest.status' },
  { name: 'ele-1 empty object', version: 'STU3', resource: stu3Referral({ subject: {} }), rule: 'invariant:ele-1', path: 'ReferralRequest.subject' },
  {
    name: 'dom-2 contained resource with contained', version: 'STU3',
    resource: stu3Referral({ subject: { reference: '#p1' }, contained: [contained({ contained: [{ resourceType: 'Patient', id: 'p2' }] })] }),
    rule: 'invariant:dom-2', path: 'ReferralRequest.contained[0]',
  },
  { name: 'dom-3 contained resource not referenced', version: 'STU3', resource: stu3Referral({ contained: [contained()] }), rule: 'invariant:dom-3', path: 'ReferralRequest.contained[0]' },
  {
    name: 'dom-4 contained resource with meta.versionId', version: 'STU3',
    resource: stu3Referral({ subject: { reference: '#p1' }, contained: [contained({ meta: { versionId: '1' } })] }),
    rule: 'invariant:dom-4', path: 'ReferralRequest.contained[0]',
  },
  { name: 'ref-1 local reference without contained', version: 'STU3', resource: stu3Referral({ subject: { reference: '#nope' } }), rule: 'invariant:ref-1', path: 'ReferralRequest.subject' },
  {
    name: 'ext-1 extension with value and extensions', version: 'STU3',
    resource: stu3Referral({ extension: [{ url: 'http://example.org/x', valueString: 'a', extension: [{ url: 'y', valueString: 'b' }] }] }),
    rule: 'invariant:ext-1', path: 'ReferralRequest.extension[0]',
  },
  {
    name: 'per-1 period start after end', version: 'STU3',
    resource: stu3Referral({ occurrencePeriod: { start: '2020-02-01', end: '2020-01-01' } }),
    rule: 'invariant:per-1', path: 'ReferralRequest.occurrencePeriod',
  },
  {
    name: 'two choices of one choice element', version: 'STU3',
    resource: stu3Referral({ occurrenceDateTime: '2020-01-01', occurrencePeriod: { start: '2020-01-01' } }),
    rule: 'choice', path: 'ReferralRequest.occurrencePeriod',
  },
  {
    name: 'resource-level invariant via fhirpath (rfr-1)', version: 'STU3',
    resource: stu3Referral({
      subject: { reference: '#p1' }, contained: [contained()],
      requester: { agent: { reference: '#p1' }, onBehalfOf: { reference: 'Organization/1' } },
    }),
    rule: 'invariant:rfr-1', path: 'ReferralRequest.requester',
  },
  {
    name: 'nested resource in Parameters validated', version: 'STU3',
    resource: { resourceType: 'Parameters', parameter: [{ name: 'r', resource: stu3Referral({ status: 'bogus' }) }] },
    rule: 'binding', path: 'Parameters.parameter[0].resource.status',
  },
  // R4 ---------------------------------------------------------------------------------------------
  {
    name: 'required element missing', version: 'R4',
    resource: { resourceType: 'ServiceRequest', status: 'active', subject: { reference: 'Patient/1' } },
    rule: 'cardinality', path: 'ServiceRequest.intent',
  },
  { name: 'wrong JSON type for boolean', version: 'R4', resource: r4Patient({ active: 'true' }), rule: 'type', path: 'Patient.active' },
  { name: 'single value given for an array', version: 'R4', resource: r4Patient({ name: { family: 'X' } }), rule: 'array', path: 'Patient.name' },
  { name: 'array given for a single element', version: 'R4', resource: r4Patient({ gender: ['male'] }), rule: 'array', path: 'Patient.gender' },
  { name: 'empty array', version: 'R4', resource: r4Patient({ identifier: [] }), rule: 'empty', path: 'Patient.identifier' },
  { name: 'unknown element at the root', version: 'R4', resource: r4Patient({ foo: 'bar' }), rule: 'unknown-element', path: 'Patient.foo' },
  { name: 'unknown nested element', version: 'R4', resource: r4Patient({ name: [{ family: 'X', surname: 'Y' }] }), rule: 'unknown-element', path: 'Patient.name[0].surname' },
  { name: 'Medplum-only Meta element is unknown in real R4', version: 'R4', resource: r4Patient({ meta: { project: 'x' } }), rule: 'unknown-element', path: 'Patient.meta.project' },
  { name: 'bad date', version: 'R4', resource: r4Patient({ birthDate: '19900101' }), rule: 'format', path: 'Patient.birthDate' },
  {
    name: 'bad instant', version: 'R4',
    resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, issued: '2020-01-01T10:00' },
    rule: 'format', path: 'Observation.issued',
  },
  { name: 'bad code in a required binding', version: 'R4', resource: r4Patient({ gender: 'x' }), rule: 'binding', path: 'Patient.gender' },
  { name: 'ele-1 empty object', version: 'R4', resource: r4Patient({ managingOrganization: {} }), rule: 'invariant:ele-1', path: 'Patient.managingOrganization' },
  {
    name: 'dom-2 contained resource with contained', version: 'R4',
    resource: r4Patient({ link: [{ other: { reference: '#p1' }, type: 'seealso' }], contained: [contained({ contained: [{ resourceType: 'Patient', id: 'p2' }] })] }),
    rule: 'invariant:dom-2', path: 'Patient.contained[0]',
  },
  { name: 'dom-3 contained resource not referenced', version: 'R4', resource: r4Patient({ contained: [contained()] }), rule: 'invariant:dom-3', path: 'Patient.contained[0]' },
  {
    name: 'dom-4 contained resource with meta.lastUpdated', version: 'R4',
    resource: r4Patient({ managingOrganization: { reference: '#o1' }, contained: [{ resourceType: 'Organization', id: 'o1', meta: { lastUpdated: '2020-01-01T00:00:00Z' } }] }),
    rule: 'invariant:dom-4', path: 'Patient.contained[0]',
  },
  { name: 'ref-1 local reference without contained', version: 'R4', resource: r4Patient({ managingOrganization: { reference: '#o9' } }), rule: 'invariant:ref-1', path: 'Patient.managingOrganization' },
  {
    name: 'ext-1 extension without value or extensions', version: 'R4',
    resource: r4Patient({ extension: [{ url: 'http://example.org/x' }] }),
    rule: 'invariant:ext-1', path: 'Patient.extension[0]',
  },
  {
    name: 'per-1 period start after end', version: 'R4',
    resource: r4Patient({ name: [{ family: 'X', period: { start: '2021-01-01T00:00:00Z', end: '2020-01-01T00:00:00Z' } }] }),
    rule: 'invariant:per-1', path: 'Patient.name[0].period',
  },
  {
    name: 'reference to a disallowed target type', version: 'R4',
    resource: r4Patient({ managingOrganization: { reference: 'Patient/2' } }),
    rule: 'reference-target', path: 'Patient.managingOrganization',
  },
  {
    name: 'filtered value set is reported as unchecked, once', version: 'R4', severity: 'information',
    resource: {
      resourceType: 'Appointment', status: 'booked',
      participant: [0, 1].map(() => ({ type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'ATND' }] }], actor: { reference: 'Patient/1' }, status: 'accepted' })),
    },
    rule: 'binding-unchecked', path: 'Appointment.participant[0].type[0]',
  },
  {
    name: 'Reference.type names a disallowed target (urn:uuid reference)', version: 'R4',
    resource: r4Patient({ managingOrganization: { reference: 'urn:uuid:5d4a9a36-1f5e-4c1b-9d0e-3a0f1c2b7e11', type: 'Patient' } }),
    rule: 'reference-target', path: 'Patient.managingOrganization',
  },
  {
    name: 'Reference.type disagrees with the literal reference', version: 'R4',
    resource: r4Patient({ managingOrganization: { reference: 'Organization/1', type: 'Practitioner' } }),
    rule: 'reference-target', path: 'Patient.managingOrganization',
  },
  {
    name: 'Bundle entry validated recursively', version: 'R4',
    resource: { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:1', resource: r4Patient({ gender: 'x' }) }] },
    rule: 'binding', path: 'Bundle.entry[0].resource.gender',
  },
  // Profiles (a hand-made differential-only profile, so snapshot generation is exercised too) -------
  {
    name: 'fixed value broken', version: 'R4', profiles: [TEST_PROFILE],
    resource: r4Patient({ identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' }], gender: 'male' }),
    rule: 'fixed', path: 'Patient.gender',
  },
  {
    name: 'slice cardinality broken (required slice absent)', version: 'R4', profiles: [TEST_PROFILE],
    resource: r4Patient({ gender: 'female' }),
    rule: 'slice', path: 'Patient.identifier',
  },
  {
    name: 'slice cardinality broken (too many in slice)', version: 'R4', profiles: [TEST_PROFILE],
    resource: r4Patient({ gender: 'female', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '1' }, { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '2' }] }),
    rule: 'slice', path: 'Patient.identifier',
  },
  {
    name: 'closed slicing violated', version: 'R4', profiles: [TEST_PROFILE],
    resource: r4Patient({ gender: 'female', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '1' }, { system: 'http://other', value: '2' }] }),
    rule: 'slice', path: 'Patient.identifier[1]',
  },
  {
    name: 'profile cardinality (max 0) broken', version: 'R4', profiles: [TEST_PROFILE],
    resource: r4Patient({ gender: 'female', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '1' }], photo: [{ contentType: 'image/png' }] }),
    rule: 'cardinality', path: 'Patient.photo',
  },
  {
    name: 'profile target restriction enforced through Reference.type', version: 'R4', profiles: [TEST_PROFILE],
    resource: r4Patient({ gender: 'female', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '1' }], generalPractitioner: [{ reference: 'urn:uuid:1', type: 'Practitioner' }] }),
    rule: 'reference-target', path: 'Patient.generalPractitioner[0]',
  },
  {
    name: 'profile discriminator compares the resource with the profile, not just its type', version: 'R4', profiles: [TEST_BUNDLE_PROFILE],
    resource: {
      resourceType: 'Bundle', type: 'collection',
      entry: [{ fullUrl: 'urn:uuid:1', resource: r4Patient({ gender: 'male', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '1' }] }) }],
    },
    rule: 'slice', path: 'Bundle.entry',
  },
  {
    name: 'unresolvable profile is a visible warning', version: 'R4', profiles: ['http://example.org/fhir/StructureDefinition/does-not-exist'],
    resource: r4Patient(), rule: 'profile-unavailable', path: 'Patient',
  },
];

export function writeTestPackage(): string {
  const root = mkdtempSync(join(tmpdir(), 'ers-fhir-pkg-'));
  const dir = join(root, 'example.test.profiles#0.1.0', 'package');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'example.test.profiles', version: '0.1.0', fhirVersions: ['4.0.1'] }));
  const sd = {
    resourceType: 'StructureDefinition', id: 'test-patient', url: TEST_PROFILE, name: 'TestPatient', status: 'draft',
    kind: 'resource', abstract: false, type: 'Patient', derivation: 'constraint',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
    differential: {
      element: [
        { id: 'Patient.identifier', path: 'Patient.identifier', slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'closed' } },
        { id: 'Patient.identifier:nhs', path: 'Patient.identifier', sliceName: 'nhs', min: 1, max: '1' },
        { id: 'Patient.identifier:nhs.system', path: 'Patient.identifier.system', min: 1, fixedUri: 'https://fhir.nhs.uk/Id/nhs-number' },
        { id: 'Patient.gender', path: 'Patient.gender', fixedCode: 'female' },
        { id: 'Patient.photo', path: 'Patient.photo', max: '0' },
        {
          id: 'Patient.generalPractitioner', path: 'Patient.generalPractitioner',
          type: [{ code: 'Reference', targetProfile: ['http://hl7.org/fhir/StructureDefinition/Organization'] }],
        },
      ],
    },
  };
  const bundle = {
    resourceType: 'StructureDefinition', id: 'test-bundle', url: TEST_BUNDLE_PROFILE, name: 'TestBundle', status: 'draft',
    kind: 'resource', abstract: false, type: 'Bundle', derivation: 'constraint',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Bundle',
    differential: {
      element: [
        { id: 'Bundle.entry', path: 'Bundle.entry', slicing: { discriminator: [{ type: 'profile', path: 'resource' }], rules: 'open' } },
        { id: 'Bundle.entry:patient', path: 'Bundle.entry', sliceName: 'patient', min: 1, max: '1' },
        { id: 'Bundle.entry:patient.resource', path: 'Bundle.entry.resource', type: [{ code: 'Patient', profile: [TEST_PROFILE] }] },
      ],
    },
  };
  // No .index.json: the loader must index the folder by reading the files.
  writeFileSync(join(dir, 'StructureDefinition-test-patient.json'), JSON.stringify(sd));
  writeFileSync(join(dir, 'StructureDefinition-test-bundle.json'), JSON.stringify(bundle));
  return root;
}

