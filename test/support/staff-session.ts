import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { TestServer } from './test-server';

export type Agent = InstanceType<typeof TestAgent>;

/** The CSRF token a staff page's forms carry. */
export function csrfOf(page: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!match) throw new Error('The page has no CSRF field');
  return match[1];
}

/** A browser-like agent signed in to the staff pages with a key of `role`, and the CSRF token of its pages. */
export async function signedInAgent(
  t: TestServer,
  role: 'pm' | 'finance' | 'admin',
): Promise<{ agent: Agent; csrf: string }> {
  const agent = request.agent(t.http);
  const form = await agent.get('/app/sign-in').expect(200);
  const signedIn = await agent
    .post('/app/sign-in')
    .type('form')
    .send({ _csrf: csrfOf(form.text), key: await t.keyFor(role) })
    .expect(303);
  return { agent, csrf: csrfOf((await agent.get(signedIn.headers.location).expect(200)).text) };
}

/** A browser-like agent signed in with a local account's email and password (and TOTP code, when enrolled). */
export async function signedInWithPassword(
  t: TestServer,
  account: { email: string; password: string; code?: string },
): Promise<{ agent: Agent; csrf: string }> {
  const agent = request.agent(t.http);
  const form = await agent.get('/app/sign-in').expect(200);
  const signedIn = await agent
    .post('/app/sign-in')
    .type('form')
    .send({ _csrf: csrfOf(form.text), email: account.email, password: account.password, code: account.code ?? '' })
    .expect(303);
  return { agent, csrf: csrfOf((await agent.get(signedIn.headers.location).expect(200)).text) };
}

/** The owner account made through /setup on a server with no users yet, signed in. */
export async function setUpOwner(
  t: TestServer,
  owner: { name: string; email: string; password: string },
): Promise<{ agent: Agent; csrf: string }> {
  const agent = request.agent(t.http);
  const form = await agent.get('/app/setup').expect(200);
  const created = await agent
    .post('/app/setup')
    .type('form')
    .send({ _csrf: csrfOf(form.text), ...owner, passwordAgain: owner.password })
    .expect(303);
  return { agent, csrf: csrfOf((await agent.get(created.headers.location).expect(200)).text) };
}
