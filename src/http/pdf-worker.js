// Worker thread for src/http/pdf.ts: parses one PDF at a time with pdfjs-dist (Mozilla's PDF.js, v5, ESM legacy build for
// Node) so that a huge or malicious file can be stopped (terminate) and bounded in memory (resourceLimits) without
// touching the harness. Plain JavaScript: the worker starts without the TypeScript loader.
import { parentPort } from 'node:worker_threads';

const pdfjsLoading = import('pdfjs-dist/legacy/build/pdf.mjs');

// PDF.js reports what it had to repair through console.log ("Warning: ..."); keep those as the document's warnings.
let warnings = [];
const collect = (...args) => {
  if (warnings.length < 20) warnings.push(args.map(String).join(' ').replace(/^Warning:\s*/, ''));
};
console.log = collect;
console.warn = collect;
console.info = () => {};

parentPort.on('message', async (job) => {
  warnings = [];
  const reply = { id: job.id, ok: false, problems: [], warnings: [], text: '' };
  let doc;
  try {
    const pdfjs = await pdfjsLoading;
    const task = pdfjs.getDocument({
      data: new Uint8Array(job.bytes),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      disableAutoFetch: true,
      stopAtErrors: true,
      verbosity: pdfjs.VerbosityLevel.WARNINGS,
    });
    doc = await task.promise;
    reply.pages = doc.numPages;
    const meta = await doc.getMetadata().catch(() => undefined);
    if (meta?.info?.PDFFormatVersion) reply.version = String(meta.info.PDFFormatVersion);
    const parts = [];
    let length = 0;
    for (let n = 1; n <= Math.min(doc.numPages, job.maxPages) && length < job.maxTextChars; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const text = content.items.map((i) => ('str' in i ? i.str : '')).join(' ');
      parts.push(text);
      length += text.length;
      page.cleanup();
    }
    reply.text = parts.join('\n').slice(0, job.maxTextChars);
    reply.ok = true;
  } catch (err) {
    reply.problems.push(`a PDF reader cannot open it: ${err?.name ?? 'Error'}: ${err?.message ?? String(err)}`);
  } finally {
    await doc?.destroy().catch(() => {});
  }
  reply.warnings = warnings;
  parentPort.postMessage(reply);
});
