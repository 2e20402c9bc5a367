// The ceiling for bench/serve-load.ts: a bare node:http server answering every GET with one static body and every
// POST (after reading the request body) with another, with the same headers the simulator sends. No routing, no auth.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const [readFile, createFile] = process.argv.slice(2);
if (!readFile || !createFile) throw new Error('usage: static-peer.ts READ_BODY_FILE CREATE_BODY_FILE');
const readBody = readFileSync(readFile);
const createBody = readFileSync(createFile);

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = req.method === 'POST' ? createBody : readBody;
    res.writeHead(req.method === 'POST' ? 201 : 200, {
      'Content-Type': 'application/fhir+json',
      ETag: 'W/"1"',
      'X-Request-ID': randomUUID(),
      ...(typeof req.headers['x-correlation-id'] === 'string' ? { 'X-Correlation-ID': req.headers['x-correlation-id'] } : {}),
      'Content-Length': String(body.length),
    });
    res.end(body);
  });
});
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
