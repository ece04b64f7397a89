import { startTestServer, TestServer } from '../support/test-server';

describe('project API basics', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('opens a project and reads its summary right after the command answered', async () => {
    const opened = await t.api
      .post('/api/projects', {
        name: 'Smoke',
        client: { name: 'Client', email: 'c@client.example' },
        currency: 'USD',
        rates: { engineer: 15000 },
        startDate: '2026-03-02',
      })
      .expect(201);
    const summary = await t.api.get(`/api/projects/${opened.body.id}`).expect(200);
    expect(summary.body).toMatchObject({ name: 'Smoke', currency: 'USD', baselineEstablished: false });
  });

  it('refuses a request without a key with a problem document', async () => {
    const response = await (await import('supertest')).default(t.http).get('/api/projects').expect(401);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('serves its icon where browsers look for it, and every page links it', async () => {
    const anonymous = (await import('supertest')).default(t.http);
    for (const path of ['/favicon.ico', '/assets/favicon.svg']) {
      const icon = await anonymous.get(path).expect(200);
      expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(String(icon.body ?? icon.text)).toContain('<svg');
    }
    const signIn = await anonymous.get('/app/sign-in').expect(200);
    expect(signIn.text).toContain('<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">');
  });
});
