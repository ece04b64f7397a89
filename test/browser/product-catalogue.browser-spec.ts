import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startTestServer, TestServer } from '../support/test-server';
import { openProject } from '../change-orders/change-order-scenario';

/**
 * A PM adds a licence to the catalogue from the staff navigation and assesses a client request with it:
 * 25 × USD 22.00 = USD 550.00 a month, margin 25 × 3.30 = USD 82.50 a month. Needs Debian's chromium.
 */
describe('the catalogue in Chromium', () => {
  let t: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let pmKey: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestServer({ listen: true }), launchChromium()]);
    pmKey = (await t.server.apiKeys.create('Priya Raman', 'pm')).key;
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('adds a licence to the catalogue and assesses a request with it', async () => {
    const projectId = await openProject(t, 'Licences for the Dockside office');
    const logged = await t.api
      .post(`/api/projects/${projectId}/change-requests`, {
        title: 'Licences for the new starters',
        description: 'Twenty-five new starters in April.',
        source: 'email',
        requestedBy: { name: 'Jo Okafor', email: 'jo.okafor@harbour-freight.example' },
      })
      .expect(201);

    context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const pm: Page = await context.newPage();
    const problems: string[] = [];
    pm.on('pageerror', (error) => problems.push(error.message));
    await pm.goto(`${t.baseUrl}/app`);
    await pm.getByLabel('API key').fill(pmKey);
    await pm.getByRole('button', { name: 'Sign in' }).click();
    await pm.waitForURL(`${t.baseUrl}/app`);

    await pm.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalogue' }).click();
    await pm.waitForURL(`${t.baseUrl}/app/catalogue`);
    await pm.getByLabel('SKU').fill('LIC-M365-BP');
    await pm.getByLabel('Name').fill('Microsoft 365 Business Premium');
    await pm.getByLabel('Kind').selectOption('licence');
    await pm.getByLabel('Billing').selectOption('monthly');
    await pm.getByLabel('Currency').fill('USD');
    await pm.getByLabel('Unit price').fill('22.00');
    await pm.getByLabel('Unit cost').fill('18.70');
    await pm.getByRole('button', { name: 'Add to the catalogue' }).click();
    await pm.waitForURL(/\/app\/catalogue\?done=added/);
    const row = pm.getByRole('row', { name: /LIC-M365-BP/ });
    await expect(row.textContent()).resolves.toMatch(/USD 22\.00\s*USD 18\.70\s*USD 3\.30/);

    await pm.goto(`${t.baseUrl}/app/projects/${projectId}/change-requests/${logged.body.id}`);
    await pm.getByLabel('Product 1 SKU', { exact: true }).fill('lic-m365-bp');
    await pm.getByLabel('Product 1 quantity', { exact: true }).fill('25');
    await pm.getByRole('button', { name: 'Save assessment' }).click();
    await pm.waitForURL(/done=assessed/);

    await pm.goto(`${t.baseUrl}/app/projects/${projectId}/change-requests/${logged.body.id}`);
    const products = pm.locator('table.products');
    await expect(products.textContent()).resolves.toMatch(
      /LIC-M365-BP[\s\S]*\+USD 550\.00 \/ month[\s\S]*\+USD 82\.50/,
    );
    const assessed = await t.api.get(`/api/projects/${projectId}/change-requests/${logged.body.id}`).expect(200);
    expect(assessed.body.assessment).toMatchObject({ monthlyDelta: 55000, costDelta: 0 });
    expect(problems).toEqual([]);
  }, 60_000);
});
