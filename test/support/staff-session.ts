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
