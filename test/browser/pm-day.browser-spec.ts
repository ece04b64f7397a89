import { readFileSync } from 'node:fs';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import request from 'supertest';
import { startTestServer, TestServer } from '../support/test-server';
import { readAndConsent } from '../change-orders/change-order-scenario';

const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? '/tmp';
const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * A project manager's day in a real browser, on the staff pages only: sign in, open a
 * project, set its baseline, log a client request, assess it, draft and issue a change
 * order; the client signs from the link; the PM finds the work on the board; finance finds
 * the order and downloads it as CSV. Needs Debian's chromium (apt-get install chromium).
 */
describe("a project manager's day in Chromium", () => {
  let t: TestServer;
  let browser: Browser;
  let pmKey: string;
  let financeKey: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestServer({ listen: true }), launchChromium()]);
    pmKey = (await t.server.apiKeys.create('Priya Raman', 'pm')).key;
    financeKey = (await t.server.apiKeys.create('Sam Okafor', 'finance')).key;
    await otherProjects(t);
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
    contexts.push(context);
    return context.newPage();
  }

  async function signIn(page: Page, key: string) {
    await page.goto(`${t.baseUrl}/app`);
    expect(new URL(page.url()).pathname).toBe('/app/sign-in');
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${t.baseUrl}/app`);
  }

  const shot = async (page: Page, name: string) => {
    // From the top, so the sticky bar sits where it belongs in a full-page picture.
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: `${SCREENSHOTS}/pm-day-${name}.png`, fullPage: true });
  };

  it('takes a client request from logging to a signed order on the board and in the finance export', async () => {
    const pm = await newPage();
    const problems: string[] = [];
    // Script errors and anything the Content-Security-Policy blocked (refused forms answer 4xx on purpose).
    pm.on('pageerror', (error) => problems.push(error.message));
    pm.on(
      'console',
      (message) =>
        message.type() === 'error' &&
        /Content Security Policy|Refused/i.test(message.text()) &&
        problems.push(message.text()),
    );

    await pm.goto(`${t.baseUrl}/app`);
    await shot(pm, '01-sign-in');
    await signIn(pm, pmKey);
    expect(await pm.locator('h1').innerText()).toBe('Portfolio');
    await shot(pm, '02-portfolio');

    // A new project through its form.
    await pm.getByRole('link', { name: 'New project' }).click();
    await pm.getByLabel('Project name').fill('Woodgrove Bank branch network refresh');
    await pm.getByLabel('Client', { exact: true }).fill('Woodgrove Bank');
    await pm.getByLabel('Client contact email').fill('it-lead@woodgrove.example');
    await pm.getByLabel('Start date').fill(daysFromToday(-30));
    await pm.getByLabel('Role 1', { exact: true }).fill('engineer');
    await pm.getByLabel('Rate per hour for role 1').fill('150');
    await pm.getByLabel('Role 2', { exact: true }).fill('architect');
    await pm.getByLabel('Rate per hour for role 2').fill('210.00');
    // A zone never behind UTC, so dates this test computes in UTC are never in the project's future.
    await pm.getByLabel('Time zone (optional)').fill('Europe/London');
    await shot(pm, '03-new-project');
    await pm.getByRole('button', { name: 'Open project' }).click();
    await pm.waitForSelector('text=Project opened');

    // Its baseline: scope items and milestones.
    const item =
      (n: number, ref: string, title: string, role: string, hours: string, fixed = '') =>
      async () => {
        await pm.getByLabel(`Item ${n} ref`, { exact: true }).fill(ref);
        await pm.getByLabel(`Item ${n} title`, { exact: true }).fill(title);
        await pm.getByLabel(`Item ${n} role`, { exact: true }).selectOption(role);
        await pm.getByLabel(`Item ${n} hours`, { exact: true }).fill(hours);
        if (fixed) await pm.getByLabel(`Item ${n} fixed cost`, { exact: true }).fill(fixed);
      };
    await item(1, 'NET-1', 'Branch firewalls and SD-WAN', 'engineer', '32', '4,800.00')();
    await item(2, 'NET-2', 'Switch replacement, 6 branches', 'engineer', '24')();
    await item(3, 'DES-1', 'Network design and cut-over plan', 'architect', '12')();
    await pm.getByLabel('Milestone 1 ref', { exact: true }).fill('M1');
    await pm.getByLabel('Milestone 1 name', { exact: true }).fill('Pilot branch live');
    await pm.getByLabel('Milestone 1 due date', { exact: true }).fill(daysFromToday(10));
    await pm.getByLabel('Milestone 2 ref', { exact: true }).fill('M2');
    await pm.getByLabel('Milestone 2 name', { exact: true }).fill('All branches live');
    await pm.getByLabel('Milestone 2 due date', { exact: true }).fill(daysFromToday(40));
    await shot(pm, '04-baseline-form');
    await pm.getByRole('button', { name: 'Establish baseline' }).click();
    await pm.waitForSelector('text=Baseline established');
    const projectUrl = pm.url().split('?')[0];
    const projectId = new URL(projectUrl).pathname.split('/').pop()!;
    expect((await t.api.get(`/api/projects/${projectId}`).expect(200)).body.timeZone).toBe('Europe/London');

    // The client calls: log it in seconds.
    await pm.getByLabel('What did the client ask for?').fill('Guest Wi-Fi at the pilot branch');
    await pm
      .getByLabel('Details')
      .fill('Branch manager wants a separate guest SSID with a captive portal before opening day.');
    await pm.getByLabel('Came in by').selectOption('phone');
    await pm.getByLabel('Requested by').fill('Dana Whitfield');
    await pm.getByLabel('Their email').fill('dana@woodgrove.example');
    await pm.getByRole('button', { name: 'Log request' }).click();
    await pm.waitForSelector('text=CR-1 logged');

    // A refused assessment shows its message beside the field.
    await pm.getByRole('link', { name: 'Assess' }).click();
    await pm.getByLabel('Line 1 scope item ref', { exact: true }).fill('WIFI-1');
    await pm.getByLabel('Line 1 title', { exact: true }).fill('Guest SSID and captive portal');
    await pm.getByLabel('Line 1 role', { exact: true }).selectOption('engineer');
    await pm.getByLabel('Line 1 hours', { exact: true }).fill('six');
    await pm.getByRole('button', { name: 'Save assessment' }).click();
    await pm.waitForSelector('#assess-lines-0-hours-error');
    expect(await pm.locator('#assess-lines-0-hours-error').innerText()).toMatch(/^Hours must be a number of hours/);
    await shot(pm, '05-assess-error');

    await pm.getByLabel('Line 1 hours', { exact: true }).fill('6');
    await pm.getByLabel('Line 1 fixed cost', { exact: true }).fill('640');
    await pm.getByLabel('Shift 1 milestone', { exact: true }).selectOption('M2');
    await pm.getByLabel('Shift 1 working days', { exact: true }).fill('2');
    await pm.getByLabel('Notes (optional)').fill('Two access points at list price; configuration on site.');
    await pm.getByRole('button', { name: 'Save assessment' }).click();
    await pm.waitForSelector('text=CR-1 assessed');

    // Bundle it into a change order and issue it.
    expect(await pm.getByRole('checkbox', { name: /CR-1/ }).isChecked()).toBe(true);
    await pm.getByLabel('Client signer').fill('Dana Whitfield');
    await pm.getByLabel('Signer email').fill('dana@woodgrove.example');
    await pm.getByRole('button', { name: 'Draft order' }).click();
    await pm.waitForSelector('text=CO-1 drafted');
    await pm.getByRole('button', { name: 'Issue for signature' }).click();
    await pm.waitForSelector('text=CO-1 issued');
    const signingLink = await pm.locator('input[id^="link-"]').inputValue();
    // The link names the configured public URL; the test server listens on a port of its own.
    const signPath = new URL(signingLink).pathname;
    expect(signPath).toMatch(/^\/sign\/[A-Za-z0-9_-]+$/);
    expect(await pm.getByRole('button', { name: 'Copy' }).isVisible()).toBe(true);
    await shot(pm, '06-project-issued');

    const beforeSigning = new Date(Date.now() + 1000).toISOString().slice(0, 19);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    // The client signs in a browser of their own.
    const client = await newPage();
    await client.goto(`${t.baseUrl}${signPath}`);
    await client.click('#consent-button');
    await client.waitForSelector('#sign-button');
    await client.fill('#name', 'Dana Whitfield');
    await client.click('#sign-button');
    await client.waitForSelector('text=Signed by Dana Whitfield');
    await shot(client, '07-client-signed');

    // Back to the PM: the work is on the board, admitted by CO-1.
    await pm.goto(`${projectUrl}/board`);
    const card = pm
      .locator('#col-backlog')
      .locator('xpath=ancestor::section[1]')
      .locator('article', { hasText: 'WIFI-1' });
    await card.waitFor();
    expect(await card.innerText()).toContain('CO-1');
    await card.getByRole('button', { name: /Ready/ }).click();
    await pm.waitForSelector('text=moved.');
    expect(await pm.locator('section[aria-labelledby="col-ready"]').innerText()).toContain(
      'Guest SSID and captive portal',
    );

    // Time beyond the signed estimate is flagged in red.
    const firewall = pm.locator('article', { hasText: 'NET-1' });
    const logTime = async (hours: string) => {
      await firewall.locator('summary', { hasText: 'Log time' }).click();
      await firewall.getByLabel('Hours').fill(hours);
      await firewall.getByRole('button', { name: 'Log time' }).click();
      await pm.waitForSelector('text=Time logged on C-1');
    };
    await logTime('20');
    await logTime('14');
    await pm.waitForSelector('text=Unapproved: 2.00 h over the signed estimate');
    await shot(pm, '08-board');

    // A WIP limit holds, and the refusal shows on the card that could not move.
    await pm.locator('summary', { hasText: 'WIP limits' }).click();
    await pm.getByRole('spinbutton', { name: 'Ready' }).fill('1');
    await pm.getByRole('button', { name: 'Save limits' }).click();
    await pm.waitForSelector('text=WIP limits saved');
    await pm.getByRole('button', { name: 'Move C-2 to Ready' }).click();
    expect(await pm.locator('#card-C-2 .card-error').innerText()).toBe('WIP limit reached: Ready holds at most 1 card');
    await shot(pm, '08b-board-wip-limit');

    await pm.goto(projectUrl);
    expect(await pm.locator('#scope').innerText()).toContain('WIFI-1');
    await shot(pm, '09-project-signed');

    // The same page as it stood before the client signed: read-only.
    await pm.getByLabel('As of').fill(beforeSigning);
    await pm.getByRole('button', { name: 'Show' }).click();
    await pm.waitForSelector('text=This is the project exactly as it stood then');
    expect(await pm.locator('#orders').innerText()).toContain('awaiting signature');
    expect(await pm.getByRole('button', { name: 'Log request' }).count()).toBe(0);
    await shot(pm, '09b-project-as-of');
    await pm.goto(`${projectUrl}/audit`);
    expect(await pm.locator('.notice.ok').innerText()).toContain('Hash chain verified');
    await shot(pm, '10-audit');

    // Finance finds the signed order and exports it.
    const finance = await newPage();
    await signIn(finance, financeKey);
    await finance.getByRole('link', { name: 'Finance' }).click();
    const row = finance.locator('tr', { hasText: 'Woodgrove Bank branch network refresh' });
    await row.waitFor();
    expect(await row.innerText()).toContain('CO-1');
    expect(await row.innerText()).toContain('USD 1,540.00');
    await row.locator('summary', { hasText: 'Record invoice' }).click();
    expect(await row.getByLabel('Amount (USD)').inputValue()).toBe('1,540.00');
    await row.getByLabel('Invoice number').fill('INV-2026-0142');
    await row.getByLabel('Amount (USD)').fill('1,000.00');
    await row.getByRole('button', { name: 'Record invoice' }).click();
    await finance.waitForSelector('text=Invoice recorded against CO-1');
    const invoiced = finance.locator('tr', { hasText: 'Woodgrove Bank branch network refresh' });
    expect(await invoiced.innerText()).toContain('INV-2026-0142');
    expect(await invoiced.innerText()).toContain('USD 540.00');
    await shot(finance, '11-finance');
    const [download] = await Promise.all([
      finance.waitForEvent('download'),
      finance.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toMatch(/Woodgrove Bank branch network refresh,Woodgrove Bank,CO-1,.*,USD,1540.00,1000.00,540.00,/);
    expect(csv).toContain(projectId);

    // A link to a project that does not exist answers with a page, not an API error.
    await pm.goto(`${t.baseUrl}/app/projects/6f1c0a52-8d0e-4c67-9a53-0c1f2a3b4c5d`);
    expect(await pm.locator('h1').innerText()).toBe('Not found');
    await shot(pm, '12-not-found');

    expect(problems).toEqual([]);
  }, 120_000);
});

/** Other projects, so the portfolio looks like a PM's real one. */
async function otherProjects(t: TestServer) {
  const open = async (name: string, client: string, email: string) => {
    const id = (
      await t.api
        .post('/api/projects', {
          name,
          client: { name: client, email },
          currency: 'USD',
          rates: { engineer: 15000, architect: 21000 },
          startDate: daysFromToday(-60),
        })
        .expect(201)
    ).body.id as string;
    await t.api
      .post(`/api/projects/${id}/baseline`, {
        items: [
          { ref: 'MIG-1', title: 'Mailbox migration', role: 'engineer', hours: 80 },
          { ref: 'MIG-2', title: 'Teams and SharePoint', role: 'engineer', hours: 40, fixedCost: 250000 },
          { ref: 'ARC-1', title: 'Tenant design', role: 'architect', hours: 16 },
        ],
        milestones: [
          { ref: 'M1', name: 'Pilot', due: daysFromToday(5) },
          { ref: 'M2', name: 'Cut-over', due: daysFromToday(35) },
        ],
      })
      .expect(201);
    return id;
  };
  const order = async (id: string, title: string, hours: number, days: number, sign: boolean) => {
    const cr = await t.api
      .post(`/api/projects/${id}/change-requests`, {
        title,
        description: '',
        source: 'email',
        requestedBy: { name: 'Alex Chen', email: 'alex@client.example' },
      })
      .expect(201);
    await t.api
      .post(`/api/projects/${id}/change-requests/${cr.body.id}/assessment`, {
        lines: [{ op: 'add', ref: `CHG-${cr.body.number}`, title, role: 'engineer', hours }],
        schedule: days ? [{ milestone: 'M2', workingDays: days }] : [],
      })
      .expect(200);
    const co = await t.api
      .post(`/api/projects/${id}/change-orders`, {
        changeRequestIds: [cr.body.id],
        signer: { name: 'Alex Chen', email: 'alex@client.example' },
      })
      .expect(201);
    const issued = await t.api.post(`/api/projects/${id}/change-orders/${co.body.id}/issue`).expect(200);
    if (sign) {
      const signPath = new URL(issued.body.signingUrl).pathname;
      await readAndConsent(t.http, signPath);
      await request(t.http)
        .post(signPath)
        .send({ name: 'Alex Chen', documentSha256: issued.body.documentSha256 })
        .expect(200);
    }
  };
  const contoso = await open('Contoso Microsoft 365 migration', 'Contoso Ltd', 'it@contoso.example');
  await order(contoso, 'Migrate two extra shared mailboxes', 6, 3, true);
  await order(contoso, 'Retention policies for legal', 10, 2, false);
  await t.api
    .post(`/api/projects/${contoso}/change-requests`, {
      title: 'Teams phone numbers for reception',
      description: '',
      source: 'meeting',
      requestedBy: { name: 'Alex Chen', email: 'alex@contoso.example' },
    })
    .expect(201);
  const fabrikam = await open('Fabrikam datacenter exit', 'Fabrikam Inc', 'ops@fabrikam.example');
  await order(fabrikam, 'Decommission two legacy file servers', 12, 0, true);
  await open('Tailspin Toys backup modernisation', 'Tailspin Toys', 'it@tailspin.example');
}
