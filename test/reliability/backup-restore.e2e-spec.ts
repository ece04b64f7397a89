import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { PgSqlClient, quoteIdentifier } from '@scope-ledger/event-store';
import { configFromEnv } from '../../apps/server/src/config';
import { createServer } from '../../apps/server/src/server';
import { changeRequest, smallBaseline, smallProject } from '../api/api-helpers';
import { postgresUrl, testDatabaseKind } from '../support/test-database';
import { ADMIN_KEY, startTestServer } from '../support/test-server';
import { buildServer, ServerProcess } from './server-process';
import { binary } from '../support/binary-body';

/** A JSON view's body, or for a PDF the SHA-256 of its bytes. */
type Get = (path: string) => Promise<unknown>;
type Post = (path: string, body?: unknown) => Promise<{ status: number; body: any }>;

/** A small but complete history: requests, an order signed and invoiced, another awaiting signature. */
async function history(
  post: Post,
  open: (path: string) => Promise<unknown>,
): Promise<{ projectId: string; signedOrderId: string; openSignPath: string }> {
  const ok = async (path: string, body?: unknown) => {
    const answer = await post(path, body);
    if (answer.status >= 300) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const projectId = (await ok('/api/projects', smallProject('Backed-up project'))).id as string;
  await ok(`/api/projects/${projectId}/baseline`, smallBaseline);
  const orders: { id: string; signPath: string; documentSha256: string }[] = [];
  for (const [title, ref] of [
    ['Guest VLAN', 'VLAN-1'],
    ['Printer VLAN', 'VLAN-2'],
  ]) {
    const crId = (await ok(`/api/projects/${projectId}/change-requests`, changeRequest(title))).id;
    await ok(`/api/projects/${projectId}/change-requests/${crId}/assessment`, {
      lines: [{ op: 'add', ref, title, role: 'engineer', hours: 2.5 }],
    });
    const orderId = (
      await ok(`/api/projects/${projectId}/change-orders`, {
        changeRequestIds: [crId],
        signer: { name: 'Morgan Ellery', email: 'morgan@client.example' },
      })
    ).id;
    const issued = await ok(`/api/projects/${projectId}/change-orders/${orderId}/issue`);
    orders.push({ id: orderId, signPath: new URL(issued.signingUrl).pathname, documentSha256: issued.documentSha256 });
  }
  // The client opens the link and consents before signing.
  await open(orders[0].signPath);
  await ok(`${orders[0].signPath}/consent`, {});
  await ok(orders[0].signPath, { name: 'Morgan Ellery', documentSha256: orders[0].documentSha256 });
  await ok(`/api/finance/change-orders/${orders[0].id}/invoices`, { invoiceNumber: 'INV-1', amount: 10000 });
  await ok(`/api/projects/${projectId}/change-requests`, changeRequest('Logged, not yet assessed'));
  return { projectId, signedOrderId: orders[0].id, openSignPath: orders[1].signPath };
}

/** What staff and finance read: compared before the backup and after the restore. */
async function views(get: Get, projectId: string, signedOrderId: string): Promise<Record<string, unknown>> {
  const p = `/api/projects/${projectId}`;
  const paths = [
    ...[
      '',
      '/scope',
      '/budget',
      '/timeline',
      '/board',
      '/change-requests',
      '/change-orders',
      '/events',
      '/audit/verify',
    ].map((v) => `${p}${v}`),
    '/api/projects',
    '/api/portfolio',
    '/api/finance/change-orders',
    `/api/finance/projects/${projectId}/reconciliation`,
  ];
  const seen: Record<string, unknown> = {};
  for (const path of paths) seen[path] = await get(path);
  seen.signedPdfSha256 = await get(`${p}/change-orders/${signedOrderId}/pdf`);
  return seen;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const onEmbeddedFolder = testDatabaseKind === 'pglite' ? describe : describe.skip;
const onPostgres = testDatabaseKind === 'postgres' ? describe : describe.skip;
if (testDatabaseKind !== 'postgres')
  console.info('backup-restore.e2e-spec: pg_dump / pg_restore runs with TEST_DATABASE=postgres only');
if (testDatabaseKind !== 'pglite')
  console.info('backup-restore.e2e-spec: the data-folder copy runs on the embedded default only');

describe('backup and restore', () => {
  onEmbeddedFolder('of the embedded data folder (docs/backups.md)', () => {
    let build: ReturnType<typeof buildServer>;
    let workDir: string;
    const running: ServerProcess[] = [];

    beforeAll(() => {
      build = buildServer();
      workDir = mkdtempSync(join(tmpdir(), 'scope-ledger-backup-'));
    }, 60_000);
    afterAll(async () => {
      for (const server of running) {
        server.kill('SIGKILL');
        await server.exited;
      }
      build?.remove();
      if (workDir) rmSync(workDir, { recursive: true, force: true });
    });

    it('copies the folder of a stopped server; a server started on the copy shows the same', async () => {
      const live = join(workDir, 'data');
      const original = await ServerProcess.start(build.main, live);
      running.push(original);
      const post: Post = (path, body) => original.api('POST', path, body ?? {});
      const { projectId, signedOrderId, openSignPath } = await history(post, (path) => fetch(`${original.url}${path}`));
      const getFrom =
        (server: ServerProcess): Get =>
        async (path) => {
          const answer = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
          expect([path, answer.status]).toEqual([path, 200]);
          return path.endsWith('/pdf') ? sha256(new Uint8Array(await answer.arrayBuffer())) : answer.json();
        };
      const before = await views(getFrom(original), projectId, signedOrderId);

      // 1. Stop the server (SIGTERM, as systemd or docker stop do) and wait for it to exit.
      expect(await original.stop()).toBe(0);
      expect(existsSync(join(live, '.scope-ledger.lock'))).toBe(false);
      // 2. Copy the whole folder. 3. Restore: put the copy where DATA_DIR points, start.
      const backup = join(workDir, 'backup');
      cpSync(live, backup, { recursive: true });
      const restoredDir = join(workDir, 'restored');
      cpSync(backup, restoredDir, { recursive: true });
      const restored = await ServerProcess.start(build.main, restoredDir);
      running.push(restored);

      expect(await views(getFrom(restored), projectId, signedOrderId)).toEqual(before);
      // The signing secret and the seal travelled with the folder: open links still work.
      const page = await fetch(`${restored.url}${openSignPath}`);
      expect(page.status).toBe(200);
      expect((await restored.api('GET', `/api/projects/${projectId}/audit/verify`)).body.valid).toBe(true);
      expect(await restored.stop()).toBe(0);
    }, 180_000);
  });

  onPostgres('of PostgreSQL with pg_dump and pg_restore (docs/backups.md)', () => {
    it('dumps the schema, restores it into another database, and a server on it shows the same', async () => {
      const t = await startTestServer();
      const restoreDb = `scope_ledger_restore_${t.database.schema}`;
      const dump = join(mkdtempSync(join(tmpdir(), 'scope-ledger-pgdump-')), 'scope-ledger.dump');
      const admin = new PgSqlClient({ connectionString: postgresUrl });
      const restoreUrl = withDatabase(postgresUrl, restoreDb);
      try {
        const post: Post = async (path, body) => {
          const answer = await t.api.post(path, body ?? {});
          return { status: answer.status, body: answer.body };
        };
        const { projectId, signedOrderId, openSignPath } = await history(post, (path) => request(t.http).get(path));
        const getWith =
          (http: Parameters<typeof request>[0]): Get =>
          async (path) => {
            const pdf = path.endsWith('/pdf');
            const test = request(http).get(path).set('Authorization', `Bearer ${ADMIN_KEY}`);
            const answer = await (pdf ? test.buffer(true).parse(binary as never) : test);
            expect([path, answer.status]).toEqual([path, 200]);
            return pdf ? sha256(answer.body as Buffer) : answer.body;
          };
        const before = await views(getWith(t.http), projectId, signedOrderId);

        // A consistent snapshot, taken while the server runs.
        execFileSync('pg_dump', ['--format=custom', `--schema=${t.database.schema}`, `--file=${dump}`, postgresUrl], {
          stdio: 'pipe',
        });
        await admin.exec(`CREATE DATABASE ${quoteIdentifier(restoreDb)}`);
        execFileSync('pg_restore', ['--no-owner', `--dbname=${restoreUrl}`, dump], { stdio: 'pipe' });

        // The restored server keeps the original's DATA_DIR settings: its seal certificate lives there.
        const restoredSql = new PgSqlClient({ connectionString: restoreUrl, schema: t.database.schema });
        const config = {
          ...configFromEnv({}),
          port: 0,
          host: '127.0.0.1',
          adminApiKey: ADMIN_KEY,
          dataDir: `/tmp/scope-ledger-test-${t.database.schema}`,
        };
        const restored = await createServer(config, { sql: restoredSql, logger: false });
        try {
          await restored.app.init();
          const http = restored.app.getHttpServer();
          expect(await views(getWith(http), projectId, signedOrderId)).toEqual(before);
          await request(http).get(openSignPath).expect(200);
        } finally {
          await restored.close();
          await restoredSql.close();
        }
      } finally {
        await t.close();
        await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdentifier(restoreDb)} WITH (FORCE)`);
        await admin.close();
        rmSync(dump, { force: true });
      }
    }, 120_000);
  });
});

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
