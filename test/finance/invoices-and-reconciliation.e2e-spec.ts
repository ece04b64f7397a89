import { addCalendarDays, calendarDateIn } from '@scope-ledger/domain';
import { expectRefusedWithoutAppend } from '../api/api-helpers';
import {
  assessedRequest,
  draftOrder,
  figures,
  issueOrder,
  openProject,
  RequestName,
  signAsClient,
} from '../change-orders/change-order-scenario';
import { signedInAgent } from '../support/staff-session';
import { startTestServer, TestServer } from '../support/test-server';

/**
 * Money finance accepts, through the API: dated invoices that can be voided, a credit order settled by
 * credit notes, a no-charge order that needs nothing, and the reconciliation per project and per client.
 */
describe('invoices, credit notes and reconciliation', () => {
  let t: TestServer;
  const client = { name: 'Reconciled Freight Ltd', email: 'ap@reconciled-freight.example' };

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  /** Drafts, issues and has the client sign an order holding one request; returns the order's id. */
  async function signedOrder(projectId: string, which: RequestName): Promise<string> {
    const order = await draftOrder(t, projectId, [await assessedRequest(t, projectId, which)]);
    await signAsClient(t.http, await issueOrder(t, projectId, order.id));
    return order.id;
  }

  const invoices = (coId: string) => `/api/finance/change-orders/${coId}/invoices`;
  const today = () => new Date().toISOString().slice(0, 10);

  it('records dated invoices, voids one with a reason, settles a credit with credit notes and reconciles', async () => {
    const projectId = await openProject(t, 'Reconciled network', { client });
    const vpn = await signedOrder(projectId, 'vpn'); // bills 1,250.00
    const wifi = await signedOrder(projectId, 'wifi'); // credits 644.63
    const printers = await signedOrder(projectId, 'printers'); // no charge

    // The order was signed today: an invoice may carry today's date, never an earlier one.
    const first = await t.api.post(invoices(vpn), { invoiceNumber: 'INV-1', amount: 50000, invoiceDate: today() });
    expect([first.status, first.body.detail]).toEqual([201, undefined]);
    expect(first.body).toMatchObject({ kind: 'charge', invoiced: 50000, uninvoiced: figures.vpn2 - 50000 });
    expect(first.body.invoices).toEqual([
      expect.objectContaining({ invoiceNumber: 'INV-1', kind: 'invoice', invoiceDate: today(), voided: null }),
    ]);
    const beforeVoid = new Date().toISOString();

    const dated = await t.api.post(invoices(vpn), { invoiceNumber: 'INV-2', amount: 1000 }).expect(201);
    expect(dated.body.invoices[1].invoiceDate).toBe(today());

    const inThreeDays = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const future = await expectRefusedWithoutAppend(
      t,
      projectId,
      () => t.api.post(invoices(vpn), { invoiceNumber: 'INV-3', amount: 1000, invoiceDate: inThreeDays }),
      422,
      'invoiceDate',
    );
    expect(future.body.detail).toBe(`Invoice date ${inThreeDays} is in the future`);
    await expectRefusedWithoutAppend(
      t,
      projectId,
      () => t.api.post(invoices(vpn), { invoiceNumber: 'INV-3', amount: 1000, invoiceDate: '15/03/2026' }),
      400,
      'invoiceDate',
    );

    const voided = await t.api.post(`${invoices(vpn)}/INV-1/void`, { reason: 'Sent to the wrong entity' }).expect(201);
    expect(voided.body).toMatchObject({ invoiced: 1000, uninvoiced: figures.vpn2 - 1000, events: ['InvoiceVoided'] });
    expect(voided.body.invoices[0].voided).toMatchObject({ reason: 'Sent to the wrong entity' });
    await expectRefusedWithoutAppend(
      t,
      projectId,
      () => t.api.post(`${invoices(vpn)}/INV-1/void`, { reason: 'again' }),
      409,
    );
    await expectRefusedWithoutAppend(
      t,
      projectId,
      () => t.api.post(`${invoices(vpn)}/INV-9/void`, { reason: 'x' }),
      404,
    );
    await expectRefusedWithoutAppend(
      t,
      projectId,
      () => t.api.post(`${invoices(vpn)}/INV-2/void`, { reason: '' }),
      400,
      'reason',
    );
    const reused = await expectRefusedWithoutAppend(
      t,
      projectId,
      () => t.api.post(invoices(vpn), { invoiceNumber: 'INV-1', amount: 1000 }),
      409,
    );
    expect(reused.body.detail).toBe('Invoice INV-1 is already recorded against CO-1');

    // The credit order: credit notes (negative), never beyond the credit.
    const positive = await expectRefusedWithoutAppend(
      t,
      projectId,
      () => t.api.post(invoices(wifi), { invoiceNumber: 'INV-4', amount: 100 }),
      422,
      'amount',
    );
    expect(positive.body.detail).toBe('CO-2 credits the client: record a credit note (a negative amount)');
    await t.api.post(invoices(wifi), { invoiceNumber: 'CN-1', amount: -40000 }).expect(201);
    const beyond = await expectRefusedWithoutAppend(
      t,
      projectId,
      () => t.api.post(invoices(wifi), { invoiceNumber: 'CN-2', amount: -24464 }),
      409,
    );
    expect(beyond.body.detail).toBe('Credit note exceeds the credit of CO-2: USD 244.63 remains uncredited');
    const settled = await t.api.post(invoices(wifi), { invoiceNumber: 'CN-2', amount: -24463 }).expect(201);
    expect(settled.body).toMatchObject({ kind: 'credit', amount: -figures.wifi1, uninvoiced: 0, settled: true });

    const noCharge = await expectRefusedWithoutAppend(
      t,
      projectId,
      () => t.api.post(invoices(printers), { invoiceNumber: 'INV-5', amount: 1 }),
      409,
    );
    expect(noCharge.body.detail).toBe('CO-3 is a no-charge order: it needs no invoice');

    const reconciliation = (await t.api.get(`/api/finance/projects/${projectId}/reconciliation`).expect(200)).body;
    expect(reconciliation).toMatchObject({
      baseline: figures.baselineTotal,
      signedChanges: figures.vpn2 - figures.wifi1,
      contractValue: figures.baselineTotal + figures.vpn2 - figures.wifi1,
      invoiced: 1000,
      credited: -figures.wifi1,
      signedUninvoiced: figures.vpn2 - 1000,
      uncredited: 0,
    });
    expect(
      reconciliation.changeOrders.map((o: { number: string; kind: string; settled: boolean }) => [
        o.number,
        o.kind,
        o.settled,
      ]),
    ).toEqual([
      ['CO-1', 'charge', false],
      ['CO-2', 'credit', true],
      ['CO-3', 'no_charge', true],
    ]);

    // Before the void, INV-1 still counted.
    const then = (
      await t.api
        .get(`/api/finance/projects/${projectId}/reconciliation?asOf=${encodeURIComponent(beforeVoid)}`)
        .expect(200)
    ).body;
    expect(then).toMatchObject({ invoiced: 50000, credited: 0, signedUninvoiced: figures.vpn2 - 50000 });
    expect(then.changeOrders[0].invoices[0].voided).toBeNull();

    // The CSV lists live invoices by number, date and amount, and credit notes with negative amounts.
    const csv = await t.api
      .get(`/api/finance/change-orders?client=${encodeURIComponent(client.name)}`)
      .set('Accept', 'text/csv')
      .expect(200);
    const rows = csv.text.split('\r\n');
    const co1 = rows.find((r) => r.includes(',CO-1,'))!;
    expect(co1).toContain(`INV-2 ${today()} 10.00`);
    expect(co1).not.toContain('INV-1');
    expect(co1).toContain(',1250.00,10.00,1240.00,');
    const co2 = rows.find((r) => r.includes(',CO-2,'))!;
    expect(co2).toContain(`CN-1 ${today()} -400.00; CN-2 ${today()} -244.63`);
    expect(co2).toContain(',-644.63,-644.63,0.00,');
  });

  it('refuses an invoice dated before its order was signed, naming the date and the day of signing', async () => {
    const projectId = await openProject(t, 'Backdated invoices', { client });
    const vpn = await signedOrder(projectId, 'vpn');
    const backdated = await expectRefusedWithoutAppend(
      t,
      projectId,
      () => t.api.post(invoices(vpn), { invoiceNumber: 'INV-2020', amount: 1000, invoiceDate: '2020-01-01' }),
      422,
      'invoiceDate',
    );
    expect(backdated.body.detail).toBe(`Invoice date 2020-01-01 is before CO-1 was signed on ${today()}`);
  });

  it('takes an invoice number once in a project: any order or the baseline, any case, voided or not', async () => {
    const projectId = await openProject(t, 'Numbered invoices', { client });
    const vpn = await signedOrder(projectId, 'vpn'); // CO-1 bills 1,250.00
    const wifi = await signedOrder(projectId, 'wifi'); // CO-2 credits 644.63
    await t.api.post(invoices(vpn), { invoiceNumber: 'INV-1001', amount: 1000 }).expect(201);
    for (const invoiceNumber of ['INV-1001', 'inv-1001']) {
      const taken = await expectRefusedWithoutAppend(
        t,
        projectId,
        () => t.api.post(invoices(wifi), { invoiceNumber, amount: -1000 }),
        409,
      );
      expect(taken.body.detail).toBe('Invoice INV-1001 is already recorded against CO-1');
    }
    const onBaseline = await expectRefusedWithoutAppend(
      t,
      projectId,
      () => t.api.post(`/api/projects/${projectId}/invoices`, { invoiceNumber: 'Inv-1001', amount: 1000 }),
      409,
    );
    expect(onBaseline.body.detail).toBe('Invoice INV-1001 is already recorded against CO-1');
    await t.api.post(`${invoices(vpn)}/INV-1001/void`, { reason: 'Wrong amount' }).expect(201);
    await expectRefusedWithoutAppend(
      t,
      projectId,
      () => t.api.post(invoices(wifi), { invoiceNumber: 'INV-1001', amount: -1000 }),
      409,
    );
    await t.api.post(invoices(wifi), { invoiceNumber: 'CN-1002', amount: -1000 }).expect(201);
  });

  it("judges an invoice's date by the project's today in its time zone", async () => {
    const zone = 'America/Los_Angeles';
    const projectId = await openProject(t, 'Invoices in Los Angeles', { client, timeZone: zone });
    const vpn = await signedOrder(projectId, 'vpn');
    const todayThere = calendarDateIn(new Date().toISOString(), zone);
    const tomorrowThere = addCalendarDays(todayThere, 1);
    const refusals = [
      () => t.api.post(invoices(vpn), { invoiceNumber: 'INV-LA-1', amount: 1000, invoiceDate: tomorrowThere }),
      () =>
        t.api.post(`/api/projects/${projectId}/invoices`, {
          invoiceNumber: 'INV-LA-1',
          amount: 1000,
          invoiceDate: tomorrowThere,
        }),
    ];
    for (const send of refusals) {
      const refused = await expectRefusedWithoutAppend(t, projectId, send, 422, 'invoiceDate');
      expect(refused.body.detail).toBe(
        `Invoice date ${tomorrowThere} is in the future (today is ${todayThere} in America/Los_Angeles)`,
      );
    }
    const dated = await t.api.post(invoices(vpn), { invoiceNumber: 'INV-LA-2', amount: 1000 }).expect(201);
    expect(dated.body.invoices[0].invoiceDate).toBe(todayThere);
  });

  it("dates and caps each order's invoice form on the finance page at its project's today", async () => {
    // At any moment one of these zones (UTC-11 and UTC+14) is on another date than UTC.
    const zones = ['Pacific/Pago_Pago', 'Pacific/Kiritimati'];
    const orders = [];
    for (const zone of zones) {
      const projectId = await openProject(t, `Invoices in ${zone}`, { client, timeZone: zone });
      orders.push(await signedOrder(projectId, 'vpn'));
    }
    const list = await t.api.get('/api/finance/change-orders').expect(200);
    const rows = list.body.changeOrders as { changeOrderId: string; timeZone: string | null }[];
    expect(orders.map((id) => rows.find((r) => r.changeOrderId === id)?.timeZone)).toEqual(zones);

    const { agent } = await signedInAgent(t, 'finance');
    const page = (await agent.get('/app/finance').expect(200)).text;
    const now = new Date().toISOString();
    orders.forEach((id, i) => {
      const today = calendarDateIn(now, zones[i]);
      const field = new RegExp(`<input[^>]*id="invoice-${id}-invoiceDate"[^>]*>`).exec(page)?.[0];
      expect(field).toContain(`value="${today}"`);
      expect(field).toContain(`max="${today}"`);
    });
  });

  it("reconciles a client's projects with totals per currency", async () => {
    const other = { name: 'Two Ledger Holdings', email: 'ap@two-ledger.example' };
    const usd = await openProject(t, 'Ledger USD', { client: other });
    const eur = await openProject(t, 'Ledger EUR', { client: other, currency: 'EUR' });
    await t.api.post(invoices(await signedOrder(usd, 'vpn')), { invoiceNumber: 'U-1', amount: 25000 }).expect(201);
    await signedOrder(eur, 'vpn');

    const answer = (
      await t.api.get(`/api/finance/clients/${encodeURIComponent('two ledger holdings')}/reconciliation`).expect(200)
    ).body;
    expect(answer.client).toBe(other.name);
    expect(answer.projects.map((p: { project: string }) => p.project).sort()).toEqual(['Ledger EUR', 'Ledger USD']);
    expect(answer.totals.USD).toMatchObject({ contractValue: figures.baselineTotal + figures.vpn2, invoiced: 25000 });
    expect(answer.totals.EUR).toMatchObject({ signedUninvoiced: figures.vpn2, invoiced: 0 });

    const before = (
      await t.api
        .get(`/api/finance/clients/${encodeURIComponent(other.name)}/reconciliation?asOf=2020-01-01T00:00:00Z`)
        .expect(200)
    ).body;
    expect(before).toMatchObject({ projects: [], currencies: [] });

    const unknown = await t.api.get('/api/finance/clients/Nobody%20Here/reconciliation');
    expect(unknown.status).toBe(404);
  });
});
