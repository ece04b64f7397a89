import { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { freePort, startOidcProvider, TestOidcProvider } from '../support/oidc-provider';
import { startTestServer, TestServer } from '../support/test-server';

const PASSWORD = 'provider-password-1';

/**
 * Single sign-on in Chromium against a real OpenID provider (oidc-provider, in its own process on 127.0.0.1):
 * the sign-in page's button, the provider's login form, and back to the portfolio signed in. Needs Debian's
 * chromium (apt-get install chromium).
 */
describe('single sign-on in Chromium', () => {
  let provider: TestOidcProvider;
  let t: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    // The provider only sends people back to the registered address, so the server's port is chosen first.
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    provider = await startOidcProvider({
      redirectUri: `${publicUrl}/app/sign-in/oidc/callback`,
      accounts: [
        { email: 'priya.raman@northwind-it.example', password: PASSWORD, name: 'Priya Raman' },
        { email: 'former.colleague@northwind-it.example', password: PASSWORD, name: 'Former Colleague' },
      ],
    });
    [t, browser] = await Promise.all([
      startTestServer({
        listen: true,
        config: {
          port,
          publicUrl,
          oidc: {
            issuer: provider.issuer,
            clientId: provider.clientId,
            clientSecret: provider.clientSecret,
            buttonLabel: 'Sign in with Northwind',
            allowedDomains: ['northwind-it.example'],
          },
        },
      }),
      launchChromium(),
    ]);
    const admin = { actor: { kind: 'staff' as const, id: 'test-admin', name: 'Test Admin' } };
    await t.server.staffUsers.add(
      { name: 'Priya Raman', email: 'priya.raman@northwind-it.example', role: 'pm' },
      admin,
    );
    const former = await t.server.staffUsers.add(
      { name: 'Former Colleague', email: 'former.colleague@northwind-it.example', role: 'pm' },
      admin,
    );
    await t.server.staffUsers.deactivate(former.userId, admin);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await provider?.close();
  });

  async function signInThroughProvider(email: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${t.baseUrl}/app`);
    expect(new URL(page.url()).pathname).toBe('/app/sign-in');
    await page.getByRole('link', { name: 'Sign in with Northwind' }).click();
    await page.waitForURL(`${provider.issuer}/interaction/**`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${t.baseUrl}/app**`);
    return page;
  }

  it('signs in at the provider and lands on the portfolio, signed in by name', async () => {
    const page = await signInThroughProvider('priya.raman@northwind-it.example');
    expect(page.url()).toBe(`${t.baseUrl}/app`);
    expect(await page.locator('h1').innerText()).toBe('Portfolio');
    expect(await page.locator('body').innerText()).toContain('Priya Raman');
    await page.context().close();
  });

  it('refuses a deactivated user whom the provider still signs in, with a plain page', async () => {
    const page = await signInThroughProvider('former.colleague@northwind-it.example');
    expect(new URL(page.url()).pathname).toBe('/app/sign-in/oidc/callback');
    expect(await page.locator('h1').innerText()).toBe('Not signed in');
    expect(await page.getByRole('alert').innerText()).toBe(
      'The Scope Ledger account of former.colleague@northwind-it.example is deactivated. ' +
        'An administrator can reactivate it.',
    );
    await page.getByRole('link', { name: 'Back to sign-in' }).click();
    expect(new URL(page.url()).pathname).toBe('/app/sign-in');
    await page.context().close();
  });
});
