// The object store A042 redirects to: GET /_objectstore/{token} answers the file's bytes while the short-lived link is
// valid. Like a pre-signed URL it needs no access token (the token in the path is the permission).
import type { SimRequest, SimResponse } from './http-types.ts';
import { rfc5987Disposition } from './domain/attachments.ts';
import type { Store } from './store.ts';

export const OBJECT_STORE_PREFIX = '/_objectstore/';

const text = (status: number, body: string): SimResponse => ({ status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body });

/** The object store's answer, or undefined when the request is not for it. */
export function handleObjectStore(req: SimRequest, store: Store, now: Date): SimResponse | undefined {
  if (!req.path.startsWith(OBJECT_STORE_PREFIX)) return undefined;
  if (req.method !== 'GET' && req.method !== 'HEAD') return { ...text(405, `the object store answers GET only, not ${req.method}`), headers: { 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, HEAD' } };
  const token = req.path.slice(OBJECT_STORE_PREFIX.length);
  const link = store.downloads.get(token);
  if (!link) return text(404, 'no such object: ask A042 for a new link');
  if (Date.parse(link.expires) <= now.getTime()) {
    store.downloads.delete(token);
    return text(403, `the link expired at ${link.expires}: request a new redirect (A042) for each download`);
  }
  const file = store.binaries.get(link.binaryId);
  if (!file) return text(404, 'the object is no longer stored');
  return {
    status: 200,
    headers: { 'Content-Type': file.contentType, 'Content-Disposition': rfc5987Disposition(file.fileName), 'Cache-Control': 'no-store' },
    body: file.bytes,
  };
}
