// Developer aid: open the generated Allure report in headless Chromium, open one scenario and its
// first request/response attachment, and save screenshots — to look at the evidence as a reviewer would.
// Usage: node --import tsx scripts/screenshot-report.ts [scenario name substring] [out-dir]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [needle = 'reads a BOOKED referral', outDir = '/tmp'] = process.argv.slice(2);
const reportDir = join(process.cwd(), 'reports', 'allure-report');
const results = JSON.parse(readFileSync(join(reportDir, 'test-results.json'), 'utf8')) as { byId: Record<string, { id: string; name: string; status: string }> };
const match = Object.values(results.byId).find((r) => r.name.includes(needle));
if (!match) throw new Error(`no scenario named like "${needle}" in the report`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
await page.goto(`file://${join(reportDir, 'index.html')}#${match.id}`);
await page.waitForTimeout(1500);
await page.screenshot({ path: join(outDir, 'report-scenario.png'), fullPage: true });
// Expand the first step that carries an attachment, then the attachment itself.
const step = page.locator('[data-testid="test-result-step-title"]', { hasText: /When|And the caller|Given the caller has/ }).first();
if (await step.count()) await step.click();
await page.waitForTimeout(500);
const attachment = page.locator('[data-testid="test-result-attachment-header"]').first();
if (await attachment.count()) await attachment.click();
await page.waitForTimeout(800);
await page.screenshot({ path: join(outDir, 'report-attachment.png'), fullPage: true });
await browser.close();
console.log(`${match.name} (${match.status}): ${outDir}/report-scenario.png, ${outDir}/report-attachment.png`);
