// The peer for bench/serve-memory.ts: a bare node:http server that parses every POST body and keeps it for ever, as
// the simulator's store did before it had limits. Answers 201 with a fixed body; GET answers 200 with the count kept.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const kept: unknown[] = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'POST') {
      try {
        kept.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        kept.push(Buffer.concat(chunks).toString('utf8'));
      }
    }
    const body = JSON.stringify({ kept: kept.length });
    res.writeHead(req.method === 'POST' ? 201 : 200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
    res.end(body);
  });
});
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
