// node:http plumbing: reads the request (bounded), runs control routes or the pipeline, writes the answer.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControl, type ControlDeps } from './control.ts';
import type { SimRequest, SimResponse } from './http-types.ts';
import { runPipeline, type PipelineDeps } from './pipeline.ts';

export interface ServerDeps {
  pipeline: PipelineDeps;
  control: ControlDeps;
  /** the identity service: /oauth2/token and the stand-in CIS2 (undefined for other paths) */
  oauth?: { handle(req: SimRequest): Promise<SimResponse | undefined> };
}

export async function listen(deps: () => ServerDeps, host: string, port: number): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    void serve(req, res, deps());
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return { server, origin: `http://${hostPart}:${actual}` };
}

async function serve(req: IncomingMessage, res: ServerResponse, deps: ServerDeps): Promise<void> {
  const started = process.hrtime.bigint();
  const { log, maxBodyBytes } = deps.pipeline;
  try {
    const simReq = await readRequest(req, maxBodyBytes);
    const answer: SimResponse & { operationId?: string } = (await deps.oauth?.handle(simReq)) ?? handleControl(simReq, deps.control) ?? (await runPipeline(simReq, deps.pipeline));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (answer.destroySocket) {
      log(`${simReq.method} ${simReq.path} reset ${ms.toFixed(1)}ms${answer.operationId ? ` ${answer.operationId}` : ''}`);
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string> = { ...answer.headers, 'X-Request-ID': randomUUID() };
    const correlationId = req.headers['x-correlation-id'];
    if (typeof correlationId === 'string') headers['X-Correlation-ID'] = correlationId;
    const body = answer.body ?? '';
    headers['Content-Length'] = String(Buffer.byteLength(body));
    res.writeHead(answer.status, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    log(`${simReq.method} ${simReq.path} ${answer.status} ${ms.toFixed(1)}ms${answer.operationId ? ` ${answer.operationId}` : ''}`);
  } catch (err) {
    log(`simulator transport error: ${(err as Error).message}`);
    if (!res.headersSent) {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Internal simulator error');
    } else res.destroy();
  }
}

function readRequest(req: IncomingMessage, maxBodyBytes: number): Promise<SimRequest> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // keep draining so the client can read our 413, but stop storing
      if (size > maxBodyBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://simulator.invalid');
      resolve({
        method: (req.method ?? 'GET').toUpperCase(),
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks),
        bodyTooLarge: tooLarge,
      });
    });
  });
}
