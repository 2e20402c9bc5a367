// Developer aid: look at the evidence as a reviewer would. Opens the SCAL matrix and the Allure report of a
// reports folder (or an unzipped evidence pack) in headless Chromium and saves screenshots: the matrix, the
// report overview, its failure categories, its trend graphs, and one scenario (the first that did not pass,
// or the one named) with its request/response and validation attachments open, and its history.
// Fails if either page tries to reach the network.
// Usage: node --import tsx scripts/screenshot-evidence.ts [reports-dir] [scenario name substring] [out-dir]
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';

const [reportsArg = 'reports', needle, outArg = '/tmp'] = process.argv.slice(2);
const reports = resolve(reportsArg);
const out = resolve(outArg);
const results = JSON.parse(readFileSync(join(reports, 'allure-report', 'test-results.json'), 'utf8')) as { byId: Record<string, { id: string; name: string; status: string }> };
const all = Object.values(results.byId);
const scenario = needle ? all.find((r) => r.name.includes(needle)) : all.find((r) => r.status === 'failed') ?? all.find((r) => r.status !== 'passed');
if (!scenario) throw new Error(needle ? `no scenario named like "${needle}" in the report` : 'every scenario passed: name one to look at');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
const external: string[] = [];
page.on('request', (r) => {
  if (!/^(file|data|blob):/.test(r.url())) external.push(r.url());
});
const saved: string[] = [];
const shot = async (p: Page, name: string, fullPage = false): Promise<void> => {
  await p.waitForTimeout(600);
  await p.screenshot({ path: join(out, name), fullPage });
  saved.push(name);
};
const report = `file://${join(reports, 'allure-report', 'index.html')}`;

await page.goto(`file://${join(reports, 'scal-matrix.html')}`);
await shot(page, 'evidence-matrix.png');
await page.goto(`file://${join(reports, 'scal-matrix.html')}#req-A005-OP`);
await shot(page, 'evidence-matrix-row.png');

await page.goto(report);
await page.waitForTimeout(1200);
await shot(page, 'evidence-report-overview.png');
await page.getByText('Categories', { exact: false }).first().click();
await shot(page, 'evidence-report-categories.png');
await page.getByText('Report', { exact: true }).first().click();
await page.getByText('Graphs', { exact: true }).first().click();
await page.waitForTimeout(1200);
await shot(page, 'evidence-report-graphs.png');

await page.goto(`${report}#${scenario.id}`);
await page.waitForTimeout(1200);
await shot(page, 'evidence-scenario.png');
// Open every step that made a request, then every attachment (exchange text, validation findings).
const steps = page.locator('[data-testid="test-result-step-title"]', { hasText: /^(When|And|Given) / });
for (let i = 0; i < (await steps.count()); i++) await steps.nth(i).click();
const attachments = page.locator('[data-testid="test-result-attachment-header"]');
for (let i = 0; i < (await attachments.count()); i++) await attachments.nth(i).click();
await page.waitForTimeout(600);
const firstAttachment = attachments.first();
if (await firstAttachment.count()) await firstAttachment.scrollIntoViewIfNeeded();
await shot(page, 'evidence-scenario-exchange.png');
await page.mouse.wheel(0, 900);
await shot(page, 'evidence-scenario-validation.png');
await page.getByText('History', { exact: false }).first().click();
await shot(page, 'evidence-scenario-history.png');
await browser.close();

console.log(`${scenario.name} (${scenario.status}); saved in ${out}: ${saved.join(', ')}`);
if (external.length) {
  console.error(`the pages tried to reach the network: ${external.join(', ')}`);
  process.exit(1);
}
