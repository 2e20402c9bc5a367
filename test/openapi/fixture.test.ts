// The contract checker against a small OpenAPI 3.0 document built here: $ref kinds, nullable,
// readOnly/writeOnly, formats, parameters, finding caps, sources (file, URL, bad input).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createContract, loadContract, MAX_FINDINGS_PER_BODY, type ExchangeShape, type ContractFinding } from '../../src/openapi/index.ts';

const fixture = {
  openapi: '3.0.3',
  info: { title: 'fixture', version: '1' },
  servers: [{ url: 'https://api.example.test/base/FHIR' }],
  paths: {
    '/Thing/{id}': {
      parameters: [{ $ref: '#/components/parameters/Id' }],
      get: {
        operationId: 'get-thing',
        parameters: [
          { $ref: '#/components/parameters/Trace' },
          { in: 'header', name: 'Authorization', required: true, schema: { type: 'string' } },
          { in: 'query', name: 'count', schema: { type: 'integer', minimum: 1 } },
        ],
        responses: {
          '200': { $ref: '#/components/responses/ThingOK' },
          default: { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        },
      },
      put: {
        operationId: 'put-thing',
        requestBody: { $ref: '#/components/requestBodies/ThingBody' },
        responses: { '204': { description: 'no content' } },
      },
    },
    '/Thing/$special': { get: { operationId: 'special', responses: { '200': { description: 'ok' } } } },
    '/Pet': {
      get: {
        operationId: 'get-pet',
        parameters: [{ in: 'query', name: 'kind', required: true, schema: { type: 'string', enum: ['cat', 'dog'] } }],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } } },
      },
    },
    '/Broken': {
      get: { operationId: 'broken', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: 'other.yaml#/Thing' } } } } } },
    },
  },
  components: {
    parameters: {
      Id: { in: 'path', name: 'id', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } },
      Trace: { in: 'header', name: 'X-Trace', required: true, schema: { type: 'string', enum: ['on', 'off'] } },
    },
    responses: {
      ThingOK: {
        description: 'ok',
        headers: { ETag: { $ref: '#/components/headers/ETag' } },
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' }, examples: { a: { $ref: '#/components/examples/A' } } } },
      },
    },
    headers: { ETag: { required: true, schema: { type: 'string', pattern: '^W/"[0-9]+"$' } } },
    requestBodies: { ThingBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } },
    examples: { A: { value: { id: '1', name: 'x', kind: 'a' } } },
    schemas: {
      Thing: {
        type: 'object',
        required: ['id', 'name', 'kind'],
        example: { id: '1', name: 'n', kind: 'a' },
        properties: {
          id: { type: 'string', readOnly: true },
          name: { type: 'string', nullable: true },
          kind: { $ref: '#/components/schemas/Kind' },
          note: { allOf: [{ $ref: '#/components/schemas/Note' }], nullable: true },
          secret: { type: 'string', writeOnly: true },
          parts: { type: 'array', items: { $ref: '#/components/schemas/Part' } },
          when: { type: 'string', format: 'date-time', example: '2020-01-01T00:00:00Z' },
          legacy: { type: 'string', format: 'fhir-token' },
          size: { type: 'integer', format: 'int32', minimum: 0, exclusiveMinimum: true },
        },
      },
      Kind: { type: 'string', enum: ['a', 'b'], nullable: true },
      Note: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
      Part: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
      Problem: { type: 'object', required: ['code'], properties: { code: { type: 'string' } } },
      Pet: {
        oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }],
        discriminator: { propertyName: 'petType' },
      },
      Cat: { type: 'object', required: ['petType', 'purrs'], properties: { petType: { type: 'string', enum: ['Cat'] }, purrs: { type: 'boolean' } } },
      Dog: { type: 'object', required: ['petType', 'barks'], properties: { petType: { type: 'string', enum: ['Dog'] }, barks: { type: 'boolean' } } },
    },
  },
};

const contract = createContract(fixture, 'fixture');

function getThing(overrides: Partial<ExchangeShape> = {}): ExchangeShape {
  return {
    method: 'GET',
    url: '/Thing/1',
    requestHeaders: { 'X-Trace': 'on' },
    status: 200,
    responseHeaders: { ETag: 'W/"3"', 'Content-Type': 'application/json' },
    responseBody: { id: '1', name: 'n', kind: 'a' },
    ...overrides,
  };
}

const brief = (fs: ContractFinding[]) => fs.map((f) => `${f.severity} ${f.rule} ${f.path}`);

describe('operation matching', () => {
  test('strips the server base path, any facade prefix, query strings and percent-encoding', () => {
    const want = { operationId: 'get-thing', path: '/Thing/{id}' };
    assert.deepEqual(contract.operationFor('GET', 'https://api.example.test/base/FHIR/Thing/1?x=1'), want);
    assert.deepEqual(contract.operationFor('get', '/Thing/1'), want);
    assert.deepEqual(contract.operationFor('GET', 'http://127.0.0.1:9999/my/facade/Thing/1/'), want);
    assert.deepEqual(contract.operationFor('GET', '/Thing/%24special'), { operationId: 'special', path: '/Thing/$special' });
  });

  test('a literal segment beats a template segment', () => {
    assert.equal(contract.operationFor('GET', '/Thing/$special')?.operationId, 'special');
  });

  test('unknown path and undeclared method are openapi:unknown-operation warnings', () => {
    assert.deepEqual(brief(contract.check(getThing({ url: '/Nothing/here' }))), ['warning openapi:unknown-operation request']);
    const [wrongMethod] = contract.check(getThing({ method: 'DELETE' }));
    assert.equal(wrongMethod?.rule, 'openapi:unknown-operation');
    assert.match(wrongMethod?.message ?? '', /declared only for GET, PUT/);
  });

  test('operations() lists every method/path pair', () => {
    assert.deepEqual(
      contract.operations().map((o) => `${o.method} ${o.path} ${o.operationId}`),
      ['GET /Thing/{id} get-thing', 'PUT /Thing/{id} put-thing', 'GET /Thing/$special special', 'GET /Pet get-pet', 'GET /Broken broken'],
    );
  });
});

describe('$ref resolution and OAS 3.0 schema dialect', () => {
  test('a conforming exchange through parameter/response/header/schema refs has no findings', () => {
    assert.deepEqual(contract.check(getThing()), []);
  });

  test('nullable: null is accepted for a typed property, an enum and an allOf composition', () => {
    const body = { id: '1', name: null, kind: null, note: null };
    assert.deepEqual(contract.check(getThing({ responseBody: body })), []);
  });

  test('nullable does not allow other values: enum violation lists the allowed values', () => {
    const [f, ...rest] = contract.check(getThing({ responseBody: { id: '1', name: 'n', kind: 'c' } }));
    assert.deepEqual(rest, []);
    assert.equal(f?.rule, 'openapi:response-body');
    assert.equal(f?.path, 'response.body/kind');
    assert.match(f?.message ?? '', /must be one of "a", "b", null; got "c"/);
  });

  test('a required property behind a $ref is reported at its JSON pointer', () => {
    const fs = contract.check(getThing({ responseBody: { id: '1', name: 'n', kind: 'a', note: {} } }));
    assert.deepEqual(brief(fs), ['error openapi:response-body response.body/note/text']);
    assert.match(fs[0]?.message ?? '', /missing required property 'text'/);
  });

  test('readOnly properties are not required in a request body but are in a response', () => {
    const put: ExchangeShape = {
      method: 'PUT', url: '/Thing/1', requestHeaders: { 'content-type': 'application/json' },
      requestBody: { name: 'n', kind: 'b' }, status: 204, responseHeaders: {},
    };
    assert.deepEqual(contract.check(put), []);
    assert.deepEqual(brief(contract.check(getThing({ responseBody: { name: 'n', kind: 'a' } }))), ['error openapi:response-body response.body/id']);
  });

  test('writeOnly properties must not appear in a response', () => {
    const fs = contract.check(getThing({ responseBody: { id: '1', name: 'n', kind: 'a', secret: 's' } }));
    assert.deepEqual(brief(fs), ['error openapi:response-body response.body/secret']);
  });

  test('known formats are checked, unknown (custom) formats are annotations, boolean exclusiveMinimum works', () => {
    assert.deepEqual(contract.check(getThing({ responseBody: { id: '1', name: 'n', kind: 'a', legacy: 'anything at all' } })), []);
    const fs = contract.check(getThing({ responseBody: { id: '1', name: 'n', kind: 'a', when: 'yesterday', size: 0 } }));
    assert.deepEqual(brief(fs), ['error openapi:response-body response.body/when', 'error openapi:response-body response.body/size']);
    assert.match(fs[0]?.message ?? '', /valid date-time; got "yesterday"/);
  });

  test('oneOf with a discriminator validates through the alternatives', () => {
    const pet = (body: unknown): ExchangeShape => ({
      method: 'GET', url: '/Pet?kind=cat', requestHeaders: {}, status: 200,
      responseHeaders: { 'content-type': 'application/json; charset=utf-8' }, responseBody: body,
    });
    assert.deepEqual(contract.check(pet({ petType: 'Cat', purrs: true })), []);
    const fs = contract.check(pet({ petType: 'Fish' }));
    assert.deepEqual(brief(fs), ['error openapi:response-body response.body']);
    assert.match(fs[0]?.message ?? '', /matches none of the oneOf alternatives; for example: .*petType/);
  });

  test('findings per body are capped with a final "… N more"', () => {
    const parts = Array.from({ length: MAX_FINDINGS_PER_BODY + 10 }, () => ({}));
    const fs = contract.check(getThing({ responseBody: { id: '1', name: 'n', kind: 'a', parts } }));
    assert.equal(fs.length, MAX_FINDINGS_PER_BODY + 1);
    assert.equal(fs[0]?.path, 'response.body/parts/0/n');
    assert.deepEqual(fs.at(-1), { severity: 'error', rule: 'openapi:response-body', path: 'response.body', message: '… 10 more' });
  });

  test('an external $ref is a harness error naming the fix', () => {
    assert.throws(
      () => contract.check({ method: 'GET', url: '/Broken', requestHeaders: {}, status: 200, responseHeaders: { 'content-type': 'application/json' }, responseBody: {} }),
      /external \$ref 'other\.yaml#\/Thing'.*Bundle the specification/,
    );
  });
});

describe('status, content type, headers and parameters', () => {
  test('an undeclared status falls back to default when there is one', () => {
    assert.deepEqual(contract.check(getThing({ status: 404, responseHeaders: { 'content-type': 'application/json' }, responseBody: { code: 'x' } })), []);
    const put: ExchangeShape = { method: 'PUT', url: '/Thing/1', requestHeaders: { 'content-type': 'application/json' }, requestBody: { name: 'n', kind: 'a' }, status: 200, responseHeaders: {} };
    const fs = contract.check(put);
    assert.deepEqual(brief(fs), ['error openapi:status response.status']);
    assert.match(fs[0]?.message ?? '', /HTTP 200 is not a declared response of put-thing; declared: 204/);
  });

  test('content type: undeclared media type, missing Content-Type, body where none is declared', () => {
    assert.deepEqual(brief(contract.check(getThing({ responseHeaders: { ETag: 'W/"3"', 'Content-Type': 'text/html' } }))), ['error openapi:content-type response.header.Content-Type']);
    assert.deepEqual(brief(contract.check(getThing({ responseHeaders: { ETag: 'W/"3"' } }))), ['error openapi:content-type response.header.Content-Type']);
    const put: ExchangeShape = { method: 'PUT', url: '/Thing/1', requestHeaders: { 'content-type': 'application/json' }, requestBody: { name: 'n', kind: 'a' }, status: 204, responseHeaders: { 'content-type': 'application/json' }, responseBody: { x: 1 } };
    assert.deepEqual(brief(contract.check(put)), ['warning openapi:content-type response.body']);
  });

  test('request body: missing when required, wrong media type, invalid JSON text', () => {
    const base: ExchangeShape = { method: 'PUT', url: '/Thing/1', requestHeaders: {}, status: 204, responseHeaders: {} };
    assert.deepEqual(brief(contract.check(base)), ['error openapi:request-body request.body']);
    assert.deepEqual(brief(contract.check({ ...base, requestBody: 'a=b', requestContentType: 'application/x-www-form-urlencoded' })), ['error openapi:content-type request.header.Content-Type']);
    const fs = contract.check({ ...base, requestBody: '{not json', requestContentType: 'application/json' });
    assert.deepEqual(brief(fs), ['error openapi:request-body request.body']);
    assert.match(fs[0]?.message ?? '', /not JSON/);
    assert.deepEqual(brief(contract.check({ ...base, requestBody: { name: 5, kind: 'a' }, requestContentType: 'application/json' })), ['error openapi:request-body request.body/name']);
  });

  test('header names match case-insensitively; values are checked against their schema', () => {
    assert.deepEqual(contract.check(getThing({ requestHeaders: { 'x-trace': 'off' }, responseHeaders: { etag: 'W/"3"', 'content-type': 'application/json' } })), []);
    assert.deepEqual(brief(contract.check(getThing({ requestHeaders: {} }))), ['error openapi:request-header request.header.X-Trace']);
    const bad = contract.check(getThing({ requestHeaders: { 'X-TRACE': 'maybe' }, responseHeaders: { ETag: '"3"', 'content-type': 'application/json' } }));
    assert.deepEqual(brief(bad), ['error openapi:request-header request.header.X-Trace', 'error openapi:response-header response.header.ETag']);
    assert.match(bad[1]?.message ?? '', /must match the pattern/);
  });

  test('Authorization header parameters are ignored (OAS 3.0: described by the security scheme)', () => {
    assert.deepEqual(contract.check(getThing({ requestHeaders: { 'X-Trace': 'on' } })), []);
  });

  test('a missing required response header is reported', () => {
    assert.deepEqual(brief(contract.check(getThing({ responseHeaders: { 'content-type': 'application/json' } }))), ['error openapi:response-header response.header.ETag']);
  });

  test('query parameters: required, coerced to their type, enum; path parameters against their schema', () => {
    assert.deepEqual(contract.check(getThing({ url: '/Thing/1?count=3' })), []);
    assert.deepEqual(brief(contract.check(getThing({ url: '/Thing/1?count=zero' }))), ['error openapi:query-parameter request.query.count']);
    assert.deepEqual(brief(contract.check(getThing({ url: '/Thing/1?count=0' }))), ['error openapi:query-parameter request.query.count']);
    const pet: ExchangeShape = { method: 'GET', url: '/Pet', requestHeaders: {}, status: 200, responseHeaders: {} };
    assert.deepEqual(brief(contract.check(pet)), ['error openapi:query-parameter request.query.kind']);
    assert.deepEqual(brief(contract.check({ ...pet, url: '/Pet?kind=fish' })), ['error openapi:query-parameter request.query.kind']);
    assert.deepEqual(brief(contract.check(getThing({ url: '/Thing/abc' }))), ['error openapi:path-parameter request.path.id']);
  });
});

describe('sources', () => {
  let dir = '';
  let server: Server | undefined;
  let baseUrl = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ers-openapi-'));
    server = createServer((req, res) => {
      if (req.url === '/spec.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(fixture));
      } else {
        res.writeHead(404).end('not found');
      }
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  test('loads from a JSON file, a YAML file and an http URL', async () => {
    const json = join(dir, 'spec.json');
    await writeFile(json, JSON.stringify(fixture));
    assert.equal((await loadContract(json)).operations().length, 5);
    const yaml = join(dir, 'spec.yaml');
    await writeFile(yaml, 'openapi: 3.0.0\ninfo: {title: y, version: "1"}\npaths:\n  /A:\n    get:\n      operationId: a\n      responses: {"200": {description: ok}}\n');
    assert.deepEqual((await loadContract(yaml)).operations(), [{ operationId: 'a', method: 'GET', path: '/A' }]);
    assert.equal((await loadContract(`${baseUrl}/spec.json`)).operations().length, 5);
  });

  test('a missing file names the path and the fix', async () => {
    const missing = join(dir, 'nope', 'openapi.json');
    await assert.rejects(loadContract(missing), (e: Error) => e.message.includes(missing) && /does not exist.*ERS_OPENAPI/.test(e.message));
  });

  test('a file that is neither JSON nor YAML is rejected naming the file', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{ "openapi": "3.0.0", \n  : : [');
    await assert.rejects(loadContract(bad), (e: Error) => e.message.includes(bad) && /not valid JSON/.test(e.message));
  });

  test('a JSON file that is not OpenAPI 3 is rejected with what was found', async () => {
    const swagger = join(dir, 'swagger.json');
    await writeFile(swagger, JSON.stringify({ swagger: '2.0', paths: {} }));
    await assert.rejects(loadContract(swagger), (e: Error) => e.message.includes(swagger) && /not an OpenAPI 3 document \(found swagger 2\.0\)/.test(e.message));
    const text = join(dir, 'notes.txt');
    await writeFile(text, 'just some words');
    await assert.rejects(loadContract(text), /not an OpenAPI 3 document \(found string\)/);
  });

  test('an http error names the URL and the status', async () => {
    await assert.rejects(loadContract(`${baseUrl}/missing.json`), (e: Error) => e.message.includes(`${baseUrl}/missing.json`) && /HTTP 404/.test(e.message));
  });

  test('importing the module prints nothing', async () => {
    const moduleUrl = new URL('../../src/openapi/index.ts', import.meta.url).href;
    const cwd = fileURLToPath(new URL('../../', import.meta.url));
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `await import(${JSON.stringify(moduleUrl)})`], { cwd });
    assert.equal(stdout, '');
    assert.equal(stderr, '');
  });
});
