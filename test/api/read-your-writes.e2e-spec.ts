import { testDatabaseKind } from '../support/test-database';
import { startTestServer, TestServer } from '../support/test-server';
import { changeRequest, expectProblem, smallBaseline, smallProject, streamHead } from './api-helpers';

/**
 * A command's answer says where it wrote (position) and the project's new revision (ETag);
 * a read sent right after the answer already shows the write, with no retry and no sleep.
 */
describe('read-your-writes and optimistic concurrency', () => {
  let t: TestServer;
  let projectId: string;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  const positionOf = (text: string) => {
    const [commit, prepare] = text.split('/').map(BigInt);
    return { commit, prepare };
  };
  const isAfter = (a: string, b: string) => {
    const x = positionOf(a);
    const y = positionOf(b);
    return x.commit > y.commit || (x.commit === y.commit && x.prepare > y.prepare);
  };

  it('answers the opening and the baseline with a position and an ETag, and reads them back at once', async () => {
    const opened = await t.api.post('/api/projects', smallProject('Read your writes')).expect(201);
    projectId = opened.body.id;
    expect(opened.body.position).toMatch(/^\d+\/\d+$/);
    expect(opened.headers.etag).toBe('"0"');
    expect(opened.body.revision).toBe(0);
    expect(opened.headers.location).toBe(`/api/projects/${projectId}`);
    expect((await t.api.get(`/api/projects/${projectId}`).expect(200)).body.name).toBe('Read your writes');

    const baseline = await t.api.post(`/api/projects/${projectId}/baseline`, smallBaseline).expect(201);
    // BaselineEstablished plus one board card per item: revisions 1, 2 and 3.
    expect(baseline.body.events).toEqual(['BaselineEstablished', 'BoardCardAdded', 'BoardCardAdded']);
    expect(baseline.headers.etag).toBe('"3"');
    expect(isAfter(baseline.body.position, opened.body.position)).toBe(true);
    const scope = await t.api.get(`/api/projects/${projectId}/scope`).expect(200);
    expect(scope.body.items.map((i: { ref: string }) => i.ref)).toEqual(['NET-1', 'DOC-1']);
    const board = await t.api.get(`/api/projects/${projectId}/board`).expect(200);
    expect(board.body.columns[0].cards).toHaveLength(2);
  });

  it('30 commands in a row are each visible to the very next read', async () => {
    // Ten rounds of three commands on one request: log it, assess it, then decline it (even
    // rounds) or re-assess it at twice the hours (odd rounds). Each command is followed at
    // once by one read that must already show it.
    let lastPosition = '0/0';
    let lastRevision = (await streamHead(t, projectId)).lastRevision;
    let awaitingOrder = 0;
    const byStatus: Record<string, number> = {};
    const expectAnswer = (answer: {
      body: { position: string; revision: number };
      headers: Record<string, string>;
    }) => {
      expect(answer.body.position).toMatch(/^\d+\/\d+$/);
      expect(isAfter(answer.body.position, lastPosition)).toBe(true);
      expect(answer.headers.etag).toBe(`"${lastRevision + 1}"`);
      expect(answer.body.revision).toBe(lastRevision + 1);
      lastPosition = answer.body.position;
      lastRevision += 1;
    };
    const line = (round: number, hours: number) => ({
      op: 'add',
      ref: `EXTRA-${round}`,
      title: `Extra work ${round}`,
      role: 'engineer',
      hours,
    });

    for (let round = 0; round < 10; round++) {
      const logged = await t.api
        .post(`/api/projects/${projectId}/change-requests`, changeRequest(`Request ${round}`, 'ticket'))
        .expect(201);
      expectAnswer(logged);
      const id = logged.body.id as string;
      expect((await t.api.get(`/api/projects/${projectId}/change-requests/${id}`).expect(200)).body).toMatchObject({
        title: `Request ${round}`,
        status: 'logged',
      });

      // (round + 1) quarter hours x 15,000 = (round + 1) x 3,750 c
      const hours = (round + 1) * 0.25;
      expectAnswer(
        await t.api
          .post(`/api/projects/${projectId}/change-requests/${id}/assessment`, { lines: [line(round, hours)] })
          .expect(200),
      );
      awaitingOrder += (round + 1) * 3750;
      expect((await t.api.get(`/api/projects/${projectId}/budget`).expect(200)).body.awaitingOrder).toBe(awaitingOrder);

      if (round % 2 === 0) {
        expectAnswer(
          await t.api
            .post(`/api/projects/${projectId}/change-requests/${id}/decline`, {
              reason: 'Same as an earlier request',
              category: 'duplicate',
            })
            .expect(200),
        );
        awaitingOrder -= (round + 1) * 3750;
        byStatus.declined = (byStatus.declined ?? 0) + 1;
        const summary = (await t.api.get(`/api/projects/${projectId}`).expect(200)).body;
        expect(summary.changeRequests.byStatus).toEqual(byStatus);
        expect(summary.totals.awaitingOrder).toBe(awaitingOrder);
      } else {
        expectAnswer(
          await t.api
            .post(`/api/projects/${projectId}/change-requests/${id}/assessment`, { lines: [line(round, hours * 2)] })
            .expect(200),
        );
        awaitingOrder += (round + 1) * 3750;
        byStatus.assessed = (byStatus.assessed ?? 0) + 1;
        expect((await t.api.get(`/api/projects/${projectId}/budget`).expect(200)).body.awaitingOrder).toBe(
          awaitingOrder,
        );
      }
    }
    expect((await streamHead(t, projectId)).lastRevision).toBe(lastRevision);
    // Odd rounds stay assessed at twice the hours: 2 x (2 + 4 + 6 + 8 + 10) x 3,750 = 225,000 c.
    expect(awaitingOrder).toBe(225000);
    expect(byStatus).toEqual({ declined: 5, assessed: 5 });
  });

  it('accepts a command whose If-Match is the current ETag', async () => {
    const head = await streamHead(t, projectId);
    const answer = await t.api
      .post(`/api/projects/${projectId}/change-requests`, changeRequest('With the right ETag'))
      .set('If-Match', `"${head.lastRevision}"`)
      .expect(201);
    expect(answer.headers.etag).toBe(`"${head.lastRevision + 1}"`);
  });

  it('accepts a weak or unquoted form of the current ETag and ignores If-Match: *', async () => {
    let head = await streamHead(t, projectId);
    await t.api
      .post(`/api/projects/${projectId}/change-requests`, changeRequest('Weak ETag'))
      .set('If-Match', `W/"${head.lastRevision}"`)
      .expect(201);
    head = await streamHead(t, projectId);
    await t.api
      .post(`/api/projects/${projectId}/change-requests`, changeRequest('Bare ETag'))
      .set('If-Match', `${head.lastRevision}`)
      .expect(201);
    await t.api
      .post(`/api/projects/${projectId}/change-requests`, changeRequest('Any ETag'))
      .set('If-Match', '*')
      .expect(201);
  });

  it('answers a stale If-Match with 412 and appends nothing', async () => {
    const head = await streamHead(t, projectId);
    const stale = `"${head.lastRevision - 1}"`;
    const refused = await t.api
      .post(`/api/projects/${projectId}/change-requests`, changeRequest('Based on an old view'))
      .set('If-Match', stale);
    expectProblem(refused, 412);
    expect(refused.body.detail).toMatch(new RegExp(`revision ${head.lastRevision}`));
    expect(await streamHead(t, projectId)).toEqual(head);

    const assess = await t.api
      .post(`/api/projects/${projectId}/change-requests/${(await lastLoggedRequest()).id}/assessment`, {
        lines: [{ op: 'add', ref: 'STALE-1', title: 'Stale', role: 'engineer', hours: 1 }],
      })
      .set('If-Match', '"0"');
    expectProblem(assess, 412);
    expect(await streamHead(t, projectId)).toEqual(head);
  });

  it('answers an If-Match ahead of the stream with 412 too', async () => {
    const head = await streamHead(t, projectId);
    const refused = await t.api
      .post(`/api/projects/${projectId}/change-requests`, changeRequest('From the future'))
      .set('If-Match', `"${head.lastRevision + 5}"`);
    expectProblem(refused, 412);
    expect(await streamHead(t, projectId)).toEqual(head);
  });

  it('lets exactly one of two writers holding the same ETag win', async () => {
    const head = await streamHead(t, projectId);
    const etag = `"${head.lastRevision}"`;
    const [a, b] = await Promise.all([
      t.api.post(`/api/projects/${projectId}/change-requests`, changeRequest('Writer A')).set('If-Match', etag),
      t.api.post(`/api/projects/${projectId}/change-requests`, changeRequest('Writer B')).set('If-Match', etag),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 412]);
    const after = await streamHead(t, projectId);
    expect(after.count).toBe(head.count + 1);
  });

  it('reads honour X-Min-Position for a position already projected', async () => {
    const answer = await t.api
      .post(`/api/projects/${projectId}/change-requests`, changeRequest('Min position'))
      .expect(201);
    const summary = await t.api
      .get(`/api/projects/${projectId}`)
      .set('X-Min-Position', answer.body.position)
      .expect(200);
    expect(summary.body.changeRequests.count).toBe(
      (await t.api.get(`/api/projects/${projectId}/change-requests`)).body.length,
    );
  });

  it('refuses on every read, at once, an X-Min-Position beyond the log or one that is not a position', async () => {
    const reads = [
      '/api/projects',
      `/api/projects/${projectId}`,
      `/api/projects/${projectId}/budget`,
      `/api/projects/${projectId}/change-orders`,
      `/api/projects/${projectId}/events`,
      '/api/portfolio',
      '/api/finance/change-orders',
      `/api/finance/projects/${projectId}/reconciliation`,
      '/api/outbox',
      '/api/admin/projections/parked',
    ];
    for (const path of reads) {
      const started = Date.now();
      const far = await t.api.get(path).set('X-Min-Position', '99999999999/99999999999');
      expectProblem(far, 400);
      expect([path, far.body.detail]).toEqual([path, 'X-Min-Position is beyond the end of the event log']);
      expect(Date.now() - started).toBeLessThan(900);
      expectProblem(await t.api.get(path).set('X-Min-Position', 'garbage'), 400);
    }
  });

  it('projects every write: the read model reflects the stream up to its last revision', async () => {
    const head = await streamHead(t, projectId);
    const { rows } = await t.database.sql.query<{ revision: string }>(
      `SELECT revision::text AS revision FROM projects WHERE project_id = $1`,
      [projectId],
    );
    expect(Number(rows[0].revision)).toBe(head.count - 1);
  });

  /*
   * The portfolio and finance lists read tables for every project, so they wait for the
   * position this process last wrote, not only for the visible head of the log: while another
   * transaction is open, the head lags behind the caller's own write. A second connection holds
   * a transaction open to make that deterministic. PGlite has one connection, so this only runs
   * on PostgreSQL.
   */
  (testDatabaseKind === 'postgres' ? it : it.skip)(
    'the portfolio read right after a command reflects it even while another transaction is open',
    async () => {
      const other = await t.database.connectAgain();
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let pinned!: () => void;
      const isPinned = new Promise<void>((resolve) => (pinned = resolve));
      const holder = other.transaction(async (tx) => {
        await tx.query('SELECT txid_current()');
        pinned();
        await released;
      });
      await isPinned;
      try {
        const before = await t.api.get('/api/portfolio').expect(200);
        const rowOf = (body: { projects: { projectId: string; openRequests: number }[] }) =>
          body.projects.find((r) => r.projectId === projectId)!;
        const openBefore = rowOf(before.body).openRequests;
        await t.api
          .post(`/api/projects/${projectId}/change-requests`, changeRequest('Seen in the portfolio'))
          .expect(201);
        // A correct server waits for its own write; let the other transaction end soon so that it can.
        setTimeout(release, 300).unref();
        const after = await t.api.get('/api/portfolio').expect(200);
        expect(rowOf(after.body).openRequests).toBe(openBefore + 1);
      } finally {
        release();
        await holder;
      }
    },
  );

  async function lastLoggedRequest(): Promise<{ id: string }> {
    const list = (await t.api.get(`/api/projects/${projectId}/change-requests`).expect(200)).body as {
      id: string;
      status: string;
    }[];
    return list.filter((r) => r.status === 'logged').pop()!;
  }
});
