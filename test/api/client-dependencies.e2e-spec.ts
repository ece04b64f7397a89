import request from 'supertest';
import { startTestServer, TestServer } from '../support/test-server';
import { expectProblem, expectRefusedWithoutAppend, smallBaseline, smallProject } from './api-helpers';

const requester = { name: 'Dana Whitfield', email: 'dana@northwind.example' };

/**
 * What a project waits for from its client: logged, aged in working days, resolved; one that arrived late becomes
 * a schedule-only change request the client signs like any other; the portfolio ranks projects blocked on clients.
 */
describe('client dependencies', () => {
  let t: TestServer;
  let projectId: string;
  let base: string;

  beforeAll(async () => {
    t = await startTestServer();
    projectId = (await t.api.post('/api/projects', smallProject('Waiting on Northwind')).expect(201)).body.id;
    await t.api.post(`/api/projects/${projectId}/baseline`, smallBaseline).expect(201);
    base = `/api/projects/${projectId}/client-dependencies`;
  });
  afterAll(async () => {
    await t.close();
  });

  it('logs a dependency, ages it, resolves it late and claims the working days it cost', async () => {
    const logged = await t.api
      .post(base, { what: 'Firewall admin credentials', milestone: 'M1', since: '2026-03-09', due: '2026-03-11' })
      .expect(201);
    expect(logged.body).toMatchObject({
      ref: 'DEP-1',
      what: 'Firewall admin credentials',
      milestone: 'M1',
      milestoneName: 'Network live',
      status: 'overdue',
      resolvedOn: null,
      claimable: false,
      events: ['ClientDependencyLogged'],
    });
    const dependencyId = logged.body.id as string;

    expect((await t.api.get(base).expect(200)).body).toMatchObject({ open: 1, overdue: 1 });
    const whileWaiting = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));

    const resolved = await t.api.post(`${base}/${dependencyId}/resolve`, { resolvedOn: '2026-03-16' }).expect(200);
    // Due Wednesday 11 March, arrived Monday 16 March: Thursday, Friday and Monday lost.
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      resolvedOn: '2026-03-16',
      waitingWorkingDays: 5,
      overdueWorkingDays: 0,
      workingDaysLate: 3,
      claimable: true,
    });

    // Time travel: before the resolution was recorded, it still waited.
    const then = (await t.api.get(`${base}?asOf=${encodeURIComponent(whileWaiting)}`).expect(200)).body;
    expect(then).toMatchObject({ open: 1, asOf: whileWaiting });
    expect(then.dependencies[0]).toMatchObject({ status: 'overdue', resolvedOn: null });

    const claimed = await t.api.post(`${base}/${dependencyId}/change-request`, {}).expect(201);
    expect(claimed.body.changeRequest).toMatchObject({
      number: 'CR-1',
      title: 'Waiting for the client: Firewall admin credentials',
      source: 'client_dependency',
      status: 'assessed',
    });
    expect(claimed.body.events).toEqual(['ChangeRequestLogged', 'ChangeRequestAssessed']);
    expect(claimed.body.changeRequest.assessment).toMatchObject({
      costDelta: 0,
      lines: [],
      schedule: [{ milestone: 'M1', workingDays: 3 }],
    });

    // It goes on an order like any other request, for the client to sign.
    await t.api
      .post(`/api/projects/${projectId}/change-orders`, { changeRequestIds: [claimed.body.id], signer: requester })
      .expect(201);

    const listed = (await t.api.get(base).expect(200)).body;
    expect(listed.dependencies[0]).toMatchObject({
      claimable: false,
      changeRequest: { number: 'CR-1', status: 'ordered' },
    });
    await expectRefusedWithoutAppend(t, projectId, () => t.api.post(`${base}/${dependencyId}/change-request`, {}), 409);
  });

  it('refuses bad input with the field named, and appends nothing', async () => {
    await expectRefusedWithoutAppend(
      t,
      projectId,
      () => t.api.post(base, { what: '', due: '2026-03-11' }),
      400,
      'what',
    );
    await expectRefusedWithoutAppend(
      t,
      projectId,
      () => t.api.post(base, { what: 'Access', due: '2026-02-30' }),
      400,
      'due',
    );
    await expectRefusedWithoutAppend(
      t,
      projectId,
      () => t.api.post(base, { what: 'Access', due: '2026-03-11', milestone: 'M9' }),
      422,
      'milestone',
    );
    await expectRefusedWithoutAppend(
      t,
      projectId,
      () => t.api.post(base, { what: 'Access', since: '2099-01-01', due: '2099-01-02' }),
      422,
      'since',
    );
    const unknown = await t.api.post(`${base}/00000000-0000-4000-8000-000000000001/resolve`, {});
    expectProblem(unknown, 404);
    const finance = await t.keyFor('finance');
    await request(t.http)
      .post(base)
      .set('Authorization', `Bearer ${finance}`)
      .send({ what: 'Access', due: '2026-03-11' })
      .expect(403);
  });

  it('ranks the projects blocked on their client first in the portfolio', async () => {
    const blocked = (await t.api.post('/api/projects', smallProject('Blocked on Fabrikam')).expect(201)).body.id;
    await t.api.post(`/api/projects/${blocked}/baseline`, smallBaseline).expect(201);
    await t.api
      .post(`/api/projects/${blocked}/client-dependencies`, {
        what: 'Sign-off of the network design',
        since: '2026-11-02',
        due: '2026-11-06',
      })
      .expect(201);
    const portfolio = (await t.api.get('/api/portfolio?sort=client').expect(200)).body;
    expect(portfolio.projects[0]).toMatchObject({
      name: 'Blocked on Fabrikam',
      waitingOnClient: { open: 1, overdue: 1, oldestSince: '2026-11-02' },
    });
    expect(portfolio.projects[0].waitingOnClient.mostOverdueDays).toBeGreaterThan(20);
    const other = portfolio.projects.find((p: { name: string }) => p.name === 'Waiting on Northwind');
    expect(other.waitingOnClient).toMatchObject({ open: 0, overdue: 0, oldestSince: null });
  });
});
