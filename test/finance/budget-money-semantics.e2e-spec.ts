import request from 'supertest';
import {
  assessedRequest,
  draftOrder,
  issueOrder,
  openProject,
  requests,
  signer,
} from '../change-orders/change-order-scenario';
import { signedInAgent } from '../support/staff-session';
import { startTestServer, TestServer } from '../support/test-server';
import { moveClockTo } from '../support/moved-clock';

/**
 * The budget counts every assessed request exactly once: awaiting an order, on a draft, awaiting signature or
 * signed. Pending exposure is what the client may still be asked to pay (never below zero, credits apart), and
 * an order past its expiry reads as expired before the expiry sweeper has recorded it.
 */
describe('budget figures finance accepts', () => {
  let t: TestServer;

  beforeAll(async () => {
    // The sweeper stays out of the way: what these tests read is the read-time expiry alone.
    t = await startTestServer({ config: { expiryIntervalMs: 3_600_000 } });
  });
  afterAll(async () => {
    await t.close();
  });

  /** Logs and assesses a request with these lines; returns its id. */
  async function assessed(projectId: string, title: string, lines: object[]): Promise<string> {
    const logged = await t.api
      .post(`/api/projects/${projectId}/change-requests`, { ...requests.vpn.log, title, ticketRef: undefined })
      .expect(201);
    await t.api
      .post(`/api/projects/${projectId}/change-requests/${logged.body.id}/assessment`, { lines, schedule: [] })
      .expect(200);
    return logged.body.id as string;
  }

  it('counts requests on draft orders as such, and keeps pending credits apart from the exposure', async () => {
    const projectId = await openProject(t, 'Budget: drafts and credits');
    // 6 h × 150.00 + 100.00 = 1,000.00 to charge.
    const charge = await assessed(projectId, 'Extra VLAN', [
      { op: 'add', ref: 'VLAN-1', title: 'Guest VLAN', role: 'engineer', hours: 6, fixedCost: 10000 },
    ]);
    // NET-1 16.25 h → 14.25 h at 150.00 = −300.00, a credit.
    const credit = await assessed(projectId, 'Fewer firewall hours', [{ op: 'modify', ref: 'NET-1', hours: 14.25 }]);
    const onDraft = await assessedRequest(t, projectId, 'vpn'); // 1,250.00
    await assessedRequest(t, projectId, 'mfa'); // 420.00, on no order
    await issueOrder(t, projectId, (await draftOrder(t, projectId, [charge])).id);
    await issueOrder(t, projectId, (await draftOrder(t, projectId, [credit])).id);
    await draftOrder(t, projectId, [onDraft]);

    const budget = (await t.api.get(`/api/projects/${projectId}/budget`).expect(200)).body;
    expect(budget).toMatchObject({
      pendingExposure: 100000,
      pendingCredits: 30000,
      awaitingOrder: 42000,
      onDraftOrders: { amount: 125000, count: 1 },
      approvedChanges: 0,
    });
    // Every assessed request counted once: 420.00 + 1,250.00 + 1,000.00 − 300.00 = 2,370.00.
    expect(budget.awaitingOrder + budget.onDraftOrders.amount + budget.pendingExposure - budget.pendingCredits).toBe(
      237000,
    );

    const summary = (await t.api.get(`/api/projects/${projectId}`).expect(200)).body;
    expect(summary.pending).toEqual({ exposure: 100000, credits: 30000, orders: 2 });
    expect(summary.totals).toMatchObject({ awaitingOrder: 42000, onDraftOrders: { amount: 125000, count: 1 } });

    const portfolio = (await t.api.get('/api/portfolio').expect(200)).body.projects;
    expect(portfolio.find((p: { projectId: string }) => p.projectId === projectId)).toMatchObject({
      pendingExposure: 100000,
      pendingCredits: 30000,
      onDraftOrders: { amount: 125000, count: 1 },
      awaitingSignature: 2,
    });

    const { agent } = await signedInAgent(t, 'pm');
    const page = (await agent.get(`/app/projects/${projectId}`).expect(200)).text;
    expect(page).toContain('On draft orders');
    expect(page).toContain('1 request on draft orders (+USD 1,250.00), not yet sent');
    expect(page).toContain('2 issued orders not yet signed (+USD 1,000.00; USD 300.00 in credits)');
  });

  it('gives a project whose only pending order is a credit no exposure, never a negative one', async () => {
    const projectId = await openProject(t, 'Budget: only a credit pending');
    const credit = await assessedRequest(t, projectId, 'wifi'); // −644.63
    await issueOrder(t, projectId, (await draftOrder(t, projectId, [credit])).id);

    const budget = (await t.api.get(`/api/projects/${projectId}/budget`).expect(200)).body;
    expect(budget).toMatchObject({ pendingExposure: 0, pendingCredits: 64463 });
    const portfolio = (await t.api.get('/api/portfolio').expect(200)).body.projects;
    const row = portfolio.find((p: { projectId: string }) => p.projectId === projectId);
    expect(row).toMatchObject({ pendingExposure: 0, pendingCredits: 64463 });
    expect(row.risk).toBeGreaterThanOrEqual(0);
  });

  it('reads an issued order past its expiry as expired everywhere, before the sweeper records it', async () => {
    const projectId = await openProject(t, 'Budget: past its expiry');
    const vpn = await assessedRequest(t, projectId, 'vpn'); // 1,250.00
    const order = await draftOrder(t, projectId, [vpn], { expiresInDays: 1 });
    const issued = await issueOrder(t, projectId, order.id);
    const orderPath = `/api/projects/${projectId}/change-orders/${order.id}`;
    expect((await t.api.get(orderPath).expect(200)).body.status).toBe('issued');
    const eventsBefore = (await t.api.get(`/api/projects/${projectId}/events`).expect(200)).body.length;
    const whileIssued = new Date().toISOString();

    const afterExpiry = new Date(Date.parse(issued.expiresAt) + 3_600_000).toISOString();
    moveClockTo(Date.parse(issued.expiresAt) + 2 * 3_600_000);
    try {
      expect((await t.api.get(orderPath).expect(200)).body).toMatchObject({ status: 'expired' });
      const budget = (await t.api.get(`/api/projects/${projectId}/budget`).expect(200)).body;
      // The request is free for a new order again: it awaits one.
      expect(budget).toMatchObject({ pendingExposure: 0, pendingOrders: [], awaitingOrder: 125000 });
      const summary = (await t.api.get(`/api/projects/${projectId}`).expect(200)).body;
      expect(summary.pending).toEqual({ exposure: 0, credits: 0, orders: 0 });
      expect(summary.changeOrders.byStatus).toEqual({ expired: 1 });
      const asOf = (await t.api.get(`/api/projects/${projectId}/budget?asOf=${afterExpiry}`).expect(200)).body;
      expect(asOf).toMatchObject({ pendingExposure: 0, awaitingOrder: 125000 });
      const compared = (await t.api.get(`/api/projects/${projectId}/compare?from=${whileIssued}`).expect(200)).body;
      expect(compared.changeOrders).toEqual([
        expect.objectContaining({ statusBefore: 'issued', statusAfter: 'expired' }),
      ]);
      const row = (await t.api.get('/api/portfolio').expect(200)).body.projects.find(
        (p: { projectId: string }) => p.projectId === projectId,
      );
      expect(row).toMatchObject({ pendingExposure: 0, awaitingSignature: 0, oldestAwaitingDays: null });
      // Signed in after the clock moved: a session from before would have run out.
      const pm = await signedInAgent(t, 'pm');
      const page = (await pm.agent.get(`/app/projects/${projectId}`).expect(200)).text;
      expect(page).toContain('no order is waiting for the client');
      expect((await request(t.http).get(issued.signPath)).status).toBe(410);
      // Reading appended nothing: the expiry is recorded by the sweeper alone.
      expect((await t.api.get(`/api/projects/${projectId}/events`).expect(200)).body).toHaveLength(eventsBefore);
    } finally {
      jest.useRealTimers();
    }
    // As of a moment before its expiry, the order was awaiting signature.
    const before = new Date().toISOString();
    const then = (await t.api.get(`${orderPath}?asOf=${before}`).expect(200)).body;
    expect(then).toMatchObject({ status: 'issued', signer });
  });
});
