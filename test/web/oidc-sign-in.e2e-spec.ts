import request from 'supertest';
import { ServerConfig } from '../../apps/server/src/config';
import { freePort, startOidcProvider, TestOidcProvider } from '../support/oidc-provider';
import { loginAtProvider } from '../support/oidc-provider-login';
import { startTestServer, TestServer } from '../support/test-server';

const PUBLIC_URL = 'http://127.0.0.1:4177';
const PASSWORD = 'provider-password-1';
const ADMIN = { actor: { kind: 'staff' as const, id: 'test-admin', name: 'Test Admin' } };

/**
 * Single sign-on against a real OpenID provider (oidc-provider in a child process): the refusals a person or an
 * attacker meets. The browser suite signs in for real; here supertest plays the browser at Scope Ledger and a
 * small cookie-keeping fetch plays it at the provider.
 */
describe('single sign-on refusals', () => {
  let provider: TestOidcProvider;
  let t: TestServer;
  let config: Partial<ServerConfig>;

  beforeAll(async () => {
    provider = await startOidcProvider({
      redirectUri: `${PUBLIC_URL}/app/sign-in/oidc/callback`,
      accounts: [
        { email: 'priya@northwind-it.example', password: PASSWORD, name: 'Priya Raman' },
        { email: 'unverified@northwind-it.example', password: PASSWORD, name: 'Una Verified', emailVerified: false },
        { email: 'guest@fabrikam.example', password: PASSWORD, name: 'Guest Outsider' },
        { email: 'stranger@northwind-it.example', password: PASSWORD, name: 'Sam Stranger' },
        { email: 'former@northwind-it.example', password: PASSWORD, name: 'Fern Former' },
      ],
    });
    config = {
      publicUrl: PUBLIC_URL,
      oidc: {
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        buttonLabel: 'Sign in with Northwind',
        allowedDomains: ['northwind-it.example'],
      },
    };
    t = await startTestServer({ config });
    await t.server.staffUsers.add({ name: 'Priya Raman', email: 'Priya@Northwind-IT.example', role: 'pm' }, ADMIN);
    const former = await t.server.staffUsers.add(
      { name: 'Fern Former', email: 'former@northwind-it.example', role: 'pm' },
      ADMIN,
    );
    await t.server.staffUsers.deactivate(former.userId, ADMIN);
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  /** Starts a sign-in as a browser: the agent keeps Scope Ledger's cookies; answers the issuer's URL. */
  async function startSignIn(agent = request.agent(t.http)) {
    const started = await agent.get('/app/sign-in/oidc').expect(303);
    return { agent, authorizationUrl: started.headers.location as string };
  }

  const callbackPath = (url: URL) => `${url.pathname}${url.search}`;

  it('shows the button on the sign-in page', async () => {
    const page = await request(t.http).get('/app/sign-in').expect(200);
    expect(page.text).toContain('<a class="button wide" href="/app/sign-in/oidc">Sign in with Northwind</a>');
  });

  it('sends the browser to the issuer with PKCE, a state and a nonce', async () => {
    const { authorizationUrl } = await startSignIn();
    const url = new URL(authorizationUrl);
    expect(url.origin).toBe(provider.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: provider.clientId,
      redirect_uri: `${PUBLIC_URL}/app/sign-in/oidc/callback`,
      response_type: 'code',
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{40,}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{40,}$/);
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
  });

  it('signs in a known person and refuses the same answer replayed', async () => {
    const { agent, authorizationUrl } = await startSignIn();
    const callback = await loginAtProvider(authorizationUrl, 'priya@northwind-it.example', PASSWORD);
    const signedIn = await agent.get(callbackPath(callback)).expect(303);
    expect(signedIn.headers.location).toBe('/app');
    expect((await agent.get('/app').expect(200)).text).toContain('Priya Raman');

    // The state cookie was spent: the same callback again, even with the cookie put back, is refused.
    const replayed = await request(t.http)
      .get(callbackPath(callback))
      .set('Cookie', `sl_oidc=${callback.searchParams.get('state')}`)
      .expect(400);
    expect(replayed.text).toContain('This sign-in was already finished, or took longer than 10 minutes.');
    expect(String(replayed.headers['set-cookie'] ?? '')).not.toMatch(/sl_session=[^;]/);
  });

  it('refuses an answer whose state is not the one this browser started with', async () => {
    const first = await startSignIn();
    const other = await startSignIn();
    const callback = await loginAtProvider(first.authorizationUrl, 'priya@northwind-it.example', PASSWORD);
    // Login CSRF: someone else's answer opened in this browser.
    const refused = await other.agent.get(callbackPath(callback)).expect(400);
    expect(refused.text).toContain('This sign-in was not started in this browser');
    // Without any cookie at all.
    await request(t.http).get(callbackPath(callback)).expect(400);
  });

  it.each([
    ['an unverified email', 'unverified@northwind-it.example', 'has not verified unverified@northwind-it.example'],
    ['an email outside the allowed domains', 'guest@fabrikam.example', 'guest@fabrikam.example is not in a domain'],
    [
      'an email nobody added',
      'stranger@northwind-it.example',
      'stranger@northwind-it.example has no Scope Ledger account',
    ],
    [
      'a deactivated user',
      'former@northwind-it.example',
      'The Scope Ledger account of former@northwind-it.example is deactivated',
    ],
  ])('refuses %s with a plain page and no session', async (_, email, message) => {
    const { agent, authorizationUrl } = await startSignIn();
    const callback = await loginAtProvider(authorizationUrl, email, PASSWORD);
    const refused = await agent.get(callbackPath(callback)).expect(403);
    expect(refused.text).toContain(message);
    expect(refused.text).toContain('<a href="/app/sign-in">Back to sign-in</a>');
    await agent.get('/app').expect(303);
  });

  it('says so plainly when the person cancels at the issuer, without counting it as a failure', async () => {
    const { agent, authorizationUrl } = await startSignIn();
    const state = new URL(authorizationUrl).searchParams.get('state')!;
    const answer = new URLSearchParams({ error: 'access_denied', state, iss: provider.issuer });
    const cancelled = await agent.get(`/app/sign-in/oidc/callback?${answer}`).expect(401);
    expect(cancelled.text).toContain('Sign-in was cancelled at the sign-in service.');
  });

  it('adds a person nobody added on their first sign-in when OIDC_DEFAULT_ROLE is set, with that role', async () => {
    const open = await startTestServer({ config: { ...config, oidc: { ...config.oidc!, defaultRole: 'finance' } } });
    try {
      const agent = request.agent(open.http);
      const started = await agent.get('/app/sign-in/oidc').expect(303);
      const callback = await loginAtProvider(started.headers.location, 'stranger@northwind-it.example', PASSWORD);
      await agent.get(callbackPath(callback)).expect(303);
      expect((await agent.get('/app/finance').expect(200)).text).toContain('Sam Stranger');
      expect(await open.server.staffUsers.findByEmail('stranger@northwind-it.example')).toMatchObject({
        name: 'Sam Stranger',
        role: 'finance',
        active: true,
      });
      // Still never a deactivated user: they are not added again.
      await open.server.staffUsers.add(
        { name: 'Fern Former', email: 'former@northwind-it.example', role: 'pm' },
        ADMIN,
      );
      const former = await open.server.staffUsers.findByEmail('former@northwind-it.example');
      await open.server.staffUsers.deactivate(former!.userId, ADMIN);
      const formerAgent = request.agent(open.http);
      const again = await formerAgent.get('/app/sign-in/oidc').expect(303);
      const refusedCallback = await loginAtProvider(again.headers.location, 'former@northwind-it.example', PASSWORD);
      const refused = await formerAgent.get(callbackPath(refusedCallback)).expect(403);
      expect(refused.text).toContain('is deactivated');
    } finally {
      await open.close();
    }
  });

  it('counts refused sign-ins against the address: past the limit the page answers 429 with Retry-After', async () => {
    const strict = await startTestServer({ config: { ...config, authFailureLimit: 2 } });
    try {
      const forged = '/app/sign-in/oidc/callback?code=guessed&state=guessed';
      await request(strict.http).get(forged).set('Cookie', 'sl_oidc=guessed').expect(400);
      await request(strict.http).get(forged).expect(400);
      const throttled = await request(strict.http).get(forged).expect(429);
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(800);
      expect(throttled.text).toContain('Too many failed sign-ins from your address; try again in 15 minutes.');
    } finally {
      await strict.close();
    }
  });
});

describe('single sign-on with the issuer unreachable', () => {
  let t: TestServer;

  beforeAll(async () => {
    const issuer = `http://127.0.0.1:${await freePort()}`;
    const oidc = { issuer, clientId: 'scope-ledger', clientSecret: 'secret', buttonLabel: 'SSO', allowedDomains: [] };
    t = await startTestServer({ config: { publicUrl: PUBLIC_URL, oidc } });
  }, 180_000);

  afterAll(async () => {
    await t?.close();
  });

  it('starts anyway and answers the button with a page saying single sign-on is unavailable', async () => {
    const answer = await request(t.http).get('/app/sign-in/oidc').expect(503);
    expect(answer.text).toContain('Single sign-on is unavailable');
    expect(answer.text).toContain('could not reach the sign-in service at http://127.0.0.1:');
    // The API-key form still works beside it.
    await request(t.http).get('/app/sign-in').expect(200);
  });
});
