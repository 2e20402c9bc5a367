import { defineParameterType } from '@cucumber/cucumber';
import { BUSINESS_FUNCTIONS } from '../src/ers/operations.ts';

// {businessFunction}: any e-RS business function, including the application-only ones.
defineParameterType({
  name: 'businessFunction',
  regexp: new RegExp([...BUSINESS_FUNCTIONS, 'PROVIDER_AUTHORISED_APPLICATION', 'REFERRER_AUTHORISED_APPLICATION', 'AUTHORISED_APPLICATION'].join('|')),
  transformer: (s: string) => s,
});

// {operation}: an e-RS operation id as in the catalogue (A005, A005-versioned, ...).
defineParameterType({
  name: 'operation',
  regexp: /A\d{3}(?:-versioned)?/,
  transformer: (s: string) => s,
});

// {errorCode}: an e-RS / NHS API error code (upper snake case).
defineParameterType({
  name: 'errorCode',
  regexp: /[A-Z][A-Z0-9_]+/,
  transformer: (s: string) => s,
});

// {draft}: a request body a scenario is preparing (see ErsWorld.drafts).
defineParameterType({
  name: 'draft',
  regexp: /search request|search criteria|worklist request|referral request|shortlist search criteria|shortlist change|referral letter request|advice worklist request|advice request|guidance response|conversion request/,
  transformer: (s: string) => s,
});
