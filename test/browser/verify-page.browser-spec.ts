import { Browser } from 'playwright-core';
import { signer } from '../change-orders/change-order-scenario';
import { launchChromium } from '../support/chromium';
import { startTestServer, TestServer } from '../support/test-server';
import { signedOrderPdfs, withIncrementalUpdate } from '../verify/verify-scenario';

const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? '/tmp';

/** Someone with a signed change order checks it on the public page, with no account. */
describe('the page to check a change order, in Chromium', () => {
  let t: TestServer;
  let browser: Browser;
  let order: Awaited<ReturnType<typeof signedOrderPdfs>>;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestServer({ listen: true }), launchChromium()]);
    order = await signedOrderPdfs(t, 'Checked in the browser');
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function check(pdf: Buffer, screenshot: string): Promise<{ verdict: string; facts: string }> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${t.baseUrl}/verify`);
      await page.setInputFiles('#file', { name: 'CO-1-signed.pdf', mimeType: 'application/pdf', buffer: pdf });
      await Promise.all([page.waitForURL(`${t.baseUrl}/api/verify`), page.click('#check-button')]);
      await page.screenshot({ path: `${SCREENSHOTS}/${screenshot}`, fullPage: true });
      return { verdict: await page.locator('#verdict').innerText(), facts: await page.locator('.facts').innerText() };
    } finally {
      await context.close();
    }
  }

  it('uploads the sealed PDF through the form and shows the order, the signer and the time', async () => {
    const { verdict, facts } = await check(order.sealedPdf, 'verify-page-sealed.png');
    expect(verdict).toMatch(/^This is the sealed document of CO-1 of Checked in the browser/);
    expect(verdict).toContain(`signed by ${signer.name}`);
    expect(facts).toContain('Harbour Freight Logistics');
    expect(facts).toContain('Signed and sealed');
  });

  it('says a sealed PDF with an update appended is not the sealed document', async () => {
    const changed = withIncrementalUpdate(order.sealedPdf);
    const { verdict } = await check(changed, 'verify-page-changed.png');
    expect(verdict).toContain(`Changed after sealing: ${changed.length - order.sealedPdf.length} bytes appended`);
    expect(verdict).toContain('it is NOT the sealed document');
  });
});
