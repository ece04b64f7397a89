import { startTestServer, TestServer } from '../support/test-server';
import {
  changeRequest,
  expectProblem,
  momentBetween,
  requester,
  sleep,
  smallBaseline,
  smallProject,
} from './api-helpers';

/**
 * `?asOf=` answers every view as it was at an earlier moment: the stream folded up to that
 * moment, whatever happened since.
 */
describe('time travel with ?asOf=', () => {
  let t: TestServer;
  let projectId: string;
  let requestA: string;
  let requestB: string;
  const at: Record<'beforeOpen' | 'opened' | 'baselined' | 'logged' | 'assessed' | 'reassessed' | 'declined', string> =
    {} as never;

  const view = (path: string, asOf?: string) =>
    t.api.get(`/api/projects/${projectId}${path}${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`).expect(200);

  beforeAll(async () => {
    t = await startTestServer();
    at.beforeOpen = await momentBetween();
    projectId = (
      await t.api.post('/api/projects', { ...smallProject('Time travel'), holidays: ['2026-04-03'] }).expect(201)
    ).body.id;
    at.opened = await momentBetween();
    await t.api.post(`/api/projects/${projectId}/baseline`, smallBaseline).expect(201);
    at.baselined = await momentBetween();
    requestA = (
      await t.api.post(`/api/projects/${projectId}/change-requests`, changeRequest('Guest Wi-Fi', 'phone')).expect(201)
    ).body.id;
    requestB = (
      await t.api
        .post(`/api/projects/${projectId}/change-requests`, changeRequest('Second firewall', 'email'))
        .expect(201)
    ).body.id;
    at.logged = await momentBetween();
    // 4 h x 15,000 = 60,000 c; M2 one working day later.
    await t.api
      .post(`/api/projects/${projectId}/change-requests/${requestA}/assessment`, {
        lines: [{ op: 'add', ref: 'WIFI-1', title: 'Guest Wi-Fi SSID and captive portal', role: 'engineer', hours: 4 }],
        schedule: [{ milestone: 'M2', workingDays: 1 }],
      })
      .expect(200);
    at.assessed = await momentBetween();
    // Re-assessed: 4.5 h x 15,000 = 67,500 c + 12,000 c access point = 79,500 c.
    await t.api
      .post(`/api/projects/${projectId}/change-requests/${requestA}/assessment`, {
        lines: [
          {
            op: 'add',
            ref: 'WIFI-1',
            title: 'Guest Wi-Fi SSID and captive portal',
            role: 'engineer',
            hours: 4.5,
            fixedCost: 12000,
          },
        ],
      })
      .expect(200);
    at.reassessed = await momentBetween();
    await t.api
      .post(`/api/projects/${projectId}/change-requests/${requestB}/decline`, {
        reason: 'Out of scope',
        category: 'out_of_scope',
      })
      .expect(200);
    at.declined = await momentBetween();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 404 problem for a moment before the project existed, on every view', async () => {
    for (const path of ['', '/scope', '/budget', '/timeline', '/board', '/change-requests']) {
      const response = await t.api.get(`/api/projects/${projectId}${path}?asOf=${encodeURIComponent(at.beforeOpen)}`);
      expectProblem(response, 404);
    }
    // Long before, too (the Unix epoch is the earliest timestamp accepted).
    expectProblem(await t.api.get(`/api/projects/${projectId}?asOf=1970-01-01T00:00:00Z`), 404);
  });

  it('shows the project as just opened: no baseline, no requests, an empty board', async () => {
    const summary = await view('', at.opened);
    expect(summary.body).toMatchObject({
      name: 'Time travel',
      baselineEstablished: false,
      baseline: { total: 0, hours: 0, end: null },
      changeRequests: { count: 0, byStatus: {} },
      asOf: at.opened,
    });
    expect((await view('/scope', at.opened)).body.items).toEqual([]);
    expect((await view('/budget', at.opened)).body).toMatchObject({ baseline: 0, current: 0, awaitingOrder: 0 });
    expect((await view('/timeline', at.opened)).body).toMatchObject({
      milestones: [],
      baselineEnd: null,
      forecastEnd: null,
      holidays: ['2026-04-03'],
    });
    const board = (await view('/board', at.opened)).body;
    expect(board.columns.flatMap((c: { cards: unknown[] }) => c.cards)).toEqual([]);
  });

  it('shows the baseline once established, before any request', async () => {
    // NET-1: 16.25 h x 15,000 = 243,750 + 89,900 fixed = 333,650 c
    // DOC-1:  3.5 h x 21,000 =  73,500 c
    // total 407,150 c over 19.75 h
    const summary = await view('', at.baselined);
    expect(summary.body).toMatchObject({
      baselineEstablished: true,
      baseline: { total: 407150, hours: 19.75, end: '2026-04-01' },
      changeRequests: { count: 0 },
    });
    const scope = await view('/scope', at.baselined);
    expect(scope.body.items.map((i: { ref: string; cost: number }) => [i.ref, i.cost])).toEqual([
      ['NET-1', 333650],
      ['DOC-1', 73500],
    ]);
    const board = await view('/board', at.baselined);
    expect(
      board.body.columns
        .find((c: { column: string }) => c.column === 'backlog')
        .cards.map((c: { ref: string }) => c.ref),
    ).toEqual(['NET-1', 'DOC-1']);
    const timeline = await view('/timeline', at.baselined);
    expect(timeline.body.milestones.map((m: { ref: string; currentDue: string }) => [m.ref, m.currentDue])).toEqual([
      ['M1', '2026-03-20'],
      ['M2', '2026-04-01'],
    ]);
  });

  it('shows the requests as logged, then the first assessment, then the re-assessment', async () => {
    expect((await view('/budget', at.logged)).body.awaitingOrder).toBe(0);
    expect((await view('', at.logged)).body.changeRequests).toEqual({ count: 2, byStatus: { logged: 2 } });
    const requestsThen = (await view('/change-requests', at.logged)).body as { status: string; assessment?: unknown }[];
    expect(requestsThen.map((r) => r.status)).toEqual(['logged', 'logged']);

    // First assessment: 4 h x 15,000 = 60,000 c awaiting an order.
    expect((await view('/budget', at.assessed)).body.awaitingOrder).toBe(60000);
    const assessedThen = (await view('/change-requests', at.assessed)).body as {
      assessment: { costDelta: number; schedule: unknown[] };
    }[];
    expect(assessedThen[0].assessment).toMatchObject({
      costDelta: 60000,
      schedule: [{ milestone: 'M2', workingDays: 1 }],
    });

    // Re-assessment replaced it: 4.5 h x 15,000 + 12,000 = 79,500 c, no schedule shift.
    expect((await view('/budget', at.reassessed)).body.awaitingOrder).toBe(79500);
    const reassessedThen = (await view('/change-requests', at.reassessed)).body as {
      assessment: { costDelta: number; schedule: unknown[] };
    }[];
    expect(reassessedThen[0].assessment).toMatchObject({ costDelta: 79500, schedule: [] });
  });

  it('shows the decline only from the moment it happened', async () => {
    expect((await view('', at.reassessed)).body.changeRequests.byStatus).toEqual({ assessed: 1, logged: 1 });
    expect((await view('', at.declined)).body.changeRequests.byStatus).toEqual({ assessed: 1, declined: 1 });
  });

  it('answers without asOf exactly as with an asOf after the last event', async () => {
    for (const path of ['', '/scope', '/budget', '/timeline', '/board']) {
      const now = await view(path);
      const then = await view(path, at.declined);
      expect({ ...then.body, asOf: null }).toEqual(now.body);
    }
  });

  it('an asOf in the future is the present', async () => {
    const future = await view('/budget', '2199-12-31T23:59:59Z');
    expect(future.body).toMatchObject({ awaitingOrder: 79500, asOf: '2199-12-31T23:59:59Z' });
  });

  it('includes an event recorded exactly at the asOf moment and excludes it one millisecond earlier', async () => {
    const events = (await t.api.get(`/api/projects/${projectId}/events`).expect(200)).body as {
      type: string;
      occurredAt: string;
    }[];
    const baseline = events.find((e) => e.type === 'BaselineEstablished')!;
    const justBefore = new Date(Date.parse(baseline.occurredAt) - 1).toISOString();
    expect((await view('', baseline.occurredAt)).body.baselineEstablished).toBe(true);
    expect((await view('', justBefore)).body.baselineEstablished).toBe(false);
  });

  it('reads an asOf given with a time-zone offset as the same instant', async () => {
    // The same instant as at.assessed, written in UTC+02:00.
    const instant = new Date(at.assessed);
    const local = new Date(instant.getTime() + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    expect((await view('/budget', local)).body.awaitingOrder).toBe(60000);
  });

  it('the past does not move when the present does', async () => {
    const before = (await view('/budget', at.assessed)).body;
    await sleep(15);
    const more = await t.api
      .post(`/api/projects/${projectId}/change-requests`, changeRequest('Later request', 'meeting'))
      .expect(201);
    await t.api
      .post(`/api/projects/${projectId}/change-requests/${more.body.id}/assessment`, {
        lines: [{ op: 'modify', ref: 'DOC-1', hours: 5 }],
      })
      .expect(200);
    expect((await view('/budget', at.assessed)).body).toEqual(before);
    // DOC-1 3.5 h -> 5 h: (5 - 3.5) x 21,000 = 31,500 c more awaiting an order.
    expect((await view('/budget')).body.awaitingOrder).toBe(79500 + 31500);
  });

  it('answers asOf on orders, a request and the reconciliation; refuses it where a route has no past', async () => {
    const beforeDraft = await momentBetween();
    const drafted = await t.api
      .post(`/api/projects/${projectId}/change-orders`, { changeRequestIds: [requestA], signer: requester })
      .expect(201);
    const orderId = drafted.body.id as string;
    const orders = `/api/projects/${projectId}/change-orders`;

    expect((await t.api.get(`${orders}?asOf=${encodeURIComponent(beforeDraft)}`).expect(200)).body).toEqual([]);
    const listed = (await t.api.get(orders).expect(200)).body as { id: string; status: string }[];
    expect(listed.map((o) => [o.id, o.status])).toEqual([[orderId, 'draft']]);
    expectProblem(await t.api.get(`${orders}/${orderId}?asOf=${encodeURIComponent(beforeDraft)}`), 404);
    const now = (await t.api.get(`${orders}/${orderId}`).expect(200)).body;
    expect([now.status, now.asOf]).toEqual(['draft', null]);

    const request = `/api/projects/${projectId}/change-requests/${requestA}`;
    expect((await t.api.get(`${request}?asOf=${encodeURIComponent(at.logged)}`).expect(200)).body).toMatchObject({
      status: 'logged',
      asOf: at.logged,
    });
    expect((await t.api.get(request).expect(200)).body.status).toBe('ordered');

    const reconciliation = `/api/finance/projects/${projectId}/reconciliation`;
    const then = (await t.api.get(`${reconciliation}?asOf=${encodeURIComponent(at.opened)}`).expect(200)).body;
    expect([then.baseline, then.contractValue, then.asOf]).toEqual([0, 0, at.opened]);
    expect((await t.api.get(reconciliation).expect(200)).body.baseline).toBeGreaterThan(0);

    const asOf = `asOf=${encodeURIComponent(at.logged)}`;
    for (const path of ['/api/projects', '/api/finance/change-orders', '/api/outbox']) {
      const refused = await t.api.get(`${path}?${asOf}`);
      expectProblem(refused, 400, 'asOf');
      expect([path, refused.body.detail]).toEqual([
        path,
        'asOf is not answered here: this route shows only the present',
      ]);
    }
    expectProblem(await t.api.get(`/api/projects/${projectId}/events?${asOf}`), 400, 'asOf');
  });
});
