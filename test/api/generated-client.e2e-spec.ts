import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import createClient from 'openapi-fetch';
import request from 'supertest';
import type { paths } from '../support/api-schema';
import { ADMIN_KEY, startTestServer, TestServer } from '../support/test-server';

const GENERATED_TYPES = join(__dirname, '../support/api-schema.d.ts');
const GENERATOR = join(__dirname, '../../node_modules/openapi-typescript/bin/cli.js');
const run = promisify(execFile);

/** A client generated from the OpenAPI document (openapi-typescript types, openapi-fetch calls) runs a real flow. */
describe('a client generated from the OpenAPI document', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ listen: true });
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  // After changing a route, `npm run openapi:types` writes the types again.
  it('is generated from the document the server serves', async () => {
    const served = (await request(t.http).get('/api/docs-json').expect(200)).body;
    const folder = mkdtempSync(join(tmpdir(), 'scope-ledger-types-'));
    try {
      writeFileSync(join(folder, 'openapi.json'), JSON.stringify(served));
      // The generator's own command, as the npm script runs it.
      await run(process.execPath, [GENERATOR, 'openapi.json', '--output', 'api-schema.d.ts'], { cwd: folder });
      const generated = readFileSync(join(folder, 'api-schema.d.ts'), 'utf8');
      expect(generated === readFileSync(GENERATED_TYPES, 'utf8')).toBe(true);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 90_000);

  it('opens a project, sets its baseline, logs a request and reads the summary, all typed', async () => {
    const api = createClient<paths>({ baseUrl: t.baseUrl, headers: { Authorization: `Bearer ${ADMIN_KEY}` } });

    const opened = await api.POST('/api/projects', {
      body: {
        name: 'Contoso M365 migration',
        client: { name: 'Dana Whitfield', email: 'dana@contoso.example' },
        currency: 'USD',
        rates: { engineer: 15000 },
        startDate: '2026-03-02',
      },
    });
    expect(opened.response.status).toBe(201);
    const projectId = opened.data!.id;
    expect(opened.response.headers.get('location')).toBe(`/api/projects/${projectId}`);

    const baseline = await api.POST('/api/projects/{id}/baseline', {
      params: { path: { id: projectId } },
      body: {
        items: [{ ref: 'MIG-1', title: 'Migrate mailboxes', role: 'engineer', hours: 10 }],
        milestones: [{ ref: 'M1', name: 'Pilot complete', due: '2026-03-20' }],
      },
    });
    expect(baseline.response.status).toBe(201);
    expect(baseline.data!.events).toEqual(['BaselineEstablished', 'BoardCardAdded']);

    const logged = await api.POST('/api/projects/{id}/change-requests', {
      params: { path: { id: projectId }, header: { 'Idempotency-Key': 'log-shared-mailboxes' } },
      body: {
        title: 'Add shared mailboxes',
        description: 'Three shared mailboxes for the service desk',
        source: 'email',
        requestedBy: { name: 'Dana Whitfield', email: 'dana@contoso.example' },
      },
    });
    expect(logged.response.status).toBe(201);
    expect(logged.data!.number).toBe('CR-1');

    // Read your own write: wait for the read models to hold the request just logged.
    const summary = await api.GET('/api/projects/{id}', {
      params: { path: { id: projectId }, header: { 'X-Min-Position': logged.data!.position! } },
    });
    expect(summary.response.status).toBe(200);
    const project = summary.data!;
    // 10 hours at 150.00 an hour: 1,500.00, in cents.
    expect(project.baseline.total).toBe(150_000);
    expect(project.baseline.hours).toBe(10);
    expect(project.baseline.end).toBe('2026-03-20');
    expect(project.changeRequests).toEqual({ count: 1, byStatus: { logged: 1 } });
    expect(summary.response.headers.get('etag')).toBe(`"${logged.data!.revision}"`);
  });

  it('reads refusals as problem documents', async () => {
    const api = createClient<paths>({ baseUrl: t.baseUrl, headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
    const missing = await api.GET('/api/projects/{id}', {
      params: { path: { id: '00000000-0000-4000-8000-000000000000' } },
    });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ status: 404, title: 'Not found' });
  });
});
