// The simulator's PDFs (A019 patient letter, A007 clinical information, A043 A&G overview), generated with pdfkit:
// A4, Helvetica, the text wrapped and paginated by the library, document info dated by the simulator's clock.
import PDFDocument from 'pdfkit';
import { ErsError } from './errors.ts';
import { header, type SimRequest, type SimResponse } from './http-types.ts';

/** A4 pages with a title and lines of text (long lines wrap, long documents run onto more pages); opens in any PDF reader. */
export function minimalPdf(title: string, lines: string[], created: Date): Buffer {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: title, Producer: 'e-RS simulator', Creator: 'e-RS simulator', CreationDate: created, ModDate: created },
  });
  doc.font('Helvetica-Bold').fontSize(16).text(title);
  doc.moveDown(0.5);
  doc.font('Helvetica').fontSize(11);
  for (const line of lines) doc.text(line === '' ? ' ' : line);
  doc.end();
  // pdfkit writes into its readable side synchronously; read it all back without waiting for events
  const chunks: Buffer[] = [];
  for (let chunk = doc.read() as Buffer | null; chunk !== null; chunk = doc.read() as Buffer | null) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const ACCEPTS_PDF = new Set(['application/pdf', 'application/*', '*/*']);

/** 406 (plain text, as e-RS answers it) unless Accept is absent or admits application/pdf with q > 0. */
export function checkAcceptsPdf(req: SimRequest, what: string): void {
  const accept = header(req, 'accept');
  if (!accept?.trim()) return;
  const ok = accept.split(',').some((part) => {
    const [type = '', ...rest] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = rest.find((p) => p.startsWith('q='));
    return ACCEPTS_PDF.has(type) && (q ? Number(q.slice(2)) > 0 : true);
  });
  if (!ok) throw new ErsError(406, 'not-supported', 'INVALID_VALUE', `Not Acceptable: ${what} is application/pdf, the Accept header asked for '${accept}'`, { stu3Body: 'text' });
}

/** 200 application/pdf offered as a download named `filename`. */
export function pdfAttachment(pdf: Buffer, filename: string): SimResponse {
  return { status: 200, headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="${filename}"` }, body: pdf };
}

/** The {timestamp} of e-RS file names: yyyyMMddHHmmss (UTC). */
export function fileStamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
