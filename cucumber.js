// Cucumber profiles. `ers-conformance run` picks the profile named after the target, adds the reporters
// and passes the whole tag expression itself (ERS_TAGS, plus @sandbox on the sandbox), so the profiles'
// own default selection applies only when cucumber-js is run directly (`ERS_TARGET=sandbox npx cucumber-js -p sandbox`).
const selection = (tags) => (process.env.ERS_CLI_TAGS ? {} : { tags });
// cucumber-js adds the command line's paths to the profile's instead of replacing them, so
// `cucumber-js features/x.feature:21` would still run everything: the whole suite is the default
// only when no feature path (or @rerun file) is named on the command line.
const namesPaths = process.argv.slice(2).some((a) => /\.feature(:\d+)*$/.test(a) || /^@.+\.txt$/.test(a));
const common = {
  ...(namesPaths ? {} : { paths: ['features/**/*.feature'] }),
  import: ['support/**/*.ts', 'steps/**/*.ts'],
  strict: true,
};

export default { ...common, ...selection('not @wip') };

// The NHS sandbox answers only its documented example inputs: run the scenarios written for it.
export const sandbox = { ...common, ...selection('@sandbox and not @wip') };

// INT: retries only where @flaky allows them; simulator-only scenarios are skipped with the reason.
export const int = { ...common, ...selection('not @wip'), retry: 1, retryTagFilter: '@flaky' };

// CI: same selection as the default, never colour, fail on anything undefined or pending.
export const ci = { ...common, ...selection('not @wip'), formatOptions: { colorsEnabled: false } };
