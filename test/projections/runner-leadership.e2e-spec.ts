import { randomUUID } from 'node:crypto';
import { PgSqlClient, PostgresEventStore } from '@scope-ledger/event-store';
import { EventProcessor } from '@scope-ledger/projections';
import { createTestDatabase, postgresUrl, testDatabaseKind } from '../support/test-database';
import { newEvent, waitFor } from '../event-store/event-store.contract';

const onPostgres = testDatabaseKind === 'postgres';

(onPostgres ? describe : describe.skip)(
  onPostgres
    ? 'event processors on several servers (PostgreSQL)'
    : 'event processors on several servers: skipped on the embedded database, runs in npm run test:postgres',
  () => {
    it('runs one active processor, lets followers read their writes, and takes over when it stops', async () => {
      const database = await createTestDatabase();
      const otherSql = await database.connectAgain();
      const storeA = await PostgresEventStore.create(database.sql, { pollIntervalMs: 20 });
      const storeB = await PostgresEventStore.create(otherSql, { pollIntervalMs: 20 });
      const a = await EventProcessor.create(storeA, database.sql);
      const b = await EventProcessor.create(storeB, otherSql);
      try {
        await a.start();
        await b.start();
        expect([a.isActive, b.isActive]).toEqual([true, false]);

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
              openedAt: '2026-03-02T08:00:00.000Z',
            }),
          ],
          'no_stream',
        );
        // B does not project, but learns from the shared checkpoint that A has.
        await b.waitFor(opened.position, 5_000);

        await a.stop();
        await waitFor(() => b.isActive, 8_000);
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
              loggedAt: '2026-03-03T09:00:00.000Z',
            }),
          ],
          0n,
        );
        await b.waitFor(renamed.position, 5_000);
        const { rows } = await database.sql.query<{ revision: string }>(
          `SELECT revision::text FROM projects WHERE project_id = $1`,
          [projectId],
        );
        expect(rows[0].revision).toBe('1');
      } finally {
        await a.stop();
        await b.stop();
        await storeA.close();
        await storeB.close();
        await database.drop();
      }
    });

    it('takes the lock back by itself when the database ends the session that held it, and projects on', async () => {
      const database = await createTestDatabase();
      const store = await PostgresEventStore.create(database.sql, { pollIntervalMs: 20 });
      const processor = await EventProcessor.create(store, database.sql);
      const append = (event: ReturnType<typeof newEvent>) =>
        store.append(`project-${randomUUID()}`, [event], 'no_stream');
      const opened = (name: string) =>
        newEvent('ProjectOpened', {
          projectId: randomUUID(),
          name,
          client: { name: 'C', email: 'c@c.example' },
          currency: 'USD',
          rates: { engineer: 100 },
          startDate: '2026-03-02',
          holidays: [],
          openedAt: '2026-03-02T08:00:00.000Z',
        });
      try {
        await processor.start();
        await processor.waitFor((await append(opened('Before'))).position, 5_000);
        // What a database restart or a failover does to the session holding the lock.
        const { rows } = await database.sql.query<{ ended: boolean }>(
          `SELECT pg_terminate_backend(pid) AS ended FROM pg_locks
           WHERE locktype = 'advisory' AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = hashtext($1)`,
          [`scope-ledger:projections:${database.schema}:projects`],
        );
        expect(rows).toEqual([{ ended: true }]);
        await waitFor(() => !processor.isActive, 5_000);
        await waitFor(() => processor.isActive, 8_000);
        await processor.waitFor((await append(opened('After'))).position, 5_000);
        const names = await database.sql.query<{ name: string }>(
          `SELECT doc ->> 'name' AS name FROM projects ORDER BY seq`,
        );
        expect(names.rows.map((r) => r.name)).toEqual(['Before', 'After']);
      } finally {
        await processor.stop();
        await store.close();
        await database.drop();
      }
    });

    it('frees the lock on release, again and again, for the next holder', async () => {
      const database = await createTestDatabase();
      const first = new PgSqlClient({ connectionString: postgresUrl, schema: database.schema, max: 1 });
      const second = new PgSqlClient({ connectionString: postgresUrl, schema: database.schema, max: 1 });
      try {
        for (let i = 0; i < 15; i++) {
          const held = await first.tryLeadership('scope-ledger:test:leadership-cycles');
          expect(held).toBeDefined();
          expect(await second.tryLeadership('scope-ledger:test:leadership-cycles')).toBeUndefined();
          await held!.release();
          const next = await second.tryLeadership('scope-ledger:test:leadership-cycles');
          expect(next).toBeDefined();
          await next!.release();
        }
      } finally {
        await first.close();
        await second.close();
        await database.drop();
      }
    });
  },
);
