import { PostgresEventStore } from '@scope-ledger/event-store';
import { createTestDatabase, testDatabaseKind } from '../support/test-database';
import { describeEventStoreContract } from './event-store.contract';

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
