import { startTestServer, TestServer } from '../support/test-server';

describe('the project summary carries the project ETag', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('lets a reader make its next command conditional on what it read', async () => {
    const opened = await t.api
      .post('/api/projects', {
        name: 'ETag',
        client: { name: 'C', email: 'c@client.example' },
        currency: 'USD',
        rates: { engineer: 10000 },
        startDate: '2026-03-02',
      })
      .expect(201);
    const logged = await t.api
      .post(`/api/projects/${opened.body.id}/change-requests`, {
        title: 'One',
        description: '',
        source: 'email',
        requestedBy: { name: 'R', email: 'r@client.example' },
      })
      .expect(201);

    const summary = await t.api.get(`/api/projects/${opened.body.id}`).expect(200);
    expect(summary.headers.etag).toBe(logged.headers.etag);
    expect(summary.headers.etag).toBe('"1"');

    const request = {
      title: 'Two',
      description: '',
      source: 'phone',
      requestedBy: { name: 'R', email: 'r@client.example' },
    };
    await t.api
      .post(`/api/projects/${opened.body.id}/change-requests`, request)
      .set('If-Match', summary.headers.etag)
      .expect(201);
    // The same ETag is now stale.
    await t.api
      .post(`/api/projects/${opened.body.id}/change-requests`, request)
      .set('If-Match', summary.headers.etag)
      .expect(412);

    const past = await t.api
      .get(`/api/projects/${opened.body.id}?asOf=${encodeURIComponent(new Date().toISOString())}`)
      .expect(200);
    // A view of the past has no project ETag: it is not something to build a command on.
    expect(past.headers.etag).toBeUndefined();
  });
});
