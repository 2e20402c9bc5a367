// A004 CodeSystem rendering from seed reference data (eRS-Specialty-CodeSystem-1 / shareablecodesystem).
import type { SeedCodeSystem, SeedConcept } from '../seed/types.ts';
import { PROFILE, SYSTEM, referenceSystem } from './systems.ts';

interface PropertyDef {
  type: 'dateTime' | 'integer' | 'boolean' | 'Coding';
  /** code system for Coding-valued properties */
  system?: string;
}

// Concept properties of each reference set (catalogue A004: eRS-Concept-Properties-1).
const PROPERTIES: Record<string, PropertyDef> = {
  effectiveFrom: { type: 'dateTime' },
  effectiveTo: { type: 'dateTime' },
  specialty: { type: 'Coding' },
  deferToProviderContactDays: { type: 'integer' },
  triageContactDays: { type: 'integer' },
  appointmentBookingCancellationReasonType: { type: 'Coding', system: 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-AppointmentBookingCancellationReasonType-1' },
  appointmentRequestCancellationReasonType: { type: 'Coding', system: 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-AppointmentRequestCancellationReasonType-1' },
  willCancelWholeRequest: { type: 'boolean' },
  commentIsMandatory: { type: 'boolean' },
  canCancelAppointment: { type: 'boolean' },
  businessFunction: { type: 'Coding', system: SYSTEM.businessFunction },
  usage: { type: 'Coding', system: 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-AppointmentCancellationReasonUsage-1' },
  referrerUsage: { type: 'Coding', system: 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralRequestCancellationReasonUsage-1' },
};

export const CODE_SYSTEM_TYPES = ['SPECIALTY', 'APPOINTMENT-CANCELLATION-REASON', 'CLINIC-TYPE', 'REFERRAL-CANCELLATION-REASON', 'APPOINTMENT-NON-ATTENDANCE-REASON', 'PRIORITY'] as const;

export function codeSystem(type: string, cs: SeedCodeSystem, baseUrl: string, now: Date): Record<string, unknown> {
  const used = [...new Set(['effectiveFrom', 'effectiveTo', ...cs.concepts.flatMap((c) => Object.keys(c))])].filter((k) => k in PROPERTIES);
  return {
    resourceType: 'CodeSystem',
    id: type,
    meta: { profile: [type === 'SPECIALTY' ? PROFILE.specialtyCodeSystem : PROFILE.shareableCodeSystem] },
    url: referenceSystem(baseUrl, type),
    version: '1',
    name: cs.name,
    status: 'active',
    experimental: false,
    date: now.toISOString(),
    publisher: 'e-Referral Service', // the only value the OAS allows (CodeSystem.publisher enum), as live e-RS sends
    description: cs.name,
    copyright: 'Copyright (c) 2016 HL7 UK',
    caseSensitive: true,
    content: 'complete',
    property: used.map((code) => ({ code, uri: `${SYSTEM.conceptProperties}#${code}`, type: (PROPERTIES[code] as PropertyDef).type })),
    concept: cs.concepts.map((c) => concept(c, used, baseUrl)),
  };
}

function concept(c: SeedConcept, used: string[], baseUrl: string): Record<string, unknown> {
  const property: Record<string, unknown>[] = [];
  for (const code of used) {
    const raw = c[code];
    if (raw === undefined) continue;
    const def = PROPERTIES[code] as PropertyDef;
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      if (def.type === 'dateTime') property.push({ code, valueDateTime: `${String(value)}T00:00:00.000Z` });
      else if (def.type === 'integer') property.push({ code, valueInteger: value });
      else if (def.type === 'boolean') property.push({ code, valueBoolean: value });
      else property.push({ code, valueCoding: { system: def.system ?? referenceSystem(baseUrl, 'SPECIALTY'), code: value } });
    }
  }
  return { code: c.code, display: c.display, property };
}
