import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgSqlClient, quoteIdentifier } from '@scope-ledger/event-store';
import { changeRequest, smallBaseline, smallProject } from '../api/api-helpers';
import { buildServer, ServerProcess } from '../reliability/server-process';
import { postgresUrl, testDatabaseKind } from '../support/test-database';

const onPostgres = testDatabaseKind === 'postgres' ? describe : describe.skip;
if (testDatabaseKind !== 'postgres') {
  console.info('two-servers.e2e-spec: skipped on the embedded database; two processes share only PostgreSQL');
}

/**
 * Two server processes on one PostgreSQL, the way a user scales out: commands sent to both at
 * once all succeed, requests get gapless numbers, and a read on either server sees a write
 * made on the other.
 */
onPostgres('two server processes on one PostgreSQL', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const databaseUrl = `${postgresUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  let build: ReturnType<typeof buildServer>;
  const folders: string[] = [];
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    const admin = new PgSqlClient({ connectionString: postgresUrl });
    await admin.exec(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
    await admin.close();
    build = buildServer();
    for (let i = 0; i < 2; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'scope-ledger-two-'));
      folders.push(dataDir);
      // One after the other: the first creates the tables.
      servers.push(await ServerProcess.start(build.main, dataDir, { DATABASE_URL: databaseUrl }));
    }
  }, 120_000);

  afterAll(async () => {
    for (const server of servers) await server.stop();
    build?.remove();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    const admin = new PgSqlClient({ connectionString: postgresUrl });
    await admin.exec(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await admin.close();
  });

  it('takes 200 commands sent at once to both, numbers them gaplessly, each reading the other’s writes', async () => {
    const [a, b] = servers;
    const opened = await a.api('POST', '/api/projects', smallProject('Two servers'));
    expect(opened.status).toBe(201);
    const projectId = opened.body.id as string;
    expect((await b.api('POST', `/api/projects/${projectId}/baseline`, smallBaseline)).status).toBe(201);

    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (i % 2 === 0 ? a : b).api('POST', `/api/projects/${projectId}/change-requests`, changeRequest(`Request ${i}`)),
      ),
    );
    expect(answers.filter((r) => r.status !== 201).map((r) => [r.status, r.body])).toEqual([]);
    const numbers = answers.map((r) => Number(String(r.body.number).slice('CR-'.length))).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));

    // A request logged on one server is read on the other straight after.
    const onA = await a.api('POST', `/api/projects/${projectId}/change-requests`, changeRequest('Logged on A'));
    const readOnB = await b.api('GET', `/api/projects/${projectId}/change-requests/${onA.body.id}`);
    expect(readOnB).toMatchObject({ status: 200, body: { number: 'CR-201', title: 'Logged on A' } });
    const onB = await b.api('POST', `/api/projects/${projectId}/change-requests`, changeRequest('Logged on B'));
    const readOnA = await a.api('GET', `/api/projects/${projectId}/change-requests/${onB.body.id}`);
    expect(readOnA).toMatchObject({ status: 200, body: { number: 'CR-202', title: 'Logged on B' } });

    for (const server of servers) {
      const listed = await server.api('GET', `/api/projects/${projectId}/change-requests`);
      expect(listed.body.map((r: { number: string }) => r.number)).toEqual(
        Array.from({ length: 202 }, (_, i) => `CR-${i + 1}`),
      );
      expect((await server.api('GET', `/api/projects/${projectId}/audit/verify`)).body.valid).toBe(true);
    }
  }, 120_000);
});
