import { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { smallProject } from '../api/api-helpers';
import { launchChromium } from '../support/chromium';
import { ADMIN_KEY, startTestServer, TestServer } from '../support/test-server';

/**
 * The capacity heat map in a real browser: the over-allocated cell says so in words, and clicking it opens the
 * cards behind it, each linking to its card page. The project's last milestone is past, so the card's 16 hours all
 * fall on the first working day from today: 16 of Ada's 10 hours, 160 %. Needs Debian's chromium.
 */
describe('the capacity heat map in Chromium', () => {
  let t: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let projectId: string;
  const problems: string[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestServer({ listen: true }), launchChromium()]);
    projectId = (await t.api.post('/api/projects', smallProject('Fabrikam firewall refresh')).expect(201)).body.id;
    await t.api
      .post(`/api/projects/${projectId}/baseline`, {
        items: [{ ref: 'NET-1', title: 'Firewall and VPN configuration', role: 'engineer', hours: 16 }],
        milestones: [{ ref: 'M1', name: 'Network live', due: '2026-03-20' }],
      })
      .expect(201);
    await t.api.post('/api/team/people', { name: 'Ada Quinn', role: 'engineer', weeklyCapacityHours: 10 }).expect(201);
    await request(t.http)
      .put(`/api/projects/${projectId}/board/cards/C-1/assignee`)
      .set('Authorization', `Bearer ${ADMIN_KEY}`)
      .send({ personId: 'P-1' })
      .expect(200);
    const pmKey = (await t.server.apiKeys.create('Priya Raman', 'pm')).key;

    context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    page.on(
      'console',
      (message) =>
        message.type() === 'error' &&
        /Content Security Policy|Refused to/i.test(message.text()) &&
        problems.push(message.text()),
    );
    await page.goto(`${t.baseUrl}/app`);
    await page.getByLabel('API key').fill(pmKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${t.baseUrl}/app`);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('opens the heat map from the top bar, clicks the over-allocated cell and sees its cards', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Capacity' }).click();
    await page.waitForURL(`${t.baseUrl}/app/capacity`);
    const over = page.locator('svg.heat-map a[data-band="over"]');
    expect(await over.count()).toBe(1);
    expect(await over.locator('text').first().textContent()).toBe('▲ 160 %');
    expect(await over.locator('title').textContent()).toMatch(
      /^Ada Quinn, week of .*: 16\.00 h planned of 10\.00 h .*over capacity/,
    );

    await over.click();
    await page.waitForURL(/\/app\/capacity\/people\/P-1\/weeks\/\d{4}-\d{2}-\d{2}$/);
    expect(await page.locator('h1').innerText()).toMatch(/^Ada Quinn · week of /);
    const row = page.locator('table.cell-cards tbody tr');
    expect(await row.count()).toBe(1);
    expect(await row.innerText()).toMatch(
      /Fabrikam firewall refresh\s+C-1\s+Firewall and VPN configuration[\s\S]*16\.00 h/,
    );

    await row.getByRole('link', { name: 'C-1' }).click();
    await page.waitForURL(`${t.baseUrl}/app/projects/${projectId}/board/cards/C-1`);
    expect(await page.locator('h1').innerText()).toContain('Firewall and VPN configuration');
    expect(problems).toEqual([]);
  });
});
