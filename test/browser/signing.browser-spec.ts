import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startTestServer, TestServer } from '../support/test-server';
import { SmtpTestServer, startSmtpTestServer } from '../notifications/smtp-test-server';
import {
  assessedRequest,
  draftOrder,
  issuedScenario,
  issueOrder,
  openProject,
  signer,
} from '../change-orders/change-order-scenario';

const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? '/tmp';

/**
 * A client signer in a real browser: reads the order, consents, draws a signature and signs; another
 * confirms a code emailed to them first; another withdraws consent; another declines. Needs Debian's
 * chromium (apt-get install chromium).
 */
describe('signing page in Chromium', () => {
  let t: TestServer;
  let browser: Browser;
  let smtp: SmtpTestServer;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    [t, browser] = await Promise.all([
      startTestServer({ listen: true, config: { smtpUrl: smtp.url } }),
      launchChromium(),
    ]);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
  });

  async function openLink(signPath: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}${signPath}`);
    return { context, page };
  }

  const signsAfterConsent =
    'signs after consent with a typed name and a drawn signature, then shows the order read-only and admits the work';
  it(
    signsAfterConsent,
    async () => {
      const { projectId, order, issued } = await issuedScenario(t, 'Browser signing');
      const { context, page } = await openLink(issued.signPath);
      try {
        expect(await page.locator('h1').innerText()).toContain('CO-1');
        expect(await page.locator('dd.amount').innerText()).toBe('USD 972.87');
        expect(await page.locator('#document-sha256').innerText()).toBe(issued.documentSha256);

        // The signature form appears only once consent is given, a step of its own.
        expect(await page.locator('#sign-button').count()).toBe(0);
        expect(await page.locator('#consent-step').innerText()).toContain('This consent covers this change order only');
        await page.screenshot({ path: `${SCREENSHOTS}/signing-page-before.png`, fullPage: true });
        await page.setViewportSize({ width: 390, height: 844 });
        await page.screenshot({ path: `${SCREENSHOTS}/signing-page-narrow.png`, fullPage: true });
        await page.setViewportSize({ width: 1100, height: 900 });

        await page.click('#consent-button');
        await page.waitForSelector('#sign-button');
        expect(await page.locator('#consent-given').innerText()).toMatch(/You gave your consent on/);
        await page.fill('#name', '');
        await page.click('#sign-button');
        expect(await page.locator('#sign-error').innerText()).toMatch(/full name/);
        await page.fill('#name', 'Morgan Ellery');
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

  it('asks for the code emailed to the signer before the signature form', async () => {
    const projectId = await openProject(t, 'Browser code');
    const vpn = await assessedRequest(t, projectId, 'vpn');
    const drafted = await t.api
      .post(`/api/projects/${projectId}/change-orders`, {
        changeRequestIds: [vpn],
        signer,
        signerVerification: 'email_code',
      })
      .expect(201);
    const issued = await issueOrder(t, projectId, drafted.body.id);
    const codes = () => smtp.received.filter((m) => m.subject.startsWith('Your code to sign'));
    const { context, page } = await openLink(issued.signPath);
    try {
      await page.click('#consent-button');
      await page.waitForSelector('#send-code');
      expect(await page.locator('#sign-button').count()).toBe(0);
      await page.click('#send-code');
      await page.waitForSelector('#code');
      const [mail] = await smtp.waitFor(() => codes().length > 0, 15_000).then(codes);
      expect(mail.envelopeTo).toEqual([signer.email]);
      const code = /\b(\d{6})\b/.exec(mail.text)![1];

      // A wrong code is refused on the page with the tries left, back on the page's own address.
      await page.fill('#code', code === '999999' ? '000000' : '999999');
      await page.click('#verify-code');
      await page.waitForSelector('#code-error');
      expect(await page.locator('#code-error').innerText()).toBe('That code is not right; 4 tries left');
      expect(new URL(page.url()).pathname).toBe(issued.signPath);
      await page.screenshot({ path: `${SCREENSHOTS}/signing-page-code.png`, fullPage: true });

      await page.fill('#code', code);
      await page.click('#verify-code');
      await page.waitForSelector('#sign-button');
      expect(await page.locator('#code-confirmed').innerText()).toMatch(/^Code confirmed on .*\. You can sign now\.$/);
      await page.click('#sign-button');
      await page.waitForSelector('.ok');
      expect(await page.locator('.ok').innerText()).toMatch(/^Signed by Morgan Ellery on /);
    } finally {
      await context.close();
    }
    const events = (await t.api.get(`/api/projects/${projectId}/events`).expect(200)).body as { type: string }[];
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['SignerConsented', 'SigningCodeSent', 'SigningCodeVerified', 'ChangeOrderSigned']),
    );
  }, 60_000);

  it('withdraws consent and then tells the signer how to get a paper copy', async () => {
    const projectId = await openProject(t, 'Browser withdrawal');
    const vpn = await assessedRequest(t, projectId, 'vpn');
    const issued = await issueOrder(t, projectId, (await draftOrder(t, projectId, [vpn])).id);
    const { context, page } = await openLink(issued.signPath);
    try {
      await page.click('#consent-button');
      await page.waitForSelector('#sign-button');
      await page.click('#withdraw-button');
      await page.waitForSelector('#consent-withdrawn');
      const text = await page.locator('main').innerText();
      expect(text).toContain('can no longer be signed electronically through this link');
      expect(text).toContain('Northwind Managed IT at projects@northwind-it.example for a paper copy');
      expect(await page.locator('#sign-button').count()).toBe(0);
      await page.screenshot({ path: `${SCREENSHOTS}/signing-page-withdrawn.png`, fullPage: true });
    } finally {
      await context.close();
    }
  }, 60_000);

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
