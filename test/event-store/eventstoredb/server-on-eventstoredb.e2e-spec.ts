import { startTestServer, TestServer } from '../../support/test-server';
import { FakeEventStoreDbServer } from './fake-eventstoredb-server';

/** The whole server with events in EventStoreDB (the in-process test server) and read models in SQL. */
describe('server with EVENTSTORE_CONNECTION_STRING', () => {
  let esdb: FakeEventStoreDbServer;
  let t: TestServer;

  beforeAll(async () => {
    esdb = await FakeEventStoreDbServer.start();
    t = await startTestServer({ config: { eventStoreConnectionString: esdb.connectionString } });
  });

  afterAll(async () => {
    await t?.close();
    await esdb?.stop();
  });

  it('reports both stores in the health endpoint', async () => {
    const health = await t.api.get('/health').expect(200);
    expect(health.body.storage).toMatch(/events in EventStoreDB/);
    expect(health.body.eventStore.status).toBe('ok');
    expect(health.body.readModels.status).toBe('ok');
  });

  it('runs commands against EventStoreDB and reads their projections right after', async () => {
    const { body: project } = await t.api
      .post('/api/projects', {
        name: 'Fabrikam network refresh',
        client: { name: 'Fabrikam', email: 'it@fabrikam.example' },
        currency: 'EUR',
        rates: { engineer: 12000 },
        startDate: '2026-04-06',
      })
      .expect(201);
    await t.api
      .post(`/api/projects/${project.id}/baseline`, {
        items: [{ ref: 'SW-1', title: 'Replace core switches', role: 'engineer', hours: 16.5 }],
        milestones: [{ ref: 'M1', name: 'Cut-over', due: '2026-04-24' }],
      })
      .expect(201);
    const { body: request } = await t.api
      .post(`/api/projects/${project.id}/change-requests`, {
        title: 'Add a guest VLAN',
        description: 'Asked on the phone',
        source: 'phone',
        requestedBy: { name: 'Ola', email: 'ola@fabrikam.example' },
      })
      .expect(201);
    await t.api
      .post(`/api/projects/${project.id}/change-requests/${request.id}/assessment`, {
        lines: [{ op: 'add', ref: 'VLAN-9', title: 'Guest VLAN', role: 'engineer', hours: 2.25 }],
      })
      .expect(200);

    const budget = await t.api.get(`/api/projects/${project.id}/budget`).expect(200);
    // 16.5 h x 120.00 = 1,980.00; the assessed add 2.25 h x 120.00 = 270.00 awaits an order.
    expect(budget.body).toMatchObject({ baseline: 198000, current: 198000, awaitingOrder: 27000 });
    const verify = await t.api.get(`/api/projects/${project.id}/audit/verify`).expect(200);
    expect(verify.body).toMatchObject({ valid: true, events: 5 });
  });

  it('refuses to start when the event store cannot be reached', async () => {
    await expect(
      startTestServer({ config: { eventStoreConnectionString: 'esdb://127.0.0.1:1?tls=false' } }),
    ).rejects.toThrow(/EventStoreDB at .* is unreachable/);
  });
});
