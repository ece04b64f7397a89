import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startTestServer, TestServer } from '../support/test-server';
import {
  assessedRequest,
  draftOrder,
  issueOrder,
  openProject,
  requests,
  signer,
} from '../change-orders/change-order-scenario';

/**
 * A PM in a real browser: previews a draft's PDF, is stopped from saving settings over a colleague's change and
 * shown what the colleague changed, shows and hides archived projects, and reads times in their own zone while the
 * project keeps Auckland's.
 * Needs Debian's chromium (apt-get install chromium).
 */
describe('staff pages in Chromium: drafts, settings, archived projects and times', () => {
  let t: TestServer;
  let browser: Browser;
  let pmKey: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([
      startTestServer({
        listen: true,
        config: { mspName: 'Lighthouse Managed IT', mspEmail: 'pm@lighthouse.example' },
      }),
      launchChromium(),
    ]);
    pmKey = (await t.server.apiKeys.create('Priya Raman', 'pm')).key;
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
  });

  /** A signed-in PM in a browser of its own, in New York, reading British English; page errors collected. */
  async function pmPage(): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({
      viewport: { width: 1360, height: 900 },
      timezoneId: 'America/New_York',
      locale: 'en-GB',
    });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on(
      'console',
      (message) =>
        message.type() === 'error' &&
        /Content Security Policy|Refused/i.test(message.text()) &&
        problems.push(message.text()),
    );
    await page.goto(`${t.baseUrl}/app/sign-in`);
    await page.getByLabel('API key').fill(pmKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${t.baseUrl}/app`);
    return { page, problems };
  }

  it('links a draft to its PDF preview, a PDF that is not stored', async () => {
    const projectId = await openProject(t, 'Preview in the browser');
    const order = await draftOrder(t, projectId, [await assessedRequest(t, projectId, 'vpn')]);
    const { page, problems } = await pmPage();
    await page.goto(`${t.baseUrl}/app/projects/${projectId}`);
    const link = page.getByRole('link', { name: 'Preview PDF (draft)' });
    expect(await link.getAttribute('href')).toBe(`/app/projects/${projectId}/change-orders/${order.id}/preview.pdf`);
    const pdf = await page.request.get(`${t.baseUrl}${await link.getAttribute('href')}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    expect(problems).toEqual([]);
  });

  it("refuses to save settings over a colleague's change and says so on the page", async () => {
    const projectId = await openProject(t, 'Two editors');
    const first = await pmPage();
    const second = await pmPage();
    await first.page.goto(`${t.baseUrl}/app/projects/${projectId}/settings`);
    await second.page.goto(`${t.baseUrl}/app/projects/${projectId}/settings`);

    await second.page.getByLabel('Project name').fill('Renamed by the second tab');
    await second.page.getByLabel('Days to sign').fill('10');
    await second.page.getByRole('button', { name: 'Save settings' }).click();
    await second.page.waitForURL(/done=saved/);

    await first.page.getByLabel('Project name').fill('Renamed by the first tab');
    await first.page.getByLabel('Project manager', { exact: true }).fill('Dana Cole');
    await first.page.getByLabel('Project manager: email').fill('dana@lighthouse.example');
    const answer = first.page.waitForResponse((r) => r.request().method() === 'POST');
    await first.page.getByRole('button', { name: 'Save settings' }).click();
    expect((await answer).status()).toBe(412);
    await first.page.waitForLoadState();
    const main = await first.page.locator('main').innerText();
    expect(main).toContain('Someone else changed this project after you opened this page, so nothing was saved.');
    // What the second tab changed is listed with its new value, and in the form where the first tab left it alone.
    expect(main).toContain('Days to sign: now 10 (now in the form)');
    expect(main).toContain(
      'Project name: now Renamed by the second tab (you changed it too: the form keeps your value)',
    );
    expect(await first.page.getByLabel('Days to sign').inputValue()).toBe('10');
    expect(await first.page.getByLabel('Project name').inputValue()).toBe('Renamed by the first tab');
    expect(await first.page.getByLabel('Project manager', { exact: true }).inputValue()).toBe('Dana Cole');
    expect((await t.api.get(`/api/projects/${projectId}`).expect(200)).body.name).toBe('Renamed by the second tab');

    // Saving again applies the first tab's changes without undoing the second tab's days to sign.
    await first.page.getByRole('button', { name: 'Save settings' }).click();
    await first.page.waitForURL(/done=saved/);
    expect((await t.api.get(`/api/projects/${projectId}`).expect(200)).body).toMatchObject({
      name: 'Renamed by the first tab',
      manager: { name: 'Dana Cole', email: 'dana@lighthouse.example' },
      defaultExpiryDays: 10,
    });
    expect(await first.page.getByLabel('Time zone').getAttribute('list')).toBe('time-zones');
    expect([...first.problems, ...second.problems]).toEqual([]);
  });

  it('shows archived projects on request, marked archived, and hides them again', async () => {
    const projectId = await openProject(t, 'Finished and archived');
    await t.api.post(`/api/projects/${projectId}/close`).expect(200);
    await t.api.post(`/api/projects/${projectId}/archive`).expect(200);
    const { page, problems } = await pmPage();
    const archivedRow = page.locator('tr', { hasText: 'Finished and archived' });
    expect(await archivedRow.count()).toBe(0);

    await page.getByRole('link', { name: 'Show archived projects' }).click();
    await page.waitForURL(/archived=true/);
    expect(await archivedRow.locator('.badge').innerText()).toBe('archived');
    await page.getByRole('link', { name: 'Hide archived projects' }).click();
    await page.waitForURL((url) => !url.search.includes('archived'));
    expect(await archivedRow.count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("shows times in the viewer's zone, keeping the project's zone in the page and the title", async () => {
    const projectId = await openProject(t, 'Auckland rollout');
    await t.api.patch(`/api/projects/${projectId}`, { timeZone: 'Pacific/Auckland' }).expect(200);
    // 16:00 UTC on 10 March is 05:00 on the 11th in Auckland (UTC+13) and 12:00 on the 10th in New York (UTC-4).
    const receivedAt = '2026-03-10T16:00:00.000Z';
    const logged = await t.api
      .post(`/api/projects/${projectId}/change-requests`, { ...requests.wifi.log, receivedAt })
      .expect(201);
    await t.api
      .post(`/api/projects/${projectId}/change-requests/${logged.body.id}/assessment`, requests.wifi.assessment)
      .expect(200);
    const order = await draftOrder(t, projectId, [logged.body.id]);
    const issued = await issueOrder(t, projectId, order.id);

    const { page, problems } = await pmPage();
    const served = await page.request.get(`${t.baseUrl}/app/projects/${projectId}`);
    expect(await served.text()).toContain(
      `<time datetime="${receivedAt}" data-local="minutes">11 Mar 2026, 05:00 Pacific/Auckland</time>`,
    );
    await page.goto(`${t.baseUrl}/app/projects/${projectId}`);
    const received = page.locator(`#requests time[datetime="${receivedAt}"]`);
    expect(await received.innerText()).toBe('10 Mar 2026, 12:00 GMT-4');
    expect(await received.getAttribute('title')).toBe('11 Mar 2026, 05:00 Pacific/Auckland');

    // The signer, in New York too, reads the order's times in their zone; the project's stay in the title.
    const signing = await page.context().newPage();
    await signing.goto(`${t.baseUrl}${issued.signPath}`);
    const expires = signing.locator('dt:has-text("Respond by") + dd time');
    expect(await expires.getAttribute('title')).toMatch(/^\d{4}-\d{2}-\d{2} 00:00:00 Pacific\/Auckland$/);
    expect(await expires.innerText()).toMatch(/^\d{1,2} \w{3} 20\d\d, \d\d:00:00 GMT-[45]$/);
    expect(await signing.locator('.lead').innerText()).toContain(signer.name);
    expect(problems).toEqual([]);
  });
});
