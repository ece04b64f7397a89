import request from 'supertest';
import { startTestServer, TestServer } from '../support/test-server';
import { readAndConsent } from '../change-orders/change-order-scenario';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('comparing two moments of a project', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  /** A project with its baseline; answers the project's API path. */
  async function baselined(name: string, rates: Record<string, number>, baseline: object): Promise<string> {
    const client = { name: 'Client', email: 'c@client.example' };
    const opened = await t.api
      .post('/api/projects', { name, client, currency: 'USD', rates, startDate: '2026-03-02' })
      .expect(201);
    const p = `/api/projects/${opened.body.id}`;
    await t.api.post(`${p}/baseline`, baseline).expect(201);
    return p;
  }

  /** Drafts an order of the request, issues it and signs it through its link. */
  async function signOrderOf(p: string, changeRequestId: string): Promise<void> {
    const { body: order } = await t.api
      .post(`${p}/change-orders`, {
        changeRequestIds: [changeRequestId],
        signer: { name: 'S', email: 's@client.example' },
      })
      .expect(201);
    const { body: issued } = await t.api.post(`${p}/change-orders/${order.id}/issue`).expect(200);
    await readAndConsent(t.http, `/sign/${issued.signingUrl.split('/sign/')[1]}`);
    await request(t.http)
      .post(`/sign/${issued.signingUrl.split('/sign/')[1]}`)
      .send({ name: 'S', documentSha256: issued.documentSha256 })
      .expect(200);
  }

  it('shows the scope, budget, timeline, board and order changes between the moments', async () => {
    const p = await baselined(
      'Compare',
      { engineer: 10000 },
      {
        items: [{ ref: 'A', title: 'Mailboxes', role: 'engineer', hours: 10 }],
        milestones: [{ ref: 'M1', name: 'Go-live', due: '2026-03-13' }],
      },
    );
    await pause(20);
    const before = new Date().toISOString();
    await pause(20);
    const { body: cr } = await t.api
      .post(`${p}/change-requests`, {
        title: 'Archive',
        description: '',
        source: 'ticket',
        requestedBy: { name: 'R', email: 'r@client.example' },
      })
      .expect(201);
    await t.api
      .post(`${p}/change-requests/${cr.id}/assessment`, {
        lines: [{ op: 'add', ref: 'B', title: 'Archive mailboxes', role: 'engineer', hours: 2.5 }],
        schedule: [{ milestone: 'M1', workingDays: 1 }],
      })
      .expect(200);
    await signOrderOf(p, cr.id);

    const diff = await t.api.get(`${p}/compare?from=${encodeURIComponent(before)}`).expect(200);
    // 2.5 h x 100.00 = 250.00 added by CO-1.
    expect(diff.body.scope).toEqual([
      {
        ref: 'B',
        before: null,
        after: { state: 'added', title: 'Archive mailboxes', role: 'engineer', hours: 2.5, cost: 25000, pending: null },
        costDelta: 25000,
      },
    ]);
    expect(diff.body.budget.current).toEqual({ before: 100000, after: 125000, delta: 25000 });
    // Friday 13 March plus one working day is Monday 16 March.
    expect(diff.body.timeline).toEqual([
      {
        ref: 'M1',
        name: 'Go-live',
        nameBefore: 'Go-live',
        dueBefore: '2026-03-13',
        dueAfter: '2026-03-16',
        slipDelta: 1,
      },
    ]);
    expect(diff.body.board).toEqual([
      expect.objectContaining({ ref: 'B', columnBefore: null, columnAfter: 'backlog', estimateAfter: 2.5 }),
    ]);
    expect(diff.body.changeOrders).toEqual([{ changeOrder: 'CO-1', statusBefore: null, statusAfter: 'signed' }]);
    expect(diff.body.changeRequests).toEqual([
      { changeRequest: 'CR-1', title: 'Archive', statusBefore: null, statusAfter: 'approved' },
    ]);

    const nothing = await t.api
      .get(`${p}/compare?from=${encodeURIComponent(before)}&to=${encodeURIComponent(before)}`)
      .expect(200);
    expect(nothing.body.scope).toEqual([]);
    await t.api.get(`${p}/compare?from=2026-13-01T00:00:00Z`).expect(400);
    await t.api
      .get(`${p}/compare?from=${encodeURIComponent(new Date().toISOString())}&to=${encodeURIComponent(before)}`)
      .expect(422);
  });

  it('reports a card a signed removal cancelled, and a title and role changed by a signed modification', async () => {
    const p = await baselined(
      'Compare removals',
      { engineer: 10000, architect: 20000 },
      {
        items: [
          { ref: 'A', title: 'Mailboxes', role: 'engineer', hours: 10 },
          { ref: 'B', title: 'Firewall', role: 'engineer', hours: 4 },
        ],
        milestones: [{ ref: 'M1', name: 'Go-live', due: '2026-03-13' }],
      },
    );
    await pause(20);
    const before = new Date().toISOString();
    await pause(20);
    const { body: cr } = await t.api
      .post(`${p}/change-requests`, {
        title: 'Drop mailboxes, firewall by an architect',
        description: '',
        source: 'meeting',
        requestedBy: { name: 'R', email: 'r@client.example' },
      })
      .expect(201);
    await t.api
      .post(`${p}/change-requests/${cr.id}/assessment`, {
        lines: [
          { op: 'remove', ref: 'A' },
          { op: 'modify', ref: 'B', title: 'Firewall cluster', role: 'architect', hours: 4 },
        ],
      })
      .expect(200);
    await signOrderOf(p, cr.id);

    const diff = (await t.api.get(`${p}/compare?from=${encodeURIComponent(before)}`).expect(200)).body;
    const byRef = new Map((diff.board as { ref: string }[]).map((card) => [card.ref, card]));
    expect(byRef.get('A')).toMatchObject({ cancelledBefore: false, cancelledAfter: true, title: 'Mailboxes' });
    expect([...byRef.keys()].filter((ref) => ref === 'B').length).toBeGreaterThan(0);
    const firewall = (diff.board as { ref: string; title: string; cancelledAfter: boolean }[]).filter(
      (card) => card.ref === 'B' && !card.cancelledAfter,
    );
    expect(firewall).toEqual([expect.objectContaining({ title: 'Firewall cluster', role: 'architect' })]);
    const scope = new Map((diff.scope as { ref: string }[]).map((item) => [item.ref, item]));
    expect(scope.get('A')).toMatchObject({ before: { state: 'baseline' }, after: { state: 'removed' } });
    expect(scope.get('B')).toMatchObject({
      before: { title: 'Firewall', role: 'engineer', cost: 40000 },
      after: { title: 'Firewall cluster', role: 'architect', cost: 80000 },
      costDelta: 40000,
    });
  });
});
