import request from 'supertest';
import { expectRefusedWithoutAppend, momentBetween } from '../api/api-helpers';
import {
  assessedRequest,
  draftOrder,
  figures,
  issueOrder,
  openProject,
  signAsClient,
} from '../change-orders/change-order-scenario';
import { Agent, signedInAgent } from '../support/staff-session';
import { startTestServer, TestServer } from '../support/test-server';

/**
 * Finance bills the baseline contract as well as signed orders: invoices against the baseline as a whole or a
 * milestone, voided with a reason, never beyond what is left of it, each number once in the project. The
 * scenario's baseline is worth 4,716.13 (M1 Network live, M2 Handover, M3 Warranty review).
 */
describe('invoices against the baseline contract', () => {
  let t: TestServer;
  let financeKey: string;
  let finance: { agent: Agent; csrf: string };
  const client = { name: 'Baseline Billing Co', email: 'ap@baseline-billing.example' };

  beforeAll(async () => {
    t = await startTestServer();
    financeKey = await t.keyFor('finance');
    finance = await signedInAgent(t, 'finance');
  });
  afterAll(async () => {
    await t.close();
  });

  const as = (key: string) => ({
    get: (path: string) => request(t.http).get(path).set('Authorization', `Bearer ${key}`),
    post: (path: string, body: object) => request(t.http).post(path).set('Authorization', `Bearer ${key}`).send(body),
  });
  const csvLines = (text: string) => text.slice(1, -2).split('\r\n');

  it('records milestone and whole-baseline invoices, refuses what breaks the rules, voids and reconciles', async () => {
    const api = as(financeKey);
    const projectId = await openProject(t, 'Baseline billed network', { client });
    const invoices = `/api/projects/${projectId}/invoices`;

    const m1 = await api.post(invoices, {
      invoiceNumber: 'INV-B1',
      amount: 200000,
      milestone: 'M1',
      invoiceDate: '2026-03-20',
    });
    expect([m1.status, m1.body.detail]).toEqual([201, undefined]);
    expect(m1.body).toMatchObject({
      contract: figures.baselineTotal,
      invoiced: 200000,
      uninvoiced: 271613, // 4,716.13 − 2,000.00
      milestones: [
        { milestone: 'M1', name: 'Network live', invoiced: 200000 },
        { milestone: 'M2', name: 'Handover', invoiced: 0 },
        { milestone: 'M3', name: 'Warranty review', invoiced: 0 },
      ],
      notByMilestone: 0,
      events: ['BaselineInvoiceRecorded'],
    });
    expect(m1.body.invoices).toEqual([
      expect.objectContaining({ invoiceNumber: 'INV-B1', amount: 200000, invoiceDate: '2026-03-20', milestone: 'M1' }),
    ]);
    const whole = await api.post(invoices, { invoiceNumber: 'INV-B2', amount: 100000, invoiceDate: '2026-03-25' });
    expect(whole.status).toBe(201);
    expect(whole.body).toMatchObject({ invoiced: 300000, uninvoiced: 171613, notByMilestone: 100000 });

    // 171,613 remain: one cent more is refused, as are nothing, credits, unknown milestones and a number in use.
    const over = await expectRefusedWithoutAppend(
      t,
      projectId,
      () => api.post(invoices, { invoiceNumber: 'INV-B3', amount: 171614 }),
      409,
    );
    expect(over.body.detail).toBe('Invoice exceeds the baseline contract: USD 1,716.13 of it remains uninvoiced');
    await expectRefusedWithoutAppend(
      t,
      projectId,
      () => api.post(invoices, { invoiceNumber: 'X', amount: 0 }),
      422,
      'amount',
    );
    await expectRefusedWithoutAppend(
      t,
      projectId,
      () => api.post(invoices, { invoiceNumber: 'X', amount: -500 }),
      422,
      'amount',
    );
    const unknown = await expectRefusedWithoutAppend(
      t,
      projectId,
      () => api.post(invoices, { invoiceNumber: 'X', amount: 500, milestone: 'M9' }),
      422,
      'milestone',
    );
    expect(unknown.body.detail).toBe('The baseline has no milestone M9 (milestones: M1, M2, M3)');
    await expectRefusedWithoutAppend(
      t,
      projectId,
      () => api.post(invoices, { invoiceNumber: 'INV-B1', amount: 500 }),
      409,
    );
    const pm = as(await t.keyFor('pm'));
    await expectRefusedWithoutAppend(t, projectId, () => pm.post(invoices, { invoiceNumber: 'X', amount: 500 }), 403);

    // A change order's invoice cannot take a number the baseline used, nor the other way round.
    const order = await draftOrder(t, projectId, [await assessedRequest(t, projectId, 'vpn')]);
    await signAsClient(t.http, await issueOrder(t, projectId, order.id));
    const orderInvoice = (n: string) =>
      api.post(`/api/finance/change-orders/${order.id}/invoices`, { invoiceNumber: n, amount: 1000 });
    const taken = await expectRefusedWithoutAppend(t, projectId, () => orderInvoice('INV-B1'), 409);
    expect(taken.body.detail).toBe('Invoice INV-B1 is already recorded against the baseline contract');
    await orderInvoice('INV-CO1').expect(201);
    const takenByOrder = await expectRefusedWithoutAppend(
      t,
      projectId,
      () => api.post(invoices, { invoiceNumber: 'INV-CO1', amount: 500 }),
      409,
    );
    expect(takenByOrder.body.detail).toBe('Invoice INV-CO1 is already recorded against CO-1');

    const beforeVoid = await momentBetween();
    const voided = await api.post(`${invoices}/INV-B2/void`, { reason: 'Billed to the wrong entity' });
    expect(voided.status).toBe(201);
    expect(voided.body).toMatchObject({ invoiced: 200000, uninvoiced: 271613, notByMilestone: 0 });
    expect(voided.body.invoices[1]).toMatchObject({
      invoiceNumber: 'INV-B2',
      voided: { reason: 'Billed to the wrong entity' },
    });
    await expectRefusedWithoutAppend(t, projectId, () => api.post(`${invoices}/INV-B2/void`, { reason: 'again' }), 409);
    await expectRefusedWithoutAppend(t, projectId, () => api.post(`${invoices}/INV-404/void`, { reason: 'x' }), 404);

    const reconciliation = `/api/finance/projects/${projectId}/reconciliation`;
    const now = (await api.get(reconciliation).expect(200)).body;
    expect(now).toMatchObject({
      baseline: figures.baselineTotal,
      baselineInvoiced: 200000,
      baselineUninvoiced: 271613,
    });
    expect(now.baselineBilling.milestones[0]).toEqual({ milestone: 'M1', name: 'Network live', invoiced: 200000 });
    expect(now.baselineBilling.invoices.map((i: { invoiceNumber: string }) => i.invoiceNumber)).toEqual([
      'INV-B1',
      'INV-B2',
    ]);
    const then = (await api.get(`${reconciliation}?asOf=${encodeURIComponent(beforeVoid)}`).expect(200)).body;
    expect(then).toMatchObject({ baselineInvoiced: 300000, baselineUninvoiced: 171613 });
    const ofClient = (
      await api.get(`/api/finance/clients/${encodeURIComponent(client.name)}/reconciliation`).expect(200)
    ).body;
    expect(ofClient.totals.USD).toMatchObject({ baselineInvoiced: 200000, baselineUninvoiced: 271613 });

    // The finance list and its CSV carry the baseline beside the signed orders; voided invoices are left out.
    const list = (await api.get(`/api/finance/change-orders?client=${encodeURIComponent(client.name)}`).expect(200))
      .body;
    expect(list.baselines).toEqual([
      expect.objectContaining({ projectId, amount: figures.baselineTotal, invoiced: 200000, uninvoiced: 271613 }),
    ]);
    const csv = await api
      .get(`/api/finance/change-orders?client=${encodeURIComponent(client.name)}`)
      .set('Accept', 'text/csv')
      .expect(200);
    const baselineRow = csvLines(csv.text).find((r) => r.includes(',Baseline,'))!;
    expect(baselineRow).toContain(',4716.13,2000.00,2716.13,');
    expect(baselineRow).toContain('INV-B1 2026-03-20 2000.00 M1');
    expect(baselineRow).not.toContain('INV-B2');
    const fromApril = await api
      .get(`/api/finance/change-orders?client=${encodeURIComponent(client.name)}&from=2026-04-01T00:00:00Z`)
      .expect(200);
    expect(fromApril.body.baselines).toEqual([]);

    // The import files carry each live baseline invoice with its own number and date.
    const quickBooks = csvLines(
      (await api.get(`/api/finance/exports/quickbooks.csv?client=${encodeURIComponent(client.name)}`).expect(200)).text,
    );
    expect(quickBooks).toContain(
      'INV-B1,Baseline Billing Co,03/20/2026,04/19/2026,,,Milestone M1 of Baseline billed network,,' +
        'Milestone M1 of Baseline billed network,1,2000.00,2000.00,,,',
    );
    expect(quickBooks.join('\n')).not.toContain('INV-B2');
    const xero = csvLines(
      (await api.get(`/api/finance/exports/xero.csv?client=${encodeURIComponent(client.name)}`).expect(200)).text,
    );
    expect(xero).toContain(
      'Baseline Billing Co,,,,,,,,,,INV-B1,Milestone M1 of Baseline billed network,20/03/2026,19/04/2026,,,' +
        'Milestone M1 of Baseline billed network,1,2000.00,,200,Tax Exempt,,,,,,USD,',
    );
  });

  it('keeps an invoice dated on the last day of the period in the list, its CSV and the import files', async () => {
    const api = as(financeKey);
    const dayClient = { name: 'Last Day Billing', email: 'ap@last-day.example' };
    const projectId = await openProject(t, 'Last day network', { client: dayClient });
    await api
      .post(`/api/projects/${projectId}/invoices`, {
        invoiceNumber: 'INV-D20',
        amount: 10000,
        invoiceDate: '2026-03-20',
      })
      .expect(201);
    const period = (from: string, to: string) => `client=${encodeURIComponent(dayClient.name)}&from=${from}&to=${to}`;
    const lastDay = period('2026-03-20T00:00:00Z', '2026-03-20T23:59:59Z');

    const list = await api.get(`/api/finance/change-orders?${lastDay}`).expect(200);
    expect(list.body.baselines.map((b: { invoices: { invoiceNumber: string }[] }) => b.invoices)).toEqual([
      [expect.objectContaining({ invoiceNumber: 'INV-D20', invoiceDate: '2026-03-20' })],
    ]);
    const csv = await api.get(`/api/finance/change-orders?${lastDay}`).set('Accept', 'text/csv').expect(200);
    expect(csv.text).toContain('INV-D20 2026-03-20 100.00');
    const quickBooks = await api.get(`/api/finance/exports/quickbooks.csv?${lastDay}`).expect(200);
    expect(csvLines(quickBooks.text)).toContain(
      'INV-D20,Last Day Billing,03/20/2026,04/19/2026,,,Baseline contract of Last day network,,' +
        'Baseline contract of Last day network,1,100.00,100.00,,,',
    );
    const xero = await api.get(`/api/finance/exports/xero.csv?${lastDay}`).expect(200);
    expect(xero.text).toContain(',INV-D20,Baseline contract of Last day network,20/03/2026,');

    // A period that ends as the day begins, or begins as it ends, leaves it out.
    for (const other of [
      period('2026-03-19T00:00:00Z', '2026-03-20T00:00:00Z'),
      period('2026-03-21T00:00:00Z', '2026-03-22T00:00:00Z'),
    ]) {
      expect((await api.get(`/api/finance/change-orders?${other}`).expect(200)).body.baselines).toEqual([]);
      expect(csvLines((await api.get(`/api/finance/exports/quickbooks.csv?${other}`).expect(200)).text)).toHaveLength(
        1,
      );
    }
  });

  it('lets finance record and void baseline invoices on the reconciliation page', async () => {
    const projectId = await openProject(t, 'Baseline billed on the page', { client });
    const page = `/app/finance/projects/${projectId}`;
    const post = (path: string, form: Record<string, string>) =>
      finance.agent
        .post(path)
        .type('form')
        .send({ _csrf: finance.csrf, ...form });

    const before = (await finance.agent.get(page).expect(200)).text;
    expect(before).toContain('Baseline contract');
    expect(before).toContain('No invoice against the baseline yet.');

    const recorded = await post(`${page}/invoices`, {
      invoiceNumber: 'PB-1',
      amount: '1,000.00',
      milestone: 'M2',
      invoiceDate: '2026-03-31',
    }).expect(303);
    expect(recorded.headers.location).toBe(`${page}?done=baseline-invoice#baseline`);
    const after = (await finance.agent.get(`${page}?done=baseline-invoice`).expect(200)).text;
    expect(after).toContain('Invoice recorded against the baseline.');
    expect(after).toContain('not yet invoiced USD 3,716.13');
    expect(after).toMatch(/<span class="mono">M2<\/span> Handover<\/td>\s*<td class="num">USD 1,000\.00<\/td>/);

    const refused = await post(`${page}/invoices`, { invoiceNumber: 'PB-2', amount: '5,000.00' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('USD 3,716.13 of it remains uninvoiced');

    await post(`${page}/invoices/PB-1/void`, { reason: 'Raised twice' }).expect(303);
    const voided = (await finance.agent.get(page).expect(200)).text;
    expect(voided).toContain('voided');
    expect(voided).toContain('Raised twice');
    expect(voided).toContain('not yet invoiced USD 4,716.13');
  });

  it('lists baseline contracts with their invoices on the finance page, beside the signed orders', async () => {
    const projectId = await openProject(t, 'Baseline on the finance page', { client });
    await as(financeKey)
      .post(`/api/projects/${projectId}/invoices`, { invoiceNumber: 'FP-1', amount: 150000, milestone: 'M1' })
      .expect(201);
    const page = (await finance.agent.get('/app/finance').expect(200)).text;
    const row = new RegExp(`<tr id="baseline-${projectId}">([\\s\\S]*?)</tr>`).exec(page)?.[1] ?? '';
    expect(row).toContain('Baseline on the finance page');
    // Contract 4,716.13, invoiced 1,500.00 on milestone M1, 3,216.13 left.
    expect(row).toMatch(/USD 4,716\.13<\/td>\s*<td class="num">USD 1,500\.00<\/td>\s*<td class="num">USD 3,216\.13/);
    expect(row).toMatch(/FP-1<\/span> <span class="muted">M1<\/span> USD 1,500\.00/);
  });
});
