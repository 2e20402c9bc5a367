// eRS-FetchServices-List-1: the A010 search result list.
import type { SearchHit } from '../domain/search.ts';
import { EXT, ID, PROFILE, SYSTEM, referenceSystem } from './systems.ts';
import type { Store } from '../store.ts';

const cc = (system: string, code: string) => ({ coding: [{ system, code }] });

export function serviceList(hits: SearchHit[], store: Store, baseUrl: string): Record<string, unknown> {
  const list: Record<string, unknown> = {
    resourceType: 'List',
    meta: { profile: [PROFILE.fetchServices] },
    status: 'current',
    mode: 'snapshot',
    entry: hits.map((hit) => entry(hit, store, baseUrl)),
  };
  if (hits.length === 0) list.emptyReason = { coding: [{ system: SYSTEM.listEmptyReason, code: 'nilknown', display: 'no results' }] };
  return list;
}

function entry({ service, distance }: SearchHit, store: Store, baseUrl: string): Record<string, unknown> {
  const iwt = typeof service.iwt === 'number'
    ? { url: 'indicativeAppointmentWaitTime', valueUnsignedInt: service.iwt }
    : { url: 'indicativeAppointmentWaitTime', valueCodeableConcept: cc(SYSTEM.iwt, service.iwt) };
  const location = store.organisations.get(service.location);
  return {
    extension: [
      {
        url: EXT.serviceListItem,
        extension: [
          { url: 'displayProminently', valueBoolean: false },
          ...(distance !== undefined ? [{ url: 'distance', valueUnsignedInt: distance }] : []),
          iwt,
        ],
      },
    ],
    item: {
      extension: [
        {
          url: EXT.serviceSummary,
          extension: [
            { url: 'serviceName', valueString: service.name },
            { url: 'specialty', valueCodeableConcept: cc(referenceSystem(baseUrl, 'SPECIALTY'), service.specialty) },
            { url: 'genderTreated', valueCodeableConcept: cc(SYSTEM.genderTreated, service.genderTreated) },
            { url: 'bookableType', valueCodeableConcept: cc(SYSTEM.bookableType, service.bookableType) },
            { url: 'supportedAppointmentType', valueCodeableConcept: cc(SYSTEM.appointmentType, service.appointmentType) },
            { url: 'referralLetterRequired', valueBoolean: service.referralLetterRequired },
            { url: 'location', valueReference: { identifier: { system: ID.directoryOrganisation, value: service.location }, display: location?.name ?? service.location } },
            { url: 'linkToNHSWebsite', valueString: `https://www.nhs.uk/service-search/other-services/chooseandbook?serviceId=${service.id}` },
            ...service.flows.map((f) => ({ url: 'supportedRequestFlowType', valueCodeableConcept: cc(SYSTEM.requestFlowType, f) })),
          ],
        },
      ],
      identifier: { system: ID.ersService, value: service.id },
      display: service.name,
    },
  };
}
