import request from 'supertest';
import { startTestServer, TestServer } from '../support/test-server';

describe('staff session cookies behind https', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ config: { publicUrl: 'https://ledger.example' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('are Secure and __Host- prefixed when the public URL is https', async () => {
    const form = await request(t.http).get('/app/sign-in').expect(200);
    const signInCookie = ([] as string[]).concat(form.headers['set-cookie'])[0];
    expect(signInCookie).toMatch(/^__Host-sl_sign_in=[^;]+; Path=\/; Max-Age=3600; HttpOnly; SameSite=Lax; Secure$/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const response = await request(t.http)
      .post('/app/sign-in')
      .set('Cookie', signInCookie.split(';')[0])
      .type('form')
      .send({ _csrf: csrf, key: await t.keyFor('pm') })
      .expect(303);
    const session = ([] as string[])
      .concat(response.headers['set-cookie'])
      .find((c) => c.startsWith('__Host-sl_session='));
    expect(session).toMatch(
      /^__Host-sl_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax; Secure$/,
    );
    await request(t.http).get('/app').set('Cookie', session!.split(';')[0]).expect(200);
  });
});
