import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';
import { startTestServer, TestServer } from '../support/test-server';
import { issuedScenario } from '../change-orders/change-order-scenario';

const CHROMIUM = '/usr/bin/chromium';

/**
 * The Content-Security-Policy is strict (script, styles, images and the embedded PDF from
 * this server only; no framing by other sites). The signing page must work entirely within
 * it: a browser reports no violation from opening the link to the signed page.
 */
describe('signing page under its Content-Security-Policy', () => {
  let t: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    [t, browser] = await Promise.all([
      startTestServer({ listen: true }),
      chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'],
      }),
    ]);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('loads, draws and signs without a single policy violation', async () => {
    const { issued } = await issuedScenario(t, 'Browser CSP');
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    // Runs in the page (hence a string: this file is compiled without the DOM types).
    await page.addInitScript({
      content:
        "document.addEventListener('securitypolicyviolation', (e) => console.error('Refused to load: CSP ' " +
        "+ e.violatedDirective + ' ' + e.blockedURI));",
    });
    try {
      const response = await page.goto(`${t.baseUrl}${issued.signPath}`);
      expect(response!.headers()['content-security-policy']).toContain("default-src 'self'");
      // The stylesheet applied and the script ran: the pad is drawable and the buttons work.
      expect(await page.evaluate("getComputedStyle(document.querySelector('.sheet')).borderRadius")).toBe('10px');
      // Consent is posted as a form: the policy's form-action must allow it.
      await page.click('#consent-button');
      await page.waitForSelector('#sign-button');
      const pad = (await page.locator('#signature-pad').boundingBox())!;
      await page.mouse.move(pad.x + 30, pad.y + 60);
      await page.mouse.down();
      for (let i = 1; i <= 12; i++) await page.mouse.move(pad.x + 30 + i * 25, pad.y + 60 + (i % 2) * 30);
      await page.mouse.up();
      await page.click('#sign-button');
      await page.waitForSelector('.ok');
      expect(violations).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
