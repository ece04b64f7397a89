import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgSqlClient, quoteIdentifier } from '@scope-ledger/event-store';
import { changeRequest, sleep, smallBaseline, smallProject } from '../api/api-helpers';
import { buildServer, ServerProcess } from '../reliability/server-process';
import { postgresUrl } from '../support/test-database';
import { ADMIN_KEY } from '../support/test-server';

/** The local PostgreSQL cluster, stopped and started as an operator (or a failover) does. */
const clusterArgs = () => ['--skip-systemctl-redirect', readdirSync('/etc/postgresql')[0], 'main'];

function cluster(action: 'stop' | 'start'): void {
  execFileSync('pg_ctlcluster', [...clusterArgs(), action, ...(action === 'stop' ? ['-m', 'fast'] : [])], {
    stdio: 'pipe',
  });
}

function clusterRunning(): boolean {
  return spawnSync('pg_ctlcluster', [...clusterArgs(), 'status']).status === 0;
}

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`Not true within ${ms} ms`);
    await sleep(100);
  }
}

/**
 * PostgreSQL restarted under load, as a failover or routine maintenance does: the server keeps
 * running, answers 503 with Retry-After while the database is away (and /health says so), and
 * afterwards resumes by itself with every acknowledged command kept.
 */
describe('the database restarting under load', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const databaseUrl = `${postgresUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  let build: ReturnType<typeof buildServer>;
  let dataDir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    const admin = new PgSqlClient({ connectionString: postgresUrl });
    await admin.exec(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
    await admin.close();
    build = buildServer();
    dataDir = mkdtempSync(join(tmpdir(), 'scope-ledger-restart-'));
    server = await ServerProcess.start(build.main, dataDir, { DATABASE_URL: databaseUrl });
  }, 120_000);

  afterAll(async () => {
    if (!clusterRunning()) cluster('start');
    await server?.stop();
    build?.remove();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    const admin = new PgSqlClient({ connectionString: postgresUrl });
    await admin.exec(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await admin.close();
  });

  it('answers 503 while it is away, loses nothing acknowledged and resumes by itself', async () => {
    const opened = await server.api('POST', '/api/projects', smallProject('Restart under load'));
    const projectId = opened.body.id as string;
    await server.api('POST', `/api/projects/${projectId}/baseline`, smallBaseline);

    const acknowledged: string[] = [];
    const statuses = new Set<number>();
    let retryAfter: string | null = null;
    let sending = true;
    const senders = Array.from({ length: 4 }, async (_, lane) => {
      for (let i = 0; sending; i++) {
        const response = await fetch(`${server.url}/api/projects/${projectId}/change-requests`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(changeRequest(`Lane ${lane} request ${i}`)),
        }).catch(() => undefined);
        if (!response) continue;
        statuses.add(response.status);
        if (response.status === 201) acknowledged.push(((await response.json()) as { id: string }).id);
        else if (response.status === 503) retryAfter = response.headers.get('retry-after');
        else await response.text();
        if (response.status === 503) await sleep(50);
      }
    });

    await sleep(1_000);
    cluster('stop');
    await sleep(1_500);
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { status: string }).status).toBe('degraded');
    await sleep(1_500);
    cluster('start');
    await waitFor(async () => (await fetch(`${server.url}/health`)).ok, 60_000);
    await sleep(1_000);
    sending = false;
    await Promise.all(senders);

    expect([...statuses].filter((s) => s !== 201 && s !== 503)).toEqual([]);
    expect(statuses.has(503)).toBe(true);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // The process lived through it, and everything acknowledged is there once the read models caught up.
    const after = await server.api('POST', `/api/projects/${projectId}/change-requests`, changeRequest('After'));
    expect(after.status).toBe(201);
    const listed = await server.api('GET', `/api/projects/${projectId}/change-requests`);
    const ids = new Set((listed.body as { id: string }[]).map((r) => r.id));
    expect(acknowledged.filter((id) => !ids.has(id))).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect((await server.api('GET', `/api/projects/${projectId}/audit/verify`)).body.valid).toBe(true);
  }, 180_000);
});
