// The harness's PDF check (src/http/pdf.ts): a real parser opens valid PDFs of every shape e-RS sends — pdfkit's
// (the simulator), iText's with /ID [<…><…>] trailers (the NHS sandbox), PDF 1.5 cross-reference streams — and names
// the problem for anything a reader cannot open; huge and hostile files cost at most the limits.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createPdfInspector } from '../../src/http/pdf.ts';
import { minimalPdf } from '../../src/simulator/pdf.ts';

// the NHS material beside the repository (../shared), as the other tests that need it read it
const SANDBOX_PDF = fileURLToPath(new URL('../../../shared/ers-api/examples/stu3/retrieveAdviceAndGuidanceOverviewPdf/responses/000049146177_Advice_And_Guidance_20220610143044.pdf', import.meta.url));

/** A PDF 1.5 whose cross-reference table is a cross-reference stream (no `xref` keyword, no `trailer`), built byte-exact. */
export function xrefStreamPdf(text: string): Buffer {
  const content = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  let out = '%PDF-1.5\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xrefAt = out.length;
  const rows = [[0, 0, 255], ...offsets.map((o) => [1, o, 0]), [1, xrefAt, 0]];
  const bin = Buffer.concat(rows.map(([t, o, g]) => Buffer.from([t!, (o! >> 24) & 255, (o! >> 16) & 255, (o! >> 8) & 255, o! & 255, g!])));
  const head = `${objects.length + 1} 0 obj\n<< /Type /XRef /Size ${objects.length + 2} /W [1 4 1] /Root 1 0 R /Length ${bin.length} >>\nstream\n`;
  return Buffer.concat([Buffer.from(out + head, 'latin1'), bin, Buffer.from(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1')]);
}

describe('the PDF check opens what a reader opens', () => {
  // A hang guard only (the time limit has its own test below): generous, as the worker loads pdf.js first and
  // npm test runs test files side by side.
  const pdfs = createPdfInspector({ timeoutMs: 60_000 });
  after(() => pdfs.close());

  it("the simulator's pdfkit PDF: pages, text, no problems", async () => {
    const r = await pdfs.inspect(minimalPdf('NHS e-Referral Service: your referral', ['UBRN 300000100001', 'Zoë (ü) back\\slash'], new Date(0)));
    assert.deepEqual(r.problems, []);
    assert.equal(r.ok, true);
    assert.equal(r.pages, 1);
    assert.match(r.text, /300000100001/);
    assert.match(r.text, /Zoë \(ü\) back\\slash/);
  });

  it('a long document runs onto more pages', async () => {
    const r = await pdfs.inspect(minimalPdf('Long', Array.from({ length: 200 }, (_, i) => `line ${i}`), new Date(0)));
    assert.ok((r.pages ?? 0) > 2, `pages ${r.pages}`);
  });

  it('a PDF 1.5 cross-reference stream', async () => {
    const r = await pdfs.inspect(xrefStreamPdf('stream xref 000049146177'));
    assert.deepEqual([r.ok, r.problems, r.version], [true, [], '1.5']);
    assert.match(r.text, /000049146177/);
  });

  it("the NHS sandbox's iText PDF with an /ID [<…><…>] trailer", { skip: existsSync(SANDBOX_PDF) ? false : `${SANDBOX_PDF} is absent` }, async () => {
    const bytes = readFileSync(SANDBOX_PDF);
    assert.match(bytes.toString('latin1'), /\/ID \[<[0-9a-f]+><[0-9a-f]+>\]/, 'the fixture is the iText shape this test is about');
    const r = await pdfs.inspect(bytes);
    assert.deepEqual([r.ok, r.problems], [true, []]);
    assert.match(r.text, /Advice Conversation/);
  });

  const bad: [string, Buffer, RegExp][] = [
    ['an empty body', Buffer.alloc(0), /empty/],
    ['HTML', Buffer.from('<html><body>Not Found</body></html>'), /no %PDF- header/],
    ['a header and nothing else', Buffer.from('%PDF-1.7\n'), /cannot open/],
    ['garbage after a header', Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(4000, 0x41)]), /cannot open/],
  ];
  for (const [name, bytes, problem] of bad) {
    it(`${name} is not a PDF, and the problem says why`, async () => {
      const r = await pdfs.inspect(bytes);
      assert.equal(r.ok, false);
      assert.match(r.problems.join('; '), problem);
    });
  }

  it('a PDF cut short opens only by repair: the parser says what it rebuilt', async () => {
    const whole = minimalPdf('Cut', ['text'], new Date(0));
    const r = await pdfs.inspect(whole.subarray(0, whole.length - 200));
    assert.ok(!r.ok || r.warnings.length > 0, `a truncated file is either refused or reported as repaired: ${JSON.stringify(r)}`);
  });
});

describe('the PDF check is bounded', () => {
  it('a body over the size limit is not parsed', async () => {
    const pdfs = createPdfInspector({ maxBytes: 1000 });
    const r = await pdfs.inspect(minimalPdf('x', Array.from({ length: 50 }, () => 'padding padding padding'), new Date(0)));
    await pdfs.close();
    assert.equal(r.ok, false);
    assert.match(r.problems[0]!, /more than the 1000 bytes/);
  });

  it('a document that takes too long is stopped, and the next one is read by a fresh worker', async () => {
    const pdfs = createPdfInspector({ timeoutMs: 1 });
    const slow = await pdfs.inspect(minimalPdf('x', ['y'], new Date(0)));
    assert.equal(slow.ok, false);
    assert.match(slow.problems[0]!, /longer than 1 ms/);
    await pdfs.close();
    const again = createPdfInspector();
    assert.equal((await again.inspect(minimalPdf('x', ['y'], new Date(0)))).ok, true);
    await again.close();
  });

  it('concurrent documents are read one after another, each with its own answer', async () => {
    const pdfs = createPdfInspector();
    const [a, b] = await Promise.all([pdfs.inspect(minimalPdf('first', ['AAA111'], new Date(0))), pdfs.inspect(xrefStreamPdf('BBB222'))]);
    await pdfs.close();
    assert.match(a.text, /AAA111/);
    assert.match(b.text, /BBB222/);
  });
});
