import { readFileSync } from 'node:fs';
import request from 'supertest';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { ChangeOrderService } from '../../apps/server/src/change-orders/change-order.service';
import { launchChromium } from '../support/chromium';
import { startTestServer, TestServer } from '../support/test-server';
import { SmtpTestServer, startSmtpTestServer } from '../notifications/smtp-test-server';
import {
  assessedRequest,
  draftOrder,
  IssuedOrder,
  issueOrder,
  openProject,
  projectBody,
  requests,
  signAsClient,
  signer,
} from '../change-orders/change-order-scenario';
import { reviseOrder, staleOrderAfterCo2Signed } from '../change-orders/stale-order-scenario';
import { issuedProductOrder, products } from '../change-orders/product-order-scenario';
import { signedOrderPdfs } from '../verify/verify-scenario';

/** axe-core's browser build, evaluated in each page as it stands. */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * Every staff page and every state of the signing and verify pages, checked with axe-core in Chromium:
 * none may have a violation axe rates serious or critical. Needs Debian's chromium (apt-get install chromium).
 * GET /disclosures/:sha256 is left out: it answers the stored disclosure as text/plain, byte for byte what its
 * hash covers, and signers read that text on the signing page, which is checked here.
 */
describe('accessibility of every page (axe-core in Chromium)', () => {
  let t: TestServer;
  let smtp: SmtpTestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const staff = new Map<'pm' | 'finance' | 'admin', Page>();

  // What the pages show, built through the API before the pages are visited.
  let projectId: string;
  let other: string;
  let withoutBaseline: string;
  let staleProject: string;
  let revisedProject: string;
  let productOrder: Awaited<ReturnType<typeof issuedProductOrder>>;
  let loggedRequestId: string;
  let assessedRequestId: string;
  const links = new Map<string, IssuedOrder>();
  let staleLink: IssuedOrder;
  let supersededLink: IssuedOrder;
  let revisedLink: IssuedOrder;
  let sealedPdf: Buffer;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    [t, browser] = await Promise.all([
      startTestServer({ listen: true, config: { smtpUrl: smtp.url } }),
      launchChromium(),
    ]);

    // One project with an order in every state a PM meets: signed and invoiced, issued, consented, declined, drafted.
    projectId = await openProject(t, projectBody.name);
    const ids = {
      mfa: await assessedRequest(t, projectId, 'mfa'),
      vpn: await assessedRequest(t, projectId, 'vpn'),
      docs: await assessedRequest(t, projectId, 'docs'),
      wifi: await assessedRequest(t, projectId, 'wifi'),
      printers: await assessedRequest(t, projectId, 'printers'),
    };
    assessedRequestId = ids.printers;
    loggedRequestId = (
      await t.api
        .post(`/api/projects/${projectId}/change-requests`, { ...requests.vpn.log, title: 'Badge readers' })
        .expect(201)
    ).body.id as string;

    const signed = await draftOrder(t, projectId, [ids.mfa]);
    const signedLink = await issueOrder(t, projectId, signed.id);
    await signAsClient(t.http, signedLink);
    links.set('signed', signedLink);
    await t.api
      .post(`/api/finance/change-orders/${signed.id}/invoices`, { invoiceNumber: 'INV-2026-0007', amount: 20000 })
      .expect(201);
    await t.api
      .post(`/api/projects/${projectId}/invoices`, { invoiceNumber: 'INV-2026-0003', amount: 200000, milestone: 'M1' })
      .expect(201);

    links.set('open', await issueOrder(t, projectId, (await draftOrder(t, projectId, [ids.vpn])).id));
    const consented = await issueOrder(t, projectId, (await draftOrder(t, projectId, [ids.docs])).id);
    await request(t.http).get(consented.signPath).expect(200);
    await request(t.http).post(`${consented.signPath}/consent`).send({}).expect(200);
    links.set('consented', consented);
    const declined = await issueOrder(t, projectId, (await draftOrder(t, projectId, [ids.wifi])).id);
    await request(t.http).post(`${declined.signPath}/decline`).send({ reason: 'Not this quarter' }).expect(200);
    links.set('declined', declined);
    await draftOrder(t, projectId, [ids.printers]);

    // A second project for the links that end: withdrawn, voided, expired, and one that asks for a code.
    other = await openProject(t, 'Harbour warehouse cabling');
    const withdrawn = await issueOrder(
      t,
      other,
      (await draftOrder(t, other, [await assessedRequest(t, other, 'vpn')])).id,
    );
    await request(t.http).get(withdrawn.signPath).expect(200);
    await request(t.http).post(`${withdrawn.signPath}/consent`).send({}).expect(200);
    await request(t.http).post(`${withdrawn.signPath}/consent/withdraw`).send({}).expect(200);
    links.set('withdrawn', withdrawn);
    const voided = await draftOrder(t, other, [await assessedRequest(t, other, 'docs')]);
    links.set('voided', await issueOrder(t, other, voided.id));
    await t.api
      .post(`/api/projects/${other}/change-orders/${voided.id}/void`, { reason: 'Repricing after the site visit' })
      .expect(200);
    const expiring = await draftOrder(t, other, [await assessedRequest(t, other, 'wifi')], { expiresInDays: 1 });
    links.set('expired', await issueOrder(t, other, expiring.id));
    await t.server.app.get(ChangeOrderService).expireOverdue(new Date(Date.now() + 3 * 86_400_000).toISOString());
    const coded = await t.api
      .post(`/api/projects/${other}/change-orders`, {
        changeRequestIds: [await assessedRequest(t, other, 'printers')],
        signer,
        signerVerification: 'email_code',
      })
      .expect(201);
    const codeLink = await issueOrder(t, other, coded.body.id as string);
    await request(t.http).get(codeLink.signPath).expect(200);
    await request(t.http).post(`${codeLink.signPath}/consent`).send({}).expect(200);
    await request(t.http).post(`${codeLink.signPath}/code`).send({}).expect(200);
    links.set('code', codeLink);

    // An order whose figures changed since issue, and its revision with the old link gone.
    const stale = await staleOrderAfterCo2Signed(t);
    staleLink = stale.co1Link;
    staleProject = stale.projectId;
    const staleAgain = await staleOrderAfterCo2Signed(t);
    supersededLink = staleAgain.co1Link;
    revisedProject = staleAgain.projectId;
    revisedLink = (await reviseOrder(t, staleAgain.projectId, staleAgain.co1)).link;

    withoutBaseline = (await t.api.post('/api/projects', { ...projectBody, name: 'Harbour new site' }).expect(201)).body
      .id as string;
    // What the project waits for from the client: one overdue, one that arrived late.
    const dependencies = `/api/projects/${projectId}/client-dependencies`;
    await t.api
      .post(dependencies, {
        what: 'Sign-off of the network design',
        milestone: 'M2',
        since: '2026-11-02',
        due: '2026-11-06',
      })
      .expect(201);
    const late = await t.api
      .post(dependencies, {
        what: 'Firewall admin credentials',
        milestone: 'M1',
        since: '2026-03-09',
        due: '2026-03-11',
      })
      .expect(201);
    await t.api.post(`${dependencies}/${late.body.id}/resolve`, { resolvedOn: '2026-03-16' }).expect(200);

    // Licences and hardware from the catalogue on an order the client has yet to sign.
    productOrder = await issuedProductOrder(t, 'Dockside office');
    await t.api
      .post('/api/catalogue/products', { ...products.licence, sku: 'LIC-OLD-1', name: 'Legacy backup licence' })
      .expect(201);
    await t.api.post('/api/catalogue/products/LIC-OLD-1/retire').expect(200);
    links.set('products', productOrder.link);
    const archived = (await t.api.post('/api/projects', { ...projectBody, name: 'Harbour old office' }).expect(201))
      .body.id as string;
    await t.api.post(`/api/projects/${archived}/close`).expect(200);
    await t.api.post(`/api/projects/${archived}/archive`).expect(200);
    sealedPdf = (await signedOrderPdfs(t, 'Checked for accessibility')).sealedPdf;

    for (const role of ['pm', 'finance', 'admin'] as const) {
      const page = await newPage();
      await page.goto(`${t.baseUrl}/app/sign-in`);
      await page.getByLabel('API key').fill(await t.keyFor(role));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${t.baseUrl}/app`);
      staff.set(role, page);
    }
  }, 300_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
    await smtp?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context.newPage();
  }

  /** The serious and critical violations on the page as it stands, one line per element. */
  async function seriousViolations(page: Page): Promise<string[]> {
    // Forms folded into <details> (log time, record an invoice) are checked open.
    await page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })");
    await page.evaluate(AXE_SOURCE);
    const violations = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as {
      violations: AxeViolation[];
    };
    return violations.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(n.target)}`));
  }

  const staffUrl = (path: string) => `${t.baseUrl}${path}`;
  const anonymous = async (path: string, status = 200) => {
    const page = await newPage();
    const response = await page.goto(staffUrl(path));
    expect(response!.status()).toBe(status);
    return page;
  };
  const asStaff = async (role: 'pm' | 'finance' | 'admin', path: string, status = 200) => {
    const page = staff.get(role)!;
    const response = await page.goto(staffUrl(path));
    expect(response!.status()).toBe(status);
    return page;
  };
  /** A person with a 2-hour week, a day off and an outage, who carries the project's first card: over capacity. */
  let staffed = false;
  const staffTheProject = async () => {
    if (staffed) return;
    staffed = true;
    await t.api
      .post('/api/team/people', {
        name: 'Ada Quinn',
        role: 'engineer',
        weeklyCapacityHours: 2,
        email: 'ada@msp.example',
      })
      .expect(201);
    const monday = new Date(Date.now() - ((new Date().getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
    await t.api.post('/api/team/people/P-1/time-off', { from: monday, to: monday, note: 'Dentist' }).expect(201);
    await t.api.post('/api/team/people/P-1/reactive-work', { weekOf: monday, hours: 0.5, kind: 'outage' }).expect(201);
    await request(t.http)
      .put(`/api/projects/${projectId}/board/cards/C-1/assignee`)
      .set('Authorization', `Bearer ${await t.keyFor('admin')}`)
      .send({ personId: 'P-1' })
      .expect(200);
  };
  const heading = async (page: Page, text: string | RegExp) =>
    expect(await page.locator('h1').innerText()).toMatch(text);

  const pages: [name: string, open: () => Promise<Page>][] = [
    // Staff pages.
    ['sign-in', () => anonymous('/app/sign-in')],
    [
      'sign-in refused',
      async () => {
        const page = await anonymous('/app/sign-in');
        await page.getByLabel('API key').fill('sl_not_a_key');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.locator('[role="alert"], .error, .field-error').first().waitFor();
        return page;
      },
    ],
    [
      'portfolio',
      async () => {
        const page = await asStaff('pm', '/app');
        await heading(page, 'Portfolio');
        return page;
      },
    ],
    ['portfolio sorted by what waits on clients', () => asStaff('pm', '/app?sort=client')],
    [
      'portfolio with archived projects',
      async () => {
        const page = await asStaff('pm', '/app?archived=true');
        await page.getByText('Harbour old office').waitFor();
        return page;
      },
    ],
    ['new project', () => asStaff('pm', '/app/projects/new')],
    [
      'new project refused',
      async () => {
        const page = await asStaff('pm', '/app/projects/new');
        await page.getByRole('button', { name: 'Open project' }).click();
        await page.locator('.field-error, [id$="-error"]').first().waitFor();
        return page;
      },
    ],
    [
      'project',
      async () => {
        const page = await asStaff('pm', `/app/projects/${projectId}`);
        await heading(page, projectBody.name);
        await page.getByText('Sign-off of the network design').first().waitFor();
        return page;
      },
    ],
    [
      'project as of a past moment',
      async () => {
        const page = await asStaff(
          'pm',
          `/app/projects/${projectId}?asOf=${new Date(Date.now() - 1000).toISOString()}`,
        );
        await page.getByText('This is the project exactly as it stood then').waitFor();
        return page;
      },
    ],
    [
      'project with withdrawn, voided and expired orders',
      async () => {
        const page = await asStaff('pm', `/app/projects/${other}`);
        await page.getByText('expired').first().waitFor();
        return page;
      },
    ],
    ['project with a notice', () => asStaff('pm', `/app/projects/${projectId}?done=logged&ref=CR-6`)],
    ['project awaiting its baseline', () => asStaff('pm', `/app/projects/${withoutBaseline}`)],
    ['project with an order whose figures changed', () => asStaff('pm', `/app/projects/${staleProject}`)],
    ['project with a revised order', () => asStaff('pm', `/app/projects/${revisedProject}`)],
    ['project with catalogue products on an order', () => asStaff('pm', `/app/projects/${productOrder.projectId}`)],
    ['project settings', () => asStaff('pm', `/app/projects/${projectId}/settings`)],
    [
      'project settings refused',
      async () => {
        const page = await asStaff('pm', `/app/projects/${projectId}/settings`);
        await page.getByLabel('Project name').fill('');
        await page.getByRole('button', { name: 'Save settings' }).click();
        await page.locator('[id$="-error"]').first().waitFor();
        return page;
      },
    ],
    [
      'change request, assessed',
      () => asStaff('pm', `/app/projects/${projectId}/change-requests/${assessedRequestId}`),
    ],
    ['change request, to assess', () => asStaff('pm', `/app/projects/${projectId}/change-requests/${loggedRequestId}`)],
    [
      'change request with catalogue products',
      () => asStaff('pm', `/app/projects/${productOrder.projectId}/change-requests/${productOrder.requestId}`),
    ],
    [
      'change request with a refused assessment',
      async () => {
        const page = await asStaff('pm', `/app/projects/${projectId}/change-requests/${loggedRequestId}`);
        await page.getByLabel('Line 1 hours', { exact: true }).fill('six');
        await page.getByRole('button', { name: 'Save assessment' }).click();
        await page.locator('#assess-lines-0-hours-error').waitFor();
        return page;
      },
    ],
    [
      'board',
      async () => {
        const page = await asStaff('pm', `/app/projects/${projectId}/board`);
        await page.locator('article', { hasText: 'MFA-1' }).waitFor();
        return page;
      },
    ],
    [
      'board with time over the signed estimate',
      async () => {
        const page = await asStaff('pm', `/app/projects/${projectId}/board`);
        const card = page.locator('article', { hasText: 'MFA-1' });
        await card.locator('summary', { hasText: 'Log time' }).click();
        await card.getByLabel('Hours').fill('5');
        await card.getByRole('button', { name: 'Log time' }).click();
        await page.getByText('Unapproved: 3.00 h over the signed estimate').waitFor();
        return page;
      },
    ],
    [
      'board as of a past moment',
      () => asStaff('pm', `/app/projects/${projectId}/board?asOf=${new Date(Date.now() - 1000).toISOString()}`),
    ],
    [
      'card',
      async () => {
        const board = await asStaff('pm', `/app/projects/${projectId}/board`);
        await board.locator('article', { hasText: 'MFA-1' }).getByRole('link').first().click();
        await board.waitForURL(/\/board\/cards\//);
        return board;
      },
    ],
    [
      'catalogue',
      async () => {
        const page = await asStaff('pm', '/app/catalogue');
        await page.getByText('HW-FW-60F').first().waitFor();
        return page;
      },
    ],
    [
      'catalogue refused',
      async () => {
        const page = await asStaff('pm', '/app/catalogue');
        await page.getByRole('button', { name: 'Add to the catalogue' }).click();
        await page.locator('[id$="-error"]').first().waitFor();
        return page;
      },
    ],
    ['catalogue product', () => asStaff('pm', '/app/catalogue/HW-FW-60F')],
    [
      'catalogue product, retired',
      async () => {
        const page = await asStaff('pm', '/app/catalogue/LIC-OLD-1');
        await page
          .getByText(/retired/i)
          .first()
          .waitFor();
        return page;
      },
    ],
    ['audit', () => asStaff('pm', `/app/projects/${projectId}/audit`)],
    [
      'team',
      async () => {
        await staffTheProject();
        return asStaff('pm', '/app/team');
      },
    ],
    [
      'team member with time off and reactive work',
      async () => {
        await staffTheProject();
        return asStaff('pm', '/app/team/P-1');
      },
    ],
    [
      'capacity heat map, over-allocated',
      async () => {
        await staffTheProject();
        return asStaff('pm', '/app/capacity');
      },
    ],
    [
      'the cards behind a capacity cell',
      async () => {
        await staffTheProject();
        const heatMap = await asStaff('pm', '/app/capacity');
        const cell = await heatMap.locator('a[data-band="over"]').first().getAttribute('href');
        return asStaff('pm', cell!);
      },
    ],
    [
      'finance',
      async () => {
        const page = await asStaff('finance', '/app/finance');
        await page.getByText('INV-2026-0007').first().waitFor();
        return page;
      },
    ],
    ['finance reconciliation of a project', () => asStaff('finance', `/app/finance/projects/${projectId}`)],
    [
      'finance reconciliation of a client',
      () => asStaff('finance', `/app/finance/clients/${encodeURIComponent(projectBody.client.name)}`),
    ],
    ['admin', () => asStaff('admin', '/app/admin')],
    [
      'API keys with a new key shown once',
      async () => {
        const page = await asStaff('admin', '/app/admin/keys');
        await page.getByLabel('Name').fill('Accessibility check');
        await page.getByRole('button', { name: 'Create key' }).click();
        await page.locator('#new-key-value').waitFor();
        return page;
      },
    ],
    [
      'revoking an API key, the confirmation',
      async () => {
        const key = await t.api.post('/api/admin/api-keys', { name: 'To revoke', role: 'pm' }).expect(201);
        return asStaff('admin', `/app/admin/keys/${key.body.id}/revoke`);
      },
    ],
    ['outbox', () => asStaff('admin', '/app/admin/outbox')],
    [
      'read models after a rebuild followed on the page',
      async () => {
        const page = await asStaff('admin', '/app/admin/projections');
        await page.getByRole('button', { name: 'Rebuild read models' }).click();
        await page.getByText(/^Done: /).waitFor({ timeout: 60_000 });
        return page;
      },
    ],
    [
      'audit trail verified',
      async () => {
        const page = await asStaff('admin', '/app/admin/audit?verify=now');
        await page.getByText('Every hash chain is intact').waitFor();
        return page;
      },
    ],
    ['an admin page refused to a PM (403)', () => asStaff('pm', '/app/admin', 403)],
    [
      'not found',
      async () => {
        const page = await asStaff('pm', '/app/projects/6f1c0a52-8d0e-4c67-9a53-0c1f2a3b4c5d', 404);
        await heading(page, 'Not found');
        return page;
      },
    ],

    // The client's signing link in each state, and the public pages beside it.
    ['signing link before consent', () => signing('open', '#consent-button')],
    ['signing link with catalogue products', () => signing('products', '#consent-button')],
    ['signing link after consent', () => signing('consented', '#sign-button')],
    [
      'signing link with the decline form open',
      async () => {
        const page = await signing('open', '#show-decline');
        await page.click('#show-decline');
        await page.locator('#decline-reason').waitFor();
        return page;
      },
    ],
    ['signing link asking for the emailed code', () => signing('code', '#code')],
    ['signing link signed', () => signing('signed', '.ok')],
    ['signing link declined', () => signing('declined', '.warn')],
    ['signing link after consent was withdrawn', () => signing('withdrawn', '#consent-withdrawn')],
    ['signing link of a voided order (410)', () => signing('voided', 'h1', 410)],
    ['signing link of an expired order (410)', () => signing('expired', 'h1', 410)],
    [
      'signing link of an order whose figures changed',
      async () => {
        const page = await anonymous(staleLink.signPath);
        expect(await page.locator('#consent-button').count()).toBe(0);
        return page;
      },
    ],
    ['signing link replaced by a revision (410)', () => anonymous(supersededLink.signPath, 410)],
    ['signing link of a revision', () => anonymous(revisedLink.signPath)],
    ['signing link that does not exist (404)', () => anonymous(`/sign/${'x'.repeat(43)}`, 404)],
    ['verify', () => anonymous('/verify')],
    [
      'verify, with a sealed PDF checked',
      async () => {
        const page = await anonymous('/verify');
        await page.setInputFiles('#file', { name: 'CO-1-signed.pdf', mimeType: 'application/pdf', buffer: sealedPdf });
        await Promise.all([page.waitForURL(`${t.baseUrl}/api/verify`), page.click('#check-button')]);
        await page.locator('#verdict').waitFor();
        return page;
      },
    ],
  ];

  async function signing(state: string, shows: string, status = 200): Promise<Page> {
    const page = await anonymous(links.get(state)!.signPath, status);
    await page.locator(shows).first().waitFor();
    return page;
  }

  it.each(pages)('%s has no serious or critical violation', async (_name, open) => {
    const page = await open();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
