import {
  assessedRequest,
  draftOrder,
  issueOrder,
  openProject,
  RequestName,
  signAsClient,
} from '../change-orders/change-order-scenario';
import { calendarDate } from '../../apps/server/src/web/pages/format';
import { startTestServer, TestServer } from '../support/test-server';
import { Agent, signedInAgent } from '../support/staff-session';

/** Finance's pages for settling money: dated invoices, credit notes, voids, and the reconciliation pages. */
describe('finance reconciliation pages', () => {
  let t: TestServer;
  let finance: { agent: Agent; csrf: string };
  const client = { name: 'Paged Ledger & Sons', email: 'ap@paged-ledger.example' };

  beforeAll(async () => {
    t = await startTestServer();
    finance = await signedInAgent(t, 'finance');
  });
  afterAll(async () => {
    await t.close();
  });

  async function signedOrder(projectId: string, which: RequestName): Promise<string> {
    const order = await draftOrder(t, projectId, [await assessedRequest(t, projectId, which)]);
    await signAsClient(t.http, await issueOrder(t, projectId, order.id));
    return order.id;
  }

  const post = (path: string, form: Record<string, string>) =>
    finance.agent
      .post(path)
      .type('form')
      .send({ _csrf: finance.csrf, ...form });

  it('records a dated invoice and a credit note, voids the invoice, and shows both pages as of a moment', async () => {
    const projectId = await openProject(t, 'Paged network refresh', { client });
    const vpn = await signedOrder(projectId, 'vpn'); // USD 1,250.00
    const wifi = await signedOrder(projectId, 'wifi'); // credits USD 644.63
    await signedOrder(projectId, 'printers'); // no charge

    const list = (await finance.agent.get('/app/finance').expect(200)).text;
    expect(list).toContain(`href="/app/finance/projects/${projectId}"`);
    expect(list).toContain(`href="/app/finance/clients/${encodeURIComponent(client.name)}"`);
    expect(list).toContain('Record credit note…');
    expect(list).toContain('no charge · settled');

    const tomorrowAndMore = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    // The order was signed today: its invoice is dated today, never before.
    const today = new Date().toISOString().slice(0, 10);
    const future = await post(`/app/finance/change-orders/${vpn}/invoices`, {
      invoiceNumber: 'INV-7',
      amount: '100.00',
      invoiceDate: tomorrowAndMore,
    }).expect(422);
    expect(future.text).toContain(`Invoice date ${tomorrowAndMore} is in the future`);

    await post(`/app/finance/change-orders/${vpn}/invoices`, {
      invoiceNumber: 'INV-7',
      amount: '1,250.00',
      invoiceDate: today,
    }).expect(303);
    // The credit is typed as a positive figure; the page records a credit note.
    await post(`/app/finance/change-orders/${wifi}/invoices`, { invoiceNumber: 'CN-7', amount: '644.63' }).expect(303);
    const beforeVoid = new Date().toISOString();

    const voided = await post(`/app/finance/change-orders/${vpn}/invoices/INV-7/void`, {
      reason: 'Issued on the wrong letterhead',
    }).expect(303);
    expect(voided.headers.location).toBe(`/app/finance/projects/${projectId}?done=void&ref=CO-1#order-${vpn}`);
    const missingReason = await post(`/app/finance/change-orders/${wifi}/invoices/CN-7/void`, { reason: '' }).expect(
      400,
    );
    expect(missingReason.text).toContain('reason');

    const page = (await finance.agent.get(voided.headers.location).expect(200)).text;
    expect(page).toContain('Invoice voided on CO-1.');
    expect(page).toMatch(
      new RegExp(
        '<s>Invoice <span class="mono">INV-7</span> USD 1,250\\.00\\s*' +
          `<span class="muted">dated ${calendarDate(today)}</span></s>`,
      ),
    );
    expect(page).toContain('voided');
    expect(page).toContain('Issued on the wrong letterhead');
    expect(page).toContain('Credit note <span class="mono">CN-7</span> -USD 644.63');
    expect(page).toContain('fully credited');
    expect(page).toContain('no charge · settled');
    expect(page).toContain('to invoice');

    const then = (
      await finance.agent.get(`/app/finance/projects/${projectId}?asOf=${encodeURIComponent(beforeVoid)}`).expect(200)
    ).text;
    expect(then).toContain('As of');
    expect(then).not.toContain('<s>');
    expect(then).toContain('fully invoiced');
    const bad = await finance.agent.get(`/app/finance/projects/${projectId}?asOf=yesterday`).expect(400);
    expect(bad.text).toContain('Enter a date and time');
    const tooEarly = await finance.agent.get(`/app/finance/projects/${projectId}?asOf=2020-01-01T00:00`).expect(400);
    expect(tooEarly.text).toContain('The project did not exist yet at that moment');

    const clientPage = (await finance.agent.get(`/app/finance/clients/${encodeURIComponent(client.name)}`).expect(200))
      .text;
    expect(clientPage).toContain('Paged Ledger &amp; Sons');
    expect(clientPage).toContain('Paged network refresh');
    expect(clientPage).toContain('Totals in USD');
    const clientThen = (
      await finance.agent
        .get(`/app/finance/clients/${encodeURIComponent(client.name)}?asOf=2020-01-01T00:00`)
        .expect(200)
    ).text;
    expect(clientThen).toContain('No project of this client existed at that moment');
    await finance.agent.get('/app/finance/clients/Nobody%20At%20All').expect(404);
  });
});
