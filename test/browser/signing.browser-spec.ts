import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startTestServer, TestServer } from '../support/test-server';
import {
  assessedRequest,
  draftOrder,
  issuedScenario,
  issueOrder,
  openProject,
} from '../change-orders/change-order-scenario';

const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? '/tmp';

/**
 * A client signer in a real browser: reads the order, is stopped without consent, draws a
 * signature and signs; another declines. Needs Debian's chromium (apt-get install chromium).
 */
describe('signing page in Chromium', () => {
  let t: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestServer({ listen: true }), launchChromium()]);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function openLink(signPath: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}${signPath}`);
    return { context, page };
  }

  it(
    'signs with consent, a typed name and a drawn signature, ' + 'then shows the order read-only and admits the work',
    async () => {
      const { projectId, order, issued } = await issuedScenario(t, 'Browser signing');
      const { context, page } = await openLink(issued.signPath);
      try {
        expect(await page.locator('h1').innerText()).toContain('CO-1');
        expect(await page.locator('dd.amount').innerText()).toBe('USD 972.87');
        expect(await page.locator('#document-sha256').innerText()).toBe(issued.documentSha256);

        // Without consent the page refuses before anything is sent.
        await page.fill('#name', '');
        await page.fill('#name', 'Morgan Ellery');
        await page.click('#sign-button');
        expect(await page.locator('#sign-error').innerText()).toMatch(/consent/i);
        await page.screenshot({ path: `${SCREENSHOTS}/signing-page-before.png`, fullPage: true });
        await page.setViewportSize({ width: 390, height: 844 });
        await page.screenshot({ path: `${SCREENSHOTS}/signing-page-narrow.png`, fullPage: true });
        await page.setViewportSize({ width: 1100, height: 900 });

        await page.check('#consent');
        const pad = (await page.locator('#signature-pad').boundingBox())!;
        await page.mouse.move(pad.x + 40, pad.y + pad.height * 0.6);
        await page.mouse.down();
        for (let i = 1; i <= 24; i++) {
          await page.mouse.move(pad.x + 40 + i * 18, pad.y + pad.height * (0.6 - 0.25 * Math.sin(i / 3)));
        }
        await page.mouse.up();

        // The page reloads into its read-only form once the signature is recorded.
        await page.click('#sign-button');
        await page.waitForSelector('.ok');
        expect(await page.locator('.ok').innerText()).toMatch(/^Signed by Morgan Ellery on /);
        expect(await page.locator('#sign-button').count()).toBe(0);
        await page.screenshot({ path: `${SCREENSHOTS}/signing-page-after.png`, fullPage: true });
      } finally {
        await context.close();
      }

      const board = (await t.api.get(`/api/projects/${projectId}/board`).expect(200)).body;
      const refs = board.columns.flatMap((c: { cards: { ref: string; admittedBy: string }[] }) =>
        c.cards.map((card) => [card.ref, card.admittedBy]),
      );
      expect(refs).toContainEqual(['VPN-2', 'CO-1']);
      const events = (await t.api.get(`/api/projects/${projectId}/events`).expect(200)).body as {
        type: string;
        userAgent?: string;
        data: Record<string, unknown>;
      }[];
      const signed = events.find((e) => e.type === 'ChangeOrderSigned')!;
      expect(signed.data).toMatchObject({
        changeOrderId: order.id,
        signature: 'drawn',
        signer: { name: 'Morgan Ellery' },
      });
      expect(signed.userAgent).toMatch(/Chrome/);
    },
    60_000,
  );

  it('declines with a reason in a second browser context', async () => {
    const projectId = await openProject(t, 'Browser decline');
    const vpn = await assessedRequest(t, projectId, 'vpn');
    const order = await draftOrder(t, projectId, [vpn]);
    const issued = await issueOrder(t, projectId, order.id);
    const { context, page } = await openLink(issued.signPath);
    try {
      expect(await page.locator('dd.amount').innerText()).toBe('USD 1,250.00');
      expect(await page.locator('#decline-panel').isVisible()).toBe(false);
      await page.click('#show-decline');
      await page.click('#decline-button');
      expect(await page.locator('#decline-error').innerText()).toMatch(/why you decline/);
      await page.fill('#decline-reason', 'Our own network team will build the tunnel');
      await page.click('#decline-button');
      await page.waitForSelector('.warn');
      expect(await page.locator('.warn').innerText()).toContain('Our own network team will build the tunnel');
      await page.screenshot({ path: `${SCREENSHOTS}/signing-page-declined.png`, fullPage: true });
    } finally {
      await context.close();
    }
    const view = (await t.api.get(`/api/projects/${projectId}/change-orders/${order.id}`).expect(200)).body;
    expect(view).toMatchObject({ status: 'declined', closedReason: 'Our own network team will build the tunnel' });
  }, 60_000);
});
