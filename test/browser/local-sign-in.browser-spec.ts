import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startTestServer, TestServer } from '../support/test-server';

/**
 * A fresh installation as its owner meets it: /setup creates the owner account and signs them in; after signing
 * out they sign in again with their email and password. Needs Debian's chromium.
 */
describe('local accounts in Chromium', () => {
  let t: TestServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestServer({ listen: true }), launchChromium()]);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('runs the setup page, signs out, and signs in with the email and password', async () => {
    context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page: Page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));

    await page.goto(`${t.baseUrl}/setup`);
    expect(new URL(page.url()).pathname).toBe('/app/setup');
    await page.getByLabel('Your name').fill('Ana Oliveira');
    await page.getByLabel('Email').fill('ana@northwind-it.example');
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
    await page.getByLabel('Password again').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Create the owner account' }).click();
    await page.waitForURL(`${t.baseUrl}/app`);
    expect(await page.locator('h1').innerText()).toBe('Portfolio');
    expect(await page.locator('.who-name').innerText()).toBe('Ana Oliveira');

    // The setup page is closed now.
    await page.goto(`${t.baseUrl}/setup`);
    await page.waitForURL(`${t.baseUrl}/app`);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/app\/sign-in\?signed-out=1$/);
    await page.getByLabel('Email').fill('ana@northwind-it.example');
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${t.baseUrl}/app`);
    expect(await page.locator('.who-name').innerText()).toBe('Ana Oliveira');

    await page.getByRole('link', { name: 'Ana Oliveira' }).click();
    expect(await page.locator('h1').innerText()).toBe('Ana Oliveira');
    expect(await page.locator('#totp').innerText()).toContain('Set up an authenticator app');
    expect(problems).toEqual([]);
  }, 60_000);
});
