import { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { smallProject } from '../api/api-helpers';
import { launchChromium } from '../support/chromium';
import { ADMIN_KEY, startTestServer, TestServer } from '../support/test-server';

const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? '/tmp';

/**
 * The delivery board in a real browser: a card dragged to another column moves, a move refused by a WIP
 * limit says why, a card moves with the keyboard alone (focus stays on it and the result is read out), and
 * a card's page lists the time logged against it. Needs Debian's chromium (apt-get install chromium).
 */
describe('the delivery board in Chromium', () => {
  let t: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let boardUrl: string;
  const problems: string[] = [];

  const column = (name: string) => page.locator(`section[data-column="${name}"]`);
  const settled = () => page.waitForLoadState('load');

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestServer({ listen: true }), launchChromium()]);
    const projectId = (await t.api.post('/api/projects', smallProject('Fabrikam branch refresh')).expect(201)).body.id;
    await t.api
      .post(`/api/projects/${projectId}/baseline`, {
        items: [
          { ref: 'NET-1', title: 'Firewall and VPN configuration', role: 'engineer', hours: 8 },
          { ref: 'NET-2', title: 'Switch stack replacement', role: 'engineer', hours: 6 },
          { ref: 'DOC-1', title: 'As-built documentation', role: 'architect', hours: 3.5 },
        ],
        milestones: [{ ref: 'M1', name: 'Network live', due: '2026-03-20' }],
      })
      .expect(201);
    // Review holds one card, and C-2 is already there.
    await t.api.post(`/api/projects/${projectId}/board/cards/C-2/move`, { to: 'review' }).expect(200);
    await request(t.http)
      .put(`/api/projects/${projectId}/board/wip-limits`)
      .set('Authorization', `Bearer ${ADMIN_KEY}`)
      .send({ limits: { review: 1 } })
      .expect(200);
    const pmKey = (await t.server.apiKeys.create('Priya Raman', 'pm')).key;
    boardUrl = `${t.baseUrl}/app/projects/${projectId}/board`;

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

  it('moves a card dragged to another column, and shows why a drag into a full column is refused', async () => {
    await page.goto(boardUrl);
    expect(await column('backlog').innerText()).toContain('Firewall and VPN configuration');

    // Straight from Backlog to In progress: a drag can skip columns.
    await page.dragAndDrop('#card-C-1', 'section[data-column="in_progress"]');
    await page.waitForSelector('text=C-1 moved.');
    await settled();
    expect(await column('in_progress').innerText()).toContain('Firewall and VPN configuration');
    expect(await column('backlog').innerText()).not.toContain('Firewall and VPN configuration');
    expect(await page.evaluate('document.activeElement.id')).toBe('card-C-1');
    await page.screenshot({ path: `${SCREENSHOTS}/board-dragged.png`, fullPage: true });

    // Review is full: the move is refused, on the card and above the board, and nothing moves.
    await page.dragAndDrop('#card-C-1', 'section[data-column="review"]');
    await page.waitForSelector('#card-C-1 .card-error');
    await settled();
    expect(await page.locator('#card-C-1 .card-error').innerText()).toBe(
      'WIP limit reached: Review holds at most 1 card',
    );
    expect(await page.locator('.notice.bad').innerText()).toBe('WIP limit reached: Review holds at most 1 card');
    expect(await column('in_progress').innerText()).toContain('Firewall and VPN configuration');
    await page.screenshot({ path: `${SCREENSHOTS}/board-drag-refused.png`, fullPage: true });
  });

  it('moves a card with the keyboard alone, keeps the focus on it and reads the result out', async () => {
    await page.goto(boardUrl);
    await page.getByRole('link', { name: 'As-built documentation' }).focus();
    await page.keyboard.press('Tab');
    const focused = (await page.evaluate(
      '({ label: document.activeElement.getAttribute("aria-label"), ' +
        'outline: getComputedStyle(document.activeElement).outlineStyle })',
    )) as { label: string; outline: string };
    // The button says what it does, and the focus shows.
    expect(focused.label).toBe('Move C-3 to Ready');
    expect(focused.outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=C-3 moved.');
    await settled();
    expect(await column('ready').innerText()).toContain('As-built documentation');
    expect(await page.evaluate('document.activeElement.id')).toBe('card-C-3');
    await page.locator('[aria-live="polite"]', { hasText: /^C-3 moved\.$/ }).waitFor({ state: 'attached' });

    // On from there, still by keyboard: the card's link, then its way back to Backlog.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(`document.activeElement.getAttribute('aria-label')`)).toBe('Move C-3 to Backlog');
  });

  it("opens a card's page from the board, with the time logged against it", async () => {
    await page.goto(boardUrl);
    const card = page.locator('#card-C-1');
    await card.locator('summary', { hasText: 'Log time' }).click();
    await card.getByLabel('Hours').fill('2.5');
    await card.getByLabel('Note (optional)').fill('Racked the firewall');
    await card.getByRole('button', { name: 'Log time' }).click();
    await page.waitForSelector('text=Time logged on C-1');

    await page.getByRole('link', { name: 'Firewall and VPN configuration' }).click();
    await page.waitForURL(`${boardUrl}/cards/C-1`);
    expect(await page.locator('h1').innerText()).toBe('C-1 · Firewall and VPN configuration');
    const entries = await page.locator('table.time-entries tbody tr').allInnerTexts();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(/2\.50\s+Priya Raman\s+Racked the firewall/);
    const columns = await page.locator('table.column-history tbody tr').allInnerTexts();
    expect(columns.map((row) => row.split('\t')[0])).toEqual(['Backlog', 'In progress']);
    expect(await page.locator('.tiles').innerText()).toMatch(/Remaining\s+5\.50 h/i);
    await page.screenshot({ path: `${SCREENSHOTS}/board-card-page.png`, fullPage: true });
    expect(problems).toEqual([]);
  });
});
