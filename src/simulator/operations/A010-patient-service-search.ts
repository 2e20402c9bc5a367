// A010 Patient service search: POST /STU3/HealthcareService/$ers.searchHealthcareServicesForPatient (RC, RCA; UR only).
import { checkPatient, checkReferringClinician, readCriteria } from '../domain/criteria.ts';
import { searchServices, type SearchInput } from '../domain/search.ts';
import { unprocessable } from '../errors.ts';
import { codeOf, identifierOf, readParameters, valuePath, type ParamSpecs, type ReadParam } from '../fhir/parameters.ts';
import { serviceList } from '../fhir/service-list.ts';
import { ID, SYSTEM } from '../fhir/systems.ts';
import { fhirJson } from '../http-types.ts';
import type { OperationImpl } from './types.ts';

const SPECS: ParamSpecs = {
  requestType: { type: 'valueCoding', min: 1, system: SYSTEM.requestType, codes: ['APPOINTMENT_REQUEST', 'ADVICE_AND_GUIDANCE_REQUEST'] },
  sortBy: { type: 'valueCoding', min: 1, system: SYSTEM.sortBy, codes: ['DISTANCE', 'IWT'] },
  patient: { type: 'valueIdentifier', min: 1, identifierSystem: ID.nhsNumber },
  searchCriteria: { type: 'resource', min: 1 },
  referringClinician: { type: 'valueIdentifier', min: 0, identifierSystem: ID.sdsUser },
  commissioningRuleOrganisation: { type: 'valueIdentifier', min: 0, identifierSystem: ID.odsOrganisation },
};

export const patientServiceSearch: OperationImpl = {
  ids: ['A010'],
  requestResourceType: 'Parameters',
  handle({ body, store, caller, now, baseUrl }) {
    const params = readParameters(body, SPECS);
    const criteriaParam = params.get('searchCriteria') as ReadParam;
    const criteria = readCriteria(criteriaParam.value, `${criteriaParam.path}.resource.`, store, now);
    checkReferringClinician(params.get('referringClinician'), caller, store, '');
    const patient = checkPatient(params.get('patient') as ReadParam, store);
    const requestType = codeOf(params.get('requestType')) as SearchInput['requestType'];
    const cro = params.get('commissioningRuleOrganisation');
    if (cro) {
      if (requestType === 'ADVICE_AND_GUIDANCE_REQUEST') throw unprocessable('FIELD_NOT_PERMITTED', `${cro.path}: commissioningRuleOrganisation is not supported with ADVICE_AND_GUIDANCE_REQUEST`);
      const ods = identifierOf(cro) as string;
      if (!store.organisations.has(ods)) throw unprocessable('REFERENCE_NOT_FOUND', `${valuePath(cro)}: organisation ${ods} is not known`);
    }
    const hits = searchServices(store, { requestType, sortBy: codeOf(params.get('sortBy')) as SearchInput['sortBy'], criteria, patient });
    return fhirJson(200, serviceList(hits, store, baseUrl));
  },
};
