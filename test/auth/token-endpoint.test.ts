// The harness reading a token endpoint's answer: bounded in size and time, whatever the server does.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createTokenPoster, issuedToken, MAX_TOKEN_RESPONSE_BYTES } from '../../src/auth/token-endpoint.ts';
import { EnvironmentFault } from '../../src/evidence/errors.ts';

let server: Server;
let base: string;
const form = { grant_type: 'client_credentials', client_assertion_type: 'x', client_assertion: 'y' };

before(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/ok') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'abc', expires_in: '599', token_type: 'Bearer' }));
      } else if (req.url === '/huge') {
        // a reply that would go on for gigabytes: chunks until the client goes away
        res.writeHead(200, { 'Content-Type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        const pump = (): void => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        res.on('close', () => res.removeAllListeners('drain'));
        pump();
      } else if (req.url === '/stall') {
        // headers, a few bytes, then nothing more, ever
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"access_token":');
      } else if (req.url === '/silent') {
        // never answers at all
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

describe('token endpoint answers are read within bounds', () => {
  const post = createTokenPoster(500);

  it('a normal answer is read and its token taken', async () => {
    // its own generous limit: the 500 ms ones are for the answers that never end, and test files run side by side
    const answer = await createTokenPoster(30_000)(`${base}/ok`, form);
    assert.equal(issuedToken(answer, 'test').accessToken, 'abc');
  });

  it('an answer larger than the limit is abandoned with an environment fault naming the limit', async () => {
    await assert.rejects(post(`${base}/huge`, form), (err: Error) => {
      assert.ok(err instanceof EnvironmentFault, String(err));
      assert.match(err.message, new RegExp(`more than ${MAX_TOKEN_RESPONSE_BYTES} bytes`));
      assert.match(err.message, /ERS_TOKEN_URL/);
      return true;
    });
  });

  it('an answer that starts and never finishes ends in an environment fault at the timeout', async () => {
    await assert.rejects(post(`${base}/stall`, form), (err: Error) => err instanceof EnvironmentFault && /no complete answer within 500 ms/.test(err.message));
  });

  it('a server that never answers ends in an environment fault at the timeout', async () => {
    await assert.rejects(post(`${base}/silent`, form), (err: Error) => err instanceof EnvironmentFault && /no complete answer within 500 ms/.test(err.message));
  });
});
