import { Browser, BrowserContext, Page } from 'playwright-core';
import { openProject } from '../change-orders/change-order-scenario';
import { launchChromium } from '../support/chromium';
import { startTestServer, TestServer } from '../support/test-server';

/**
 * Finance bills a baseline milestone from the project's reconciliation page: USD 1,500.00 for M1 of a
 * baseline worth USD 4,716.13 leaves USD 3,216.13 to invoice. Needs Debian's chromium.
 */
describe('baseline billing in Chromium', () => {
  let t: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let financeKey: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestServer({ listen: true }), launchChromium()]);
    financeKey = (await t.server.apiKeys.create('Sam Okafor', 'finance')).key;
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('records an invoice for a milestone through the form and shows what remains', async () => {
    const projectId = await openProject(t, 'Baseline billed in the browser');
    context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const finance: Page = await context.newPage();
    const problems: string[] = [];
    finance.on('pageerror', (error) => problems.push(error.message));
    await finance.goto(`${t.baseUrl}/app`);
    await finance.getByLabel('API key').fill(financeKey);
    await finance.getByRole('button', { name: 'Sign in' }).click();
    await finance.waitForURL(/\/app/);

    await finance.goto(`${t.baseUrl}/app/finance/projects/${projectId}`);
    const baseline = finance.getByRole('region', { name: 'Baseline contract' });
    await baseline.locator('summary', { hasText: 'Record a baseline invoice' }).click();
    expect(await baseline.getByLabel('Amount (USD)').inputValue()).toBe('4,716.13');
    await baseline.getByLabel('Invoice number').fill('INV-2026-0140');
    await baseline.getByLabel('Amount (USD)').fill('1,500.00');
    await baseline.getByLabel('Bills').selectOption('M1');
    await baseline.getByRole('button', { name: 'Record invoice' }).click();
    await finance.waitForURL(/done=baseline-invoice/);
    await finance.waitForSelector('text=Invoice recorded against the baseline.');
    const after = await finance.getByRole('region', { name: 'Baseline contract' }).innerText();
    expect(after).toContain('not yet invoiced USD 3,216.13');
    expect(after).toMatch(/M1 Network live\s+USD 1,500\.00/);
    expect(after).toContain('INV-2026-0140 (M1)');
    expect(problems).toEqual([]);
  }, 60_000);
});
