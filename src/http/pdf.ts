// Every PDF the harness receives (A007, A019, A043, attachments) is opened with a real PDF parser, pdfjs-dist (Mozilla's
// PDF.js), not pattern-matched: iText trailers with /ID [<…><…>], PDF 1.5 cross-reference streams and object streams
// read as any viewer reads them, and a file a viewer cannot open is a problem named in the report. The parsing runs in a
// worker thread with a time limit, a memory limit and a page limit, so a huge or hostile file costs at most those.
import { Worker } from 'node:worker_threads';

export interface PdfLimits {
  /** larger bodies are not parsed (a problem says so) */
  maxBytes: number;
  /** wall-clock time for one document; the worker is stopped when it runs over */
  timeoutMs: number;
  /** pages whose text is extracted (all pages are counted) */
  maxPages: number;
  /** characters of text kept */
  maxTextChars: number;
  /** heap limit of the parsing worker */
  memoryMb: number;
}

export const DEFAULT_PDF_LIMITS: PdfLimits = { maxBytes: 20 * 1024 * 1024, timeoutMs: 15_000, maxPages: 50, maxTextChars: 200_000, memoryMb: 256 };

export interface PdfReport {
  /** true when a PDF reader opens it: no problems */
  ok: boolean;
  /** why a reader would not open it; [] when it opens */
  problems: string[];
  /** what the parser had to repair on the way (e.g. a broken cross-reference table it rebuilt) */
  warnings: string[];
  pages?: number;
  /** PDF version from the header, e.g. 1.7 */
  version?: string;
  /** text of the first maxPages pages, for checks such as "the letter names the UBRN" */
  text: string;
}

export interface PdfInspector {
  inspect(bytes: Buffer | Uint8Array): Promise<PdfReport>;
  close(): Promise<void>;
}

interface Reply { id: number; ok: boolean; problems: string[]; warnings: string[]; text: string; pages?: number; version?: string }

const WORKER_URL = new URL('./pdf-worker.js', import.meta.url);

/** One parsing worker, started on first use and restarted after a document it had to be stopped for. */
export function createPdfInspector(limits: Partial<PdfLimits> = {}): PdfInspector {
  const lim: PdfLimits = { ...DEFAULT_PDF_LIMITS, ...limits };
  let worker: Worker | undefined;
  let nextId = 1;
  // one document at a time: a worker is single-threaded anyway, and the time limit must measure only its own document
  let queue: Promise<unknown> = Promise.resolve();

  const start = (): Worker => {
    const w = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: lim.memoryMb, maxYoungGenerationSizeMb: 32 }, stdout: true, stderr: true });
    // PDF.js chatter is collected inside the worker; anything else it prints is not the harness's output
    w.stdout.resume();
    w.stderr.resume();
    w.unref();
    return w;
  };

  const parse = (bytes: Uint8Array): Promise<PdfReport> =>
    new Promise((resolve) => {
      const w = (worker ??= start());
      const id = nextId++;
      const done = (report: PdfReport, stop = false) => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        w.unref();
        if (stop) {
          worker = undefined;
          void w.terminate();
        }
        resolve(report);
      };
      const onMessage = (r: Reply) => {
        if (r.id !== id) return;
        done({ ok: r.ok && r.problems.length === 0, problems: r.problems, warnings: r.warnings, text: r.text, ...(r.pages !== undefined ? { pages: r.pages } : {}), ...(r.version ? { version: r.version } : {}) });
      };
      const onError = (err: Error) => {
        const memory = /heap|memory/i.test(err.message) || (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
        done(failed(memory ? `reading it needed more than the ${lim.memoryMb} MB the PDF check allows; treated as not openable` : `the PDF parser failed on it: ${err.message}`), true);
      };
      const onExit = (code: number) => done(failed(`the PDF parser stopped (exit ${code}) while reading it`), true);
      const timer = setTimeout(() => done(failed(`reading it took longer than ${lim.timeoutMs} ms, the PDF check's limit; treated as not openable`), true), lim.timeoutMs);
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.ref();
      const copy = Uint8Array.from(bytes);
      w.postMessage({ id, bytes: copy.buffer, maxPages: lim.maxPages, maxTextChars: lim.maxTextChars }, [copy.buffer]);
    });

  return {
    inspect(bytes) {
      const pre = precheck(bytes, lim);
      if (pre) return Promise.resolve(failed(pre));
      const run = queue.then(() => parse(bytes));
      queue = run.catch(() => undefined);
      return run;
    },
    async close() {
      const w = worker;
      worker = undefined;
      await w?.terminate();
    },
  };
}

function failed(problem: string): PdfReport {
  return { ok: false, problems: [problem], warnings: [], text: '' };
}

/** What is wrong before any parsing: empty, over the size limit, or no %PDF- header in the first 1024 bytes (ISO 32000-1, 7.5.2). */
function precheck(bytes: Uint8Array, lim: PdfLimits): string | undefined {
  if (bytes.length === 0) return 'the body is empty, not a PDF';
  if (bytes.length > lim.maxBytes) return `the body is ${bytes.length} bytes, more than the ${lim.maxBytes} bytes the PDF check reads; not parsed`;
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (!head.includes('%PDF-')) return `no %PDF- header in the first 1024 bytes (it starts ${JSON.stringify(head.slice(0, 16))}): not a PDF`;
  return undefined;
}
