import request from 'supertest';
import { configFromEnv } from '../../apps/server/src/config';
import { RunningServer } from '../../apps/server/src/server';
import { expectProblem } from '../api/api-helpers';
import { csrfOf } from '../support/staff-session';
import { ADMIN_KEY, startTestServer, TestServer } from '../support/test-server';
import { secondServer } from './second-server';

const LIMIT = 3;
const WINDOW_SECONDS = 15 * 60;
const unknownKey = (n: number) => `sl_never_issued_key_${String(n).padStart(24, '0')}`;

/**
 * Bad credentials cost the address that sends them: after AUTH_FAILURE_LIMIT failures in 15 minutes, further
 * bad keys and sign-ins are answered 429 with Retry-After, counted across every server on the database.
 * Good keys keep working. Each sign-in form can be sent once.
 */
describe('throttling failed sign-ins and unknown API keys', () => {
  let t: TestServer;
  let other: RunningServer;

  beforeAll(async () => {
    t = await startTestServer({ config: { authFailureLimit: LIMIT } });
    other = await secondServer(t, { authFailureLimit: LIMIT });
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });

  it('answers 429 with Retry-After once an address has sent too many unknown keys, on every server', async () => {
    const tryKey = (http: unknown, n: number) =>
      request(http as Parameters<typeof request>[0])
        .get('/api/portfolio')
        .set('Authorization', `Bearer ${unknownKey(n)}`);
    // Two failures on this server and one on the other make the limit of three.
    expect((await tryKey(t.http, 1)).status).toBe(401);
    expect((await tryKey(other.app.getHttpServer(), 2)).status).toBe(401);
    expect((await tryKey(t.http, 3)).status).toBe(401);

    const throttled = await tryKey(other.app.getHttpServer(), 4);
    expectProblem(throttled, 429);
    expect(throttled.body.detail).toMatch(/^Too many unknown API keys from your address; try again in 1[45] minutes$/);
    const retryAfter = Number(throttled.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(WINDOW_SECONDS - 120);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect((await tryKey(t.http, 5)).status).toBe(429);

    // A valid key from the same address is not locked out by someone else's guesses.
    await t.api.get('/api/portfolio').expect(200);
  });

  it('refuses a sign-in form sent a second time, and throttles failed sign-ins on the page', async () => {
    const form = await request(t.http).get('/app/sign-in').expect(200);
    // The form's nonce cookie and its token, replayed as a script would, ignoring the fresh cookie of each answer.
    const nonceCookie = form.headers['set-cookie'][0].split(';')[0];
    const send = (key: string) =>
      request(t.http)
        .post('/app/sign-in')
        .set('Cookie', nonceCookie)
        .type('form')
        .send({ _csrf: csrfOf(form.text), key });

    // The address already used its failures above: a wrong key now is throttled, with the wait on the page.
    const wrong = await send(unknownKey(6));
    expect(wrong.status).toBe(429);
    expect(Number(wrong.headers['retry-after'])).toBeGreaterThan(0);
    expect(wrong.text).toMatch(/Too many failed sign-ins from your address; try again in 1[45] minutes\./);

    // The same form and token again, this time with a good key: refused, the form was used.
    const replayed = await send(ADMIN_KEY);
    expect(replayed.status).toBe(403);
    expect(replayed.text).toContain('This sign-in form was already sent');

    // A fresh form signs in with a good key even from this address.
    const agent = request.agent(t.http);
    const fresh = await agent.get('/app/sign-in').expect(200);
    const signedIn = await agent
      .post('/app/sign-in')
      .type('form')
      .send({ _csrf: csrfOf(fresh.text), key: ADMIN_KEY });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe('/app');
  });
});

describe('ADMIN_API_KEY strength', () => {
  it.each([
    ['too short', 'sl_short_admin_key', /too short \(18 characters\)/],
    ['repetitive', 'a'.repeat(40), /too few different characters/],
    ['with a space', 'sl correct horse battery staple 0123456789', /must not contain spaces/],
  ])('stops the start when the key is %s, saying how to make one', (_case, key, message) => {
    expect(() => configFromEnv({ ADMIN_API_KEY: key })).toThrow(message);
    expect(() => configFromEnv({ ADMIN_API_KEY: key })).toThrow(/openssl rand -base64 32/);
  });

  it('accepts a random key and no key at all (one is then generated)', () => {
    expect(configFromEnv({ ADMIN_API_KEY: ADMIN_KEY }).adminApiKey).toBe(ADMIN_KEY);
    expect(configFromEnv({}).adminApiKey).toBeUndefined();
  });
});
