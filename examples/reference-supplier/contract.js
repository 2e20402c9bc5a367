// The supplier's side of ers-conformance-driver/1: every request the harness sends and every answer this
// driver gives is checked against the contract's JSON Schema (the same file the harness checks with).
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';

export const PROTOCOL = 'ers-conformance-driver/1';
const schema = JSON.parse(readFileSync(new URL('../../src/supplier/driver-contract.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: true });
(ajvFormats.default ?? ajvFormats)(ajv);
ajv.addSchema(schema, 'driver');
const checkRequest = ajv.getSchema('driver#/definitions/request');
const checkAnswer = ajv.getSchema('driver#/definitions/answer');

function problems(validate, value) {
  return validate(value) ? [] : validate.errors.map((e) => `${e.instancePath || '(root)'} ${e.message}`);
}

export const requestProblems = (value) => problems(checkRequest, value);
export const answerProblems = (value) => problems(checkAnswer, value);
