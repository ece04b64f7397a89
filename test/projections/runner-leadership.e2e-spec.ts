import { randomUUID } from 'node:crypto';
import { PgSqlClient, PostgresEventStore } from '@scope-ledger/event-store';
import { ProjectionRunner } from '@scope-ledger/projections';
import { createTestDatabase, postgresUrl, testDatabaseKind } from '../support/test-database';
import { newEvent, waitFor } from '../event-store/event-store.contract';

const onPostgres = testDatabaseKind === 'postgres';

(onPostgres ? describe : describe.skip)(
  onPostgres
    ? 'projection runners on several servers (PostgreSQL)'
    : 'projection runners on several servers: skipped on the embedded database, runs in npm run test:postgres',
  () => {
    it(
      'runs exactly one active runner, lets followers read their writes, ' + 'and takes over when the leader stops',
      async () => {
        const database = await createTestDatabase();
        const otherSql = await database.connectAgain();
        const storeA = await PostgresEventStore.create(database.sql, { pollIntervalMs: 20 });
        const storeB = await PostgresEventStore.create(otherSql, { pollIntervalMs: 20 });
        const a = new ProjectionRunner(storeA, database.sql);
        const b = new ProjectionRunner(storeB, otherSql);
        try {
          await a.start();
          await b.start();
          expect([a.isLeader, b.isLeader]).toEqual([true, false]);

          const projectId = randomUUID();
          const opened = await storeB.append(
            `project-${projectId}`,
            [
              newEvent('ProjectOpened', {
                projectId,
                name: 'Takeover',
                client: { name: 'C', email: 'c@c.example' },
                currency: 'USD',
                rates: { engineer: 100 },
                startDate: '2026-03-02',
                holidays: [],
              }),
            ],
            'no_stream',
          );
          // B does not project, but learns from the shared checkpoint that A has.
          await b.waitFor(opened.position, 5_000);

          await a.stop();
          await waitFor(() => b.isLeader, 8_000);
          const renamed = await storeB.append(
            `project-${projectId}`,
            [
              newEvent('ChangeRequestLogged', {
                changeRequestId: randomUUID(),
                number: 1,
                title: 'After takeover',
                description: '',
                source: 'email',
                requestedBy: { name: 'R', email: 'r@c.example' },
                receivedAt: '2026-03-03T09:00:00.000Z',
              }),
            ],
            0n,
          );
          await b.waitFor(renamed.position, 5_000);
          const { rows } = await database.sql.query<{ event_count: number }>(
            `SELECT event_count FROM project_states WHERE project_id = $1`,
            [projectId],
          );
          expect(rows[0].event_count).toBe(2);
        } finally {
          await a.stop();
          await b.stop();
          await storeA.close();
          await storeB.close();
          await database.drop();
        }
      },
    );

    it('gives the connection back clean when leadership is released', async () => {
      const database = await createTestDatabase();
      // One connection, so every leadership is held on the same pooled client.
      const sql = new PgSqlClient({ connectionString: postgresUrl, schema: database.schema, max: 1 });
      try {
        const reportedLost: number[] = [];
        for (let i = 0; i < 15; i++) {
          const leadership = await sql.tryLeadership('scope-ledger:test:leadership-cycles');
          expect(leadership).toBeDefined();
          void leadership!.lost.then(() => reportedLost.push(i));
          await leadership!.release();
        }
        // The pooled connection closes long after those leaderships were given up: none of them was lost.
        await sql.close();
        // Closing ends the connection a moment later; give a stale listener time to fire.
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(reportedLost).toEqual([]);
      } finally {
        await database.drop();
      }
    });
  },
);
