// Node 20's test runner only discovers *.test.{js,mjs,cjs} when given a folder; this entry point loads the
// TypeScript test files (through tsx, `node --import tsx --test test/fhir/`).
import './mutations.test.ts';
import './examples.test.ts';
import './units.test.ts';
