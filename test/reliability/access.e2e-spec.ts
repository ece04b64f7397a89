import { createHash } from 'node:crypto';
import request from 'supertest';
import { ChangeOrderService } from '../../apps/server/src/change-orders/change-order.service';
import { RunningServer } from '../../apps/server/src/server';
import { expectProblem, streamHead } from '../api/api-helpers';
import {
  assessedRequest,
  draftOrder,
  issuedScenario,
  issueOrder,
  openProject,
  readAndConsent,
  signer,
} from '../change-orders/change-order-scenario';
import { ADMIN_KEY, startTestServer, TestServer } from '../support/test-server';
import { secondServer } from './second-server';
import { moveClockTo } from '../support/moved-clock';

type Role = 'pm' | 'finance' | 'admin';

/**
 * Who may do what: staff routes need a live key with the right role; a signing link opens
 * exactly one order, only while it can be signed, a limited number of times a minute, and
 * never shows up whole in a log. Every answer carries the security headers.
 */
describe('access to staff routes and signing links', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('staff keys', () => {
    let routes: { method: 'get' | 'post' | 'put' | 'delete'; path: string; roles: Role[] }[];
    let projectId: string;

    beforeAll(async () => {
      const scenario = await issuedScenario(t, 'Access: staff routes');
      projectId = scenario.projectId;
      const p = `/api/projects/${projectId}`;
      const cr = scenario.requestIds.vpn;
      const co = scenario.order.id;
      const someKey = '00000000-0000-4000-8000-000000000001';
      routes = [
        { method: 'post', path: '/api/projects', roles: ['pm'] },
        { method: 'get', path: '/api/projects', roles: ['pm', 'finance'] },
        { method: 'post', path: `${p}/baseline`, roles: ['pm'] },
        ...[
          '',
          '/scope',
          '/budget',
          '/timeline',
          '/board',
          '/change-requests',
          `/change-requests/${cr}`,
          '/events',
          '/audit/verify',
          '/change-orders',
          `/change-orders/${co}`,
          `/change-orders/${co}/pdf`,
        ].map((view) => ({ method: 'get' as const, path: `${p}${view}`, roles: ['pm', 'finance'] as Role[] })),
        { method: 'post', path: `${p}/change-requests`, roles: ['pm'] },
        { method: 'post', path: `${p}/change-requests/${cr}/assessment`, roles: ['pm'] },
        { method: 'post', path: `${p}/change-requests/${cr}/decline`, roles: ['pm'] },
        { method: 'post', path: `${p}/change-orders`, roles: ['pm'] },
        { method: 'post', path: `${p}/change-orders/${co}/issue`, roles: ['pm'] },
        { method: 'post', path: `${p}/change-orders/${co}/void`, roles: ['pm'] },
        { method: 'post', path: `${p}/board/cards`, roles: ['pm'] },
        { method: 'post', path: `${p}/board/cards/C-1/move`, roles: ['pm'] },
        { method: 'put', path: `${p}/board/wip-limits`, roles: ['pm'] },
        { method: 'post', path: `${p}/board/cards/C-1/time`, roles: ['pm'] },
        { method: 'get', path: '/api/portfolio', roles: ['pm', 'finance'] },
        { method: 'get', path: '/api/finance/change-orders', roles: ['finance'] },
        { method: 'post', path: `/api/finance/change-orders/${co}/invoices`, roles: ['finance'] },
        { method: 'get', path: `/api/finance/projects/${projectId}/reconciliation`, roles: ['finance'] },
        { method: 'post', path: `/api/finance/change-orders/${co}/invoices/INV-1/void`, roles: ['finance'] },
        {
          method: 'get',
          path: '/api/finance/clients/Harbour%20Freight%20Logistics/reconciliation',
          roles: ['finance'],
        },
        { method: 'post', path: '/api/admin/api-keys', roles: [] },
        { method: 'get', path: '/api/admin/api-keys', roles: [] },
        { method: 'delete', path: `/api/admin/api-keys/${someKey}`, roles: [] },
        { method: 'post', path: '/api/admin/projections/rebuild', roles: [] },
      ];
    });

    const send = (method: 'get' | 'post' | 'put' | 'delete', path: string, key?: string) => {
      const test = request(t.http)[method](path);
      if (key) test.set('Authorization', `Bearer ${key}`);
      return method === 'get' || method === 'delete' ? test : test.send({});
    };

    /** Each route answered with a problem of this status; the list names the ones that were not. */
    async function answers(
      key: string | undefined,
      pick: (roles: Role[]) => boolean,
      status: number,
    ): Promise<string[]> {
      const wrong: string[] = [];
      for (const route of routes.filter((r) => pick(r.roles))) {
        const response = await send(route.method, route.path, key);
        const problem = /^application\/problem\+json/.test(response.headers['content-type'] ?? '');
        if (response.status !== status || !problem)
          wrong.push(`${route.method.toUpperCase()} ${route.path}: ${response.status}`);
      }
      return wrong;
    }

    it('answers every staff route without a key, or with a malformed or unknown one, with 401', async () => {
      expect(await answers(undefined, () => true, 401)).toEqual([]);
      expect(await answers('short', () => true, 401)).toEqual([]);
      expect(await answers('sl_not_a_key_that_was_ever_issued_00000', () => true, 401)).toEqual([]);
    });

    it('answers a key without the role with 403, and appends nothing', async () => {
      const before = await streamHead(t, projectId);
      expect(await answers(await t.keyFor('finance'), (roles) => !roles.includes('finance'), 403)).toEqual([]);
      expect(await answers(await t.keyFor('pm'), (roles) => !roles.includes('pm'), 403)).toEqual([]);
      expect(await streamHead(t, projectId)).toEqual(before);
      const refused = await send('post', '/api/projects', await t.keyFor('finance'));
      expect(refused.body.detail).toBe('This needs the pm role; your key has the finance role');
    });

    it('answers every route with 401 once the key is revoked', async () => {
      const created = await t.api.post('/api/admin/api-keys', { name: 'Leaving PM', role: 'pm' }).expect(201);
      await send('get', '/api/projects', created.body.key).expect(200);
      await t.api.delete(`/api/admin/api-keys/${created.body.id}`).expect(204);
      expect(await answers(created.body.key, () => true, 401)).toEqual([]);
      const refused = await send('get', '/api/projects', created.body.key);
      expect(refused.body.detail).toBe('The API key is unknown or revoked');
      // Revoking twice, or a key that never existed, is not found.
      expectProblem(await t.api.delete(`/api/admin/api-keys/${created.body.id}`), 404);
    });

    it('stores only the SHA-256 of each key, never the key', async () => {
      const created = await t.api.post('/api/admin/api-keys', { name: 'Hashed', role: 'finance' }).expect(201);
      const { rows } = await t.database.sql.query<{ key_hash: string; row: string }>(
        `SELECT key_hash, row_to_json(api_keys)::text AS row FROM api_keys WHERE id = $1`,
        [created.body.id],
      );
      expect(rows[0].key_hash).toBe(createHash('sha256').update(created.body.key).digest('hex'));
      expect(rows[0].row).not.toContain(created.body.key);
      const everything = await t.database.sql.query<{ row: string }>(
        `SELECT row_to_json(api_keys)::text AS row FROM api_keys`,
      );
      expect(everything.rows.map((r) => r.row).join('\n')).not.toContain(ADMIN_KEY);
      // The list of keys shows names and roles only.
      const listed = (await t.api.get('/api/admin/api-keys').expect(200)).body as Record<string, unknown>[];
      expect(JSON.stringify(listed)).not.toContain(created.body.key);
      expect(Object.keys(listed[0]).sort()).toEqual([
        'createdAt',
        'id',
        'lastUsedAt',
        'name',
        'ownerUserId',
        'revokedAt',
        'role',
      ]);
    });

    it('lists when each key was made, last used and revoked in ISO 8601 UTC, as createdAt', async () => {
      const made = await t.api.post('/api/admin/api-keys', { name: 'Used then revoked', role: 'pm' }).expect(201);
      await request(t.http).get('/api/projects').set('Authorization', `Bearer ${made.body.key}`).expect(200);
      await t.api.delete(`/api/admin/api-keys/${made.body.id}`).expect(204);
      const listed = (await t.api.get('/api/admin/api-keys').expect(200)).body as Record<string, string | null>[];
      const key = listed.find((k) => k.id === made.body.id)!;
      const isoUtc = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
      expect({ createdAt: key.createdAt, lastUsedAt: key.lastUsedAt, revokedAt: key.revokedAt }).toEqual({
        createdAt: expect.stringMatching(isoUtc),
        lastUsedAt: expect.stringMatching(isoUtc),
        revokedAt: expect.stringMatching(isoUtc),
      });
      expect(Date.parse(key.revokedAt!)).toBeGreaterThanOrEqual(Date.parse(key.lastUsedAt!));
    });

    it('does not take a signing link token as a staff key', async () => {
      const { issued } = await issuedScenario(t, 'Access: token as key');
      expectProblem(await send('get', '/api/projects', issued.token), 401);
    });
  });

  describe('signing links', () => {
    const gone = async (signPath: string, documentSha256: string) => {
      const page = await request(t.http).get(signPath);
      expect(page.status).toBe(410);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expectProblem(await request(t.http).get(`${signPath}/document.pdf`), 410);
      expectProblem(await request(t.http).post(signPath).send({ name: signer.name, documentSha256 }), 410);
      expectProblem(await request(t.http).post(`${signPath}/decline`).send({ reason: 'Too late' }), 410);
      return page;
    };

    it('answers 410 on every signing route once the order is voided', async () => {
      const { projectId, order, issued } = await issuedScenario(t, 'Access: voided');
      await t.api
        .post(`/api/projects/${projectId}/change-orders/${order.id}/void`, { reason: 'Superseded' })
        .expect(200);
      const before = await streamHead(t, projectId);
      const page = await gone(issued.signPath, issued.documentSha256);
      expect(page.text).toContain('CO-1 was voided');
      expect(await streamHead(t, projectId)).toEqual(before);
    });

    it('answers 410 on every signing route once the order expired', async () => {
      const projectId = await openProject(t, 'Access: expired');
      const order = await draftOrder(t, projectId, [await assessedRequest(t, projectId, 'vpn')], { expiresInDays: 1 });
      const issued = await issueOrder(t, projectId, order.id);
      await t.server.app.get(ChangeOrderService).expireOverdue(new Date(Date.now() + 2 * 86_400_000).toISOString());
      const page = await gone(issued.signPath, issued.documentSha256);
      expect(page.text).toMatch(/expired/);
    });

    it('answers 410 as soon as the date has passed, before the expiry job has run', async () => {
      const projectId = await openProject(t, 'Access: past its date');
      const order = await draftOrder(t, projectId, [await assessedRequest(t, projectId, 'vpn')], { expiresInDays: 1 });
      const issued = await issueOrder(t, projectId, order.id);
      moveClockTo(Date.now() + 2 * 86_400_000);
      try {
        const page = await request(t.http).get(issued.signPath);
        expect(page.status).toBe(410);
        expect(page.text).toContain('This change order has expired');
        expectProblem(
          await request(t.http)
            .post(issued.signPath)
            .send({ name: signer.name, documentSha256: issued.documentSha256 }),
          410,
        );
      } finally {
        jest.useRealTimers();
      }
    });

    it('shows and acts on its own order only', async () => {
      const a = await issuedScenario(t, 'Access: order A for Harbour');
      const b = await issuedScenario(t, 'Access: order B for another client');
      const pageA = await request(t.http).get(a.issued.signPath).expect(200);
      expect(pageA.text).toContain('Access: order A for Harbour');
      expect(pageA.text).not.toContain('Access: order B');
      expect(pageA.text).toContain(a.issued.documentSha256);
      expect(pageA.text).not.toContain(b.issued.documentSha256);
      const pdfA = await request(t.http).get(`${a.issued.signPath}/document.pdf`).expect(200);
      expect(pdfA.headers['x-document-sha256']).toBe(a.issued.documentSha256);

      // B's document hash on A's link signs nothing, in either project.
      const headB = await streamHead(t, b.projectId);
      await readAndConsent(t.http, a.issued.signPath);
      expectProblem(
        await request(t.http)
          .post(a.issued.signPath)
          .send({ name: signer.name, documentSha256: b.issued.documentSha256 }),
        409,
      );
      expect(await streamHead(t, b.projectId)).toEqual(headB);

      // Signing through A changes A only.
      await request(t.http)
        .post(a.issued.signPath)
        .send({ name: signer.name, documentSha256: a.issued.documentSha256 })
        .expect(200);
      expect(
        (await t.api.get(`/api/projects/${b.projectId}/change-orders/${b.order.id}`).expect(200)).body.status,
      ).toBe('issued');
      expect(await streamHead(t, b.projectId)).toEqual(headB);

      // A link with one character changed is not found.
      const altered = a.issued.token.slice(0, -1) + (a.issued.token.endsWith('A') ? 'B' : 'A');
      expect((await request(t.http).get(`/sign/${altered}`)).status).toBe(404);
    });

    it('answers security headers on the API, the signing page and its document', async () => {
      const { issued } = await issuedScenario(t, 'Access: headers');
      const api = await t.api.get('/api/projects').expect(200);
      const page = await request(t.http).get(issued.signPath).expect(200);
      const pdf = await request(t.http).get(`${issued.signPath}/document.pdf`).expect(200);
      for (const response of [api, page, pdf]) {
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['referrer-policy']).toBe('no-referrer');
        expect(response.headers['x-powered-by']).toBeUndefined();
      }
      const policy = (response: request.Response) =>
        (response.headers['content-security-policy'] as string).split(';').map((d) => d.trim());
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'self'",
        "img-src 'self' data:",
        "frame-ancestors 'none'",
      ]) {
        expect(policy(page)).toContain(directive);
        expect(policy(api)).toContain(directive);
      }
      // The page embeds its PDF: only this server's pages may frame it.
      expect(policy(pdf)).toContain("frame-ancestors 'self'");
      expect(policy(pdf)).not.toContain("frame-ancestors 'none'");
    });
  });

  describe('signing link rate limit', () => {
    let limited: RunningServer;
    beforeAll(async () => {
      limited = await secondServer(t, { signRateLimit: 5 });
    });
    afterAll(async () => {
      await limited.close();
    });

    it('answers 429 with Retry-After once an address has used its requests for the minute', async () => {
      const http = limited.app.getHttpServer();
      const token = 'A'.repeat(43);
      for (let i = 0; i < 5; i++) expect((await request(http).get(`/sign/${token}`)).status).toBe(404);
      const refused = await request(http)
        .post(`/sign/${token}`)
        .send({ name: 'Guess', documentSha256: '0'.repeat(64) });
      expectProblem(refused, 429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
      // Staff routes and the page assets are not counted.
      await request(http).get('/api/projects').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(200);
      await request(http).get('/assets/sign.js').expect(200);
    });
  });

  it('never writes a signing token to the log, even when signing fails on our side', async () => {
    const written: string[] = [];
    const capture = (chunk: unknown) => written.push(String(chunk)) > 0;
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    const { projectId, issued } = await issuedScenario(t, 'Access: logs');
    // The other server reads the signing link from the read models: let them catch up first.
    await t.api.get(`/api/projects/${projectId}`).expect(200);
    // A second server on the same database, logging as in production.
    const logged = await secondServer(t, {}, {});
    try {
      const server = logged.app.getHttpServer();
      await request(server).get(issued.signPath).expect(200);
      await request(server).post(issued.signPath).send({ name: '', documentSha256: 'x' }).expect(400);
      // The stored document disappears: the download fails with a 500, which is logged.
      await t.database.sql.query(`DELETE FROM documents WHERE sha256 = $1`, [issued.documentSha256]);
      expect((await request(server).get(`${issued.signPath}/document.pdf`)).status).toBe(500);
      const output = written.join('');
      expect(output).toMatch(/ERROR/);
      expect(output).not.toContain(issued.token);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      await logged.close();
    }
  });
});
