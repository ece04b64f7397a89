import { PostgresEventStore, START } from '@scope-ledger/event-store';
import { countingStatements } from '../support/counting-sql';
import { createTestDatabase, testDatabaseKind } from '../support/test-database';
import { describeEventStoreContract, newEvent } from './event-store.contract';

describeEventStoreContract(testDatabaseKind === 'postgres' ? 'PostgreSQL server' : 'PGlite (embedded)', async () => {
  const database = await createTestDatabase();
  const store = await PostgresEventStore.create(database.sql, { pollIntervalMs: 20 });
  const otherSql = await database.connectAgain();
  const otherWriter = await PostgresEventStore.create(otherSql, { pollIntervalMs: 20 });
  return {
    store,
    otherWriter,
    cleanup: async () => {
      await store.close();
      await otherWriter.close();
      await database.drop();
    },
  };
});

describe('PostgreSQL dialect: simultaneous appends', () => {
  it('writes appends to different streams that wait for one another in shared statements', async () => {
    const database = await createTestDatabase();
    const inserts = countingStatements(database.sql, (text) => text.startsWith('INSERT INTO events'));
    const store = await PostgresEventStore.create(inserts.sql);
    try {
      const streams = Array.from({ length: 40 }, (_, i) => `grouped-${i}`);
      const results = await Promise.all(streams.map((streamId) => store.append(streamId, [newEvent('Opened')], 'no_stream')));
      expect(results.map((r) => r.nextExpectedRevision)).toEqual(streams.map(() => 0n));
      // At most two statements are in flight; the rest wait and go out together.
      expect(inserts.count()).toBeLessThanOrEqual(4);
      const positions = results.map((r) => r.position);
      const read = await store.readAll({ after: START, streamPrefix: 'grouped-', limit: 100 });
      expect(read.map((e) => e.streamId).sort()).toEqual([...streams].sort());
      for (const event of read) expect(positions).toContainEqual(event.position);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
