import request from 'supertest';
import { ADMIN_KEY, startTestServer, TestServer } from '../support/test-server';

type Operation = {
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, unknown> };
  parameters?: { name: string; in: string; schema?: { format?: string } }[];
  'x-roles'?: string[];
};
type Role = 'admin' | 'pm' | 'finance';
const ROLES: Role[] = ['admin', 'pm', 'finance'];

/**
 * Every operation of the OpenAPI document, called without a key and with an admin, a PM and a finance key:
 * the roles the document names are the roles the server lets in, and staff routes want a key.
 */
describe('the role walk over every API operation', () => {
  let t: TestServer;
  const keys = new Map<Role, string>();
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestServer({ config: { signRateLimit: 10_000, verifyRateLimit: 10_000 } });
    keys.set('admin', ADMIN_KEY);
    for (const role of ['pm', 'finance'] as const) {
      const created = await t.api.post('/api/admin/api-keys', { name: `${role} walker`, role }).expect(201);
      keys.set(role, created.body.key);
    }
    // A real project with a card, an assessed request and a draft order, so that paths name things that exist.
    const project = await t.api
      .post('/api/projects', {
        name: 'Walk',
        client: { name: 'Dana Whitfield', email: 'dana@contoso.example' },
        currency: 'USD',
        rates: { engineer: 15000 },
        startDate: '2026-03-02',
      })
      .expect(201);
    ids.id = project.body.id;
    await t.api
      .post(`/api/projects/${ids.id}/baseline`, {
        items: [{ ref: 'MIG-1', title: 'Migrate mailboxes', role: 'engineer', hours: 10 }],
        milestones: [{ ref: 'M1', name: 'Pilot complete', due: '2026-03-20' }],
      })
      .expect(201);
    const board = await t.api.get(`/api/projects/${ids.id}/board`).expect(200);
    ids.cardId = board.body.columns.flatMap((c: { cards: { id: string }[] }) => c.cards)[0].id;
    const logged = await t.api
      .post(`/api/projects/${ids.id}/change-requests`, {
        title: 'Shared mailboxes',
        description: 'Three more',
        source: 'email',
        requestedBy: { name: 'Dana Whitfield', email: 'dana@contoso.example' },
      })
      .expect(201);
    ids.crId = ids.requestId = logged.body.id;
    await t.api
      .post(`/api/projects/${ids.id}/change-requests/${ids.crId}/assessment`, {
        lines: [{ op: 'add', ref: 'MIG-2', title: 'Shared mailboxes', role: 'engineer', hours: 2 }],
      })
      .expect(200);
    const order = await t.api
      .post(`/api/projects/${ids.id}/change-orders`, {
        changeRequestIds: [ids.crId],
        signer: { name: 'Dana Whitfield', email: 'dana@contoso.example' },
      })
      .expect(201);
    ids.coId = ids.orderId = order.body.id;
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  /** A value for a path parameter: the real record where the walk has one, a made-up one of the right shape else. */
  function valueOf(name: string, format: string | undefined): string {
    if (ids[name]) return ids[name];
    return format === 'uuid' ? '00000000-0000-4000-8000-000000000000' : 'unknown-1';
  }

  function call(method: string, path: string, op: Operation, key: string | undefined) {
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const parameter = op.parameters?.find((p) => p.in === 'path' && p.name === name);
      return encodeURIComponent(valueOf(name, parameter?.schema?.format));
    });
    const test = request(t.http)[method as 'get'](url);
    if (key) test.set('Authorization', `Bearer ${key}`);
    if (op.requestBody?.content['application/json']) test.send({});
    return test;
  }

  it('lets in exactly the roles each operation names, and wants a key on staff routes', async () => {
    const openApi = (await request(t.http).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    const wrong: string[] = [];
    let walked = 0;
    for (const [path, methods] of Object.entries(openApi.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const route = `${method.toUpperCase()} ${path}`;
        const staff = Boolean(op.security?.length);
        walked += 1;
        const anonymous = await call(method, path, op, undefined);
        if (staff && anonymous.status !== 401) wrong.push(`${route} without a key: ${anonymous.status}, not 401`);
        if (staff && !/application\/problem\+json/.test(anonymous.headers['content-type'] ?? ''))
          wrong.push(`${route} without a key: not problem+json`);
        if (!staff && (anonymous.status === 401 || anonymous.status === 403 || anonymous.status >= 500))
          wrong.push(`${route} is public but answered ${anonymous.status} without a key`);
        if (!staff) continue;
        const allowed = op['x-roles'] ?? [];
        for (const role of ROLES) {
          const answer = await call(method, path, op, keys.get(role));
          if (allowed.includes(role)) {
            if ([401, 403].includes(answer.status) || answer.status >= 500)
              wrong.push(`${route} as ${role}: ${answer.status} although the document allows ${role}`);
          } else if (answer.status !== 403) {
            wrong.push(`${route} as ${role}: ${answer.status}, not 403`);
          } else if (!allowed.filter((r) => r !== 'admin').every((r) => String(answer.body.detail).includes(r))) {
            wrong.push(`${route} as ${role}: the 403 does not name the ${allowed.join(', ')} roles`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(walked).toBeGreaterThan(80);
  }, 300_000);

  it('refuses a PM on a finance route with a problem naming the role', async () => {
    const answer = await request(t.http)
      .get('/api/finance/change-orders')
      .set('Authorization', `Bearer ${keys.get('pm')}`)
      .expect(403);
    expect(answer.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(answer.body).toMatchObject({ status: 403, title: 'Forbidden' });
    expect(answer.body.detail).toBe('This needs the finance role; your key has the pm role');
  });
});
