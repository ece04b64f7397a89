import request from 'supertest';
import { ProjectCommands } from '@scope-ledger/platform';
import { RunningServer } from '../../apps/server/src/server';
import { changeRequest, expectProblem, smallBaseline, smallProject, streamHead } from '../api/api-helpers';
import { issuedScenario } from '../change-orders/change-order-scenario';
import { ADMIN_KEY, startTestServer, TestServer } from '../support/test-server';
import { secondServer } from './second-server';

const guestVlan = { lines: [{ op: 'add', ref: 'VLAN-1', title: 'Guest VLAN', role: 'engineer', hours: 2 }] };
const guestVlanBigger = { lines: [{ op: 'add', ref: 'VLAN-1', title: 'Guest VLAN', role: 'engineer', hours: 3.5 }] };

/**
 * Many people and retries on one project at the same moment: every request logged gets its
 * own gapless number, two people changing the same thing cannot overwrite each other unseen,
 * and a retried command is applied once.
 */
describe('concurrent commands on one project', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  async function newProject(name: string): Promise<string> {
    const id = (await t.api.post('/api/projects', smallProject(name)).expect(201)).body.id as string;
    await t.api.post(`/api/projects/${id}/baseline`, smallBaseline).expect(201);
    return id;
  }

  async function loggedRequest(projectId: string, title: string): Promise<string> {
    return (await t.api.post(`/api/projects/${projectId}/change-requests`, changeRequest(title)).expect(201)).body
      .id as string;
  }

  const assess = (key: string, projectId: string, crId: string, body: object) =>
    request(t.http)
      .post(`/api/projects/${projectId}/change-requests/${crId}/assessment`)
      .set('Authorization', `Bearer ${key}`)
      .send(body);

  /**
   * Holds the first append (or stream read) until `arrivals` commands have reached the project,
   * so they are truly at once however fast the machine is.
   */
  function holdFirst(
    step: 'append' | 'readStream',
    arrivals: number,
    server: RunningServer = t.server,
  ): { restore(): void } {
    const execute = jest.spyOn(server.app.get(ProjectCommands), 'execute');
    const store = server.platform.store;
    const original = store[step].bind(store) as (...args: unknown[]) => Promise<never>;
    let held = false;
    const spy = jest.spyOn(store, step).mockImplementation(async (...args: unknown[]) => {
      if (!held) {
        held = true;
        while (execute.mock.calls.length < arrivals) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return original(...args);
    });
    return {
      restore: () => {
        spy.mockRestore();
        execute.mockRestore();
      },
    };
  }

  it('gives fifty requests logged at once the numbers CR-1 to CR-50, each once', async () => {
    const projectId = await newProject('Fifty at once');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.api.post(`/api/projects/${projectId}/change-requests`, changeRequest(`Parallel request ${i + 1}`)),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
    const numbers = answers.map((a) => a.body.number as string);
    expect(new Set(numbers).size).toBe(50);
    expect([...numbers].sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)))).toEqual(
      Array.from({ length: 50 }, (_, i) => `CR-${i + 1}`),
    );

    const listed = (await t.api.get(`/api/projects/${projectId}/change-requests`).expect(200)).body as {
      id: string;
      number: string;
    }[];
    expect(listed.map((r) => r.number)).toEqual(Array.from({ length: 50 }, (_, i) => `CR-${i + 1}`));
    // Each answer names the request the list holds under that number.
    for (const answer of answers) expect(listed.find((r) => r.id === answer.body.id)?.number).toBe(answer.body.number);
    expect((await t.api.get(`/api/projects/${projectId}/audit/verify`).expect(200)).body.valid).toBe(true);
  });

  it(
    'lets one of two staff members assessing the same request at once win, ' + 'and tells the other to reload',
    async () => {
      const projectId = await newProject('Same request, two people');
      const crId = await loggedRequest(projectId, 'Guest VLAN');
      const [priya, sam] = [await t.keyFor('pm'), await t.keyFor('pm')];
      const before = await streamHead(t, projectId);

      const hold = holdFirst('append', 2);
      const [a, b] = await Promise.all([
        assess(priya, projectId, crId, guestVlan),
        assess(sam, projectId, crId, guestVlanBigger),
      ]).finally(hold.restore);

      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const loser = a.status === 409 ? a : b;
      expectProblem(loser, 409);
      expect(loser.body.detail).toBe('CR-1 was changed by someone else a moment ago; reload and try again');
      const after = await streamHead(t, projectId);
      expect(after.count).toBe(before.count + 1);
      // The winner's assessment is the one that stands.
      const winner = a.status === 200 ? a : b;
      const stored = (await t.api.get(`/api/projects/${projectId}/change-requests/${crId}`).expect(200)).body;
      expect(stored.assessment.costDelta).toBe(winner.body.changeRequest.assessment.costDelta);

      // Having reloaded, the loser may assess again.
      await assess(a.status === 409 ? priya : sam, projectId, crId, guestVlanBigger).expect(200);
    },
  );

  it('tells the loser to reload even when the project was not in memory yet (a server just started)', async () => {
    const projectId = await newProject('Same request after a restart');
    const crId = await loggedRequest(projectId, 'Guest VLAN');
    const fresh = await secondServer(t);
    try {
      const assessThere = (body: object) =>
        request(fresh.app.getHttpServer())
          .post(`/api/projects/${projectId}/change-requests/${crId}/assessment`)
          .set('Authorization', `Bearer ${ADMIN_KEY}`)
          .send(body);
      // Both arrive while the first is still reading the project from the store.
      const hold = holdFirst('readStream', 2, fresh);
      const answers = await Promise.all([assessThere(guestVlan), assessThere(guestVlanBigger)]).finally(hold.restore);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    } finally {
      await fresh.close();
    }
  });

  it(
    'tells both others to reload when three assess the same request at once, ' +
      'though the winner was done before theirs ran',
    async () => {
      const projectId = await newProject('Same request, three people');
      const crId = await loggedRequest(projectId, 'Guest VLAN');
      const keys = [await t.keyFor('pm'), await t.keyFor('pm'), await t.keyFor('pm')];
      const before = await streamHead(t, projectId);

      const hold = holdFirst('append', 3);
      const answers = await Promise.all(keys.map((key) => assess(key, projectId, crId, guestVlan))).finally(
        hold.restore,
      );

      expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
      expect((await streamHead(t, projectId)).count).toBe(before.count + 1);
      // Once everyone has the new state, a change is no clash.
      await assess(keys[2], projectId, crId, guestVlanBigger).expect(200);
      await assess(keys[1], projectId, crId, guestVlan).expect(200);
    },
  );

  it('answers the loser 412 when both sent If-Match with the ETag they had read', async () => {
    const projectId = await newProject('Same request, If-Match');
    const crId = await loggedRequest(projectId, 'Guest VLAN');
    const etag = `"${(await streamHead(t, projectId)).lastRevision}"`;
    const [priya, sam] = [await t.keyFor('pm'), await t.keyFor('pm')];

    const hold = holdFirst('append', 2);
    const [a, b] = await Promise.all([
      assess(priya, projectId, crId, guestVlan).set('If-Match', etag),
      assess(sam, projectId, crId, guestVlanBigger).set('If-Match', etag),
    ]).finally(hold.restore);

    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const loser = a.status === 412 ? a : b;
    expectProblem(loser, 412);
    expect(loser.body.detail).toMatch(/reload and try again/);
  });

  it('lets two people change different requests of one project at once', async () => {
    const projectId = await newProject('Different requests');
    const first = await loggedRequest(projectId, 'Guest VLAN');
    const second = await loggedRequest(projectId, 'Printer VLAN');
    const [priya, sam] = [await t.keyFor('pm'), await t.keyFor('pm')];

    const hold = holdFirst('append', 2);
    const answers = await Promise.all([
      assess(priya, projectId, first, guestVlan),
      assess(sam, projectId, second, {
        lines: [{ op: 'add', ref: 'VLAN-2', title: 'Printer VLAN', role: 'engineer', hours: 1 }],
      }),
    ]).finally(hold.restore);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
  });

  it('does not mistake a change made earlier on another server for one made at the same moment', async () => {
    const projectId = await newProject('Two servers');
    const crId = await loggedRequest(projectId, 'Guest VLAN');
    const other = await secondServer(t);
    try {
      const onOther = (path: string, body: object) =>
        request(other.app.getHttpServer()).post(path).set('Authorization', `Bearer ${ADMIN_KEY}`).send(body);
      // The other server has the project in memory, then falls behind.
      await onOther(`/api/projects/${projectId}/change-requests`, changeRequest('Seen by the other server')).expect(
        201,
      );
      await assess(ADMIN_KEY, projectId, crId, guestVlan).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // Re-assessing there later is not a conflict: the first assessment was done and visible before.
      await onOther(`/api/projects/${projectId}/change-requests/${crId}/assessment`, guestVlanBigger).expect(200);
    } finally {
      await other.close();
    }
  });

  describe('Idempotency-Key', () => {
    let projectId: string;
    beforeAll(async () => {
      projectId = await newProject('Retries');
    });

    const logWithKey = (key: string, body: object, apiKey = ADMIN_KEY) =>
      request(t.http)
        .post(`/api/projects/${projectId}/change-requests`)
        .set('Authorization', `Bearer ${apiKey}`)
        .set('Idempotency-Key', key)
        .send(body);

    it('answers a retry with the first answer and appends nothing', async () => {
      const first = await logWithKey('retry-1', changeRequest('Retried request')).expect(201);
      const head = await streamHead(t, projectId);
      const retry = await logWithKey('retry-1', changeRequest('Retried request'));
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.etag).toBe(first.headers.etag);
      expect(retry.headers.location).toBe(first.headers.location);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(await streamHead(t, projectId)).toEqual(head);
    });

    it('answers the same key with a different body with 422 and appends nothing', async () => {
      await logWithKey('retry-2', changeRequest('First body')).expect(201);
      const head = await streamHead(t, projectId);
      const reused = await logWithKey('retry-2', changeRequest('Another body'));
      expectProblem(reused, 422);
      expect(reused.body.detail).toMatch(/Idempotency-Key was already used for a different request/);
      expect(await streamHead(t, projectId)).toEqual(head);
    });

    it('applies identical requests sent at once with one key only once', async () => {
      const head = await streamHead(t, projectId);
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => logWithKey('retry-3', changeRequest('Double click'))),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(5).fill(201));
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect((await streamHead(t, projectId)).count).toBe(head.count + 1);
    });

    it('keeps keys apart per staff key', async () => {
      const other = await t.keyFor('pm');
      const mine = await logWithKey('retry-4', changeRequest('Same key, two people')).expect(201);
      const theirs = await logWithKey('retry-4', changeRequest('Same key, two people'), other).expect(201);
      expect(theirs.body.id).not.toBe(mine.body.id);
    });

    it('does not remember a refusal: the corrected request may reuse the key', async () => {
      const refused = await logWithKey('retry-5', { ...changeRequest('No source'), source: 'fax' });
      expectProblem(refused, 400, 'source');
      await logWithKey('retry-5', changeRequest('With a source')).expect(201);
    });

    it('refuses a key that is not a short visible text', async () => {
      expectProblem(await logWithKey('x'.repeat(256), changeRequest('Long key')), 400);
      expectProblem(await logWithKey('tab\tkey', changeRequest('Tab key')), 400);
    });

    it('leaves a request without a valid API key to authentication, holding no key', async () => {
      const head = await streamHead(t, projectId);
      expectProblem(await logWithKey('retry-6', changeRequest('Unknown caller'), 'sl_not_a_key_at_all_0123'), 401);
      expectProblem(
        await request(t.http)
          .post(`/api/projects/${projectId}/change-requests`)
          .set('Idempotency-Key', 'retry-6')
          .send(changeRequest('No key')),
        401,
      );
      const { rows } = await t.database.sql.query(`SELECT scope FROM idempotency_keys WHERE key = 'retry-6'`);
      expect(rows).toEqual([]);
      expect(await streamHead(t, projectId)).toEqual(head);
    });

    it('keeps the answers in the idempotency_keys table, by staff key', async () => {
      const { rows } = await t.database.sql.query<{ scope: string; status: number }>(
        `SELECT scope, status FROM idempotency_keys WHERE key = 'retry-1'`,
      );
      expect(rows).toEqual([{ scope: expect.stringMatching(/^staff:/), status: 201 }]);
    });

    it('answers a signer retrying a decline with the first answer', async () => {
      const { projectId: signingProject, issued } = await issuedScenario(t, 'Retried decline');
      const decline = () =>
        request(t.http)
          .post(`${issued.signPath}/decline`)
          .set('Idempotency-Key', 'decline-1')
          .send({ reason: 'Over budget' });
      const first = await decline().expect(200);
      const head = await streamHead(t, signingProject);
      const retry = await decline().expect(200);
      expect(retry.body).toEqual(first.body);
      expect(await streamHead(t, signingProject)).toEqual(head);
      const events = (await t.api.get(`/api/projects/${signingProject}/events`).expect(200)).body as { type: string }[];
      expect(events.filter((e) => e.type === 'ChangeOrderDeclined')).toHaveLength(1);
    });
  });
});
