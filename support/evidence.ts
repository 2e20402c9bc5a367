import { After, Before, Status } from '@cucumber/cucumber';
import { attachment, label, link } from 'allure-js-commons';
import { categorise, CATEGORY_TITLES, type FailureCategory } from '../src/evidence/errors.ts';
import { requirementTags } from '../src/evidence/scenarios.ts';

// Traceability and cause in the report: each @req=ID becomes a label and a link to that requirement's row
// in the SCAL matrix (written next to the report); a scenario that does not pass gets an attachment saying
// which failure category it falls in and what that means. (The failure-category label itself is written
// after the run by reconcileResults: allure-cucumberjs takes no labels from After hooks.)

Before({ name: 'Trace the scenario to its requirements' }, async function ({ pickle }) {
  for (const id of requirementTags(pickle.tags.map((t) => t.name))) {
    await label('requirement', id);
    await link(`../scal-matrix.html#req-${encodeURIComponent(id)}`, `Requirement ${id}`, 'requirement');
  }
});

After({ name: 'Record the failure category' }, async function ({ result, error }) {
  if (!result || result.status === Status.PASSED || result.status === Status.SKIPPED) return;
  let category: FailureCategory;
  if (result.status === Status.FAILED) {
    const type = result.exception?.type ?? (error instanceof Error ? error.name : undefined);
    category = categorise(type, result.exception?.message ?? result.message ?? (error instanceof Error ? error.message : undefined));
  } else {
    category = 'harness-error'; // undefined, ambiguous or pending steps: the suite itself is incomplete
  }
  await attachment('Failure category', `${CATEGORY_TITLES[category]} (${category})\n\n${CATEGORY_EXPLANATIONS[category]}`, 'text/plain');
});

const CATEGORY_EXPLANATIONS: Record<FailureCategory, string> = {
  'product-defect': 'The target answered, and the answer is not what the e-RS documentation says (an assertion failed).',
  'profile-violation': 'The target answered, and the body breaks a FHIR profile or the e-RS contract (see the validation findings).',
  'environment-fault': 'The target could not be tested: rate limited (429), a 5xx nobody asked for, a timeout or a connection error. Not a verdict on conformance.',
  'harness-error': 'The harness itself failed (a bug, bad configuration or an incomplete step). Not a verdict on the target.',
};
