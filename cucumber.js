// Cucumber profiles. `ers-conformance run` picks the profile named after the target and adds the
// reporters; running cucumber-js directly works too (`npx cucumber-js -p sandbox`), with
// ERS_TARGET set to match the profile.
const common = {
  paths: ['features/**/*.feature'],
  import: ['support/**/*.ts', 'steps/**/*.ts'],
  strict: true,
  tags: 'not @wip',
};

export default { ...common };

// The NHS sandbox answers only its documented example inputs: run the scenarios written for it.
export const sandbox = { ...common, tags: '@sandbox and not @wip' };

// INT: retries only where @flaky allows them; simulator-only scenarios are skipped with the reason.
export const int = { ...common, retry: 1, retryTagFilter: '@flaky' };

// CI: same selection as the default, never colour, fail on anything undefined or pending.
export const ci = { ...common, strict: true, formatOptions: { colorsEnabled: false } };
