import { randomUUID } from 'node:crypto';
import { ExpectedRevision, PostgresEventStore, SqlClient, SqlQueryable, START } from '@scope-ledger/event-store';
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

/** The same client, recording the text of every statement that writes events. */
function recordingEventInserts(sql: SqlClient): { sql: SqlClient; statements: string[] } {
  const statements: string[] = [];
  const record =
    (queryable: SqlQueryable): SqlQueryable['query'] =>
    (text, params) => {
      if (/INSERT INTO events/.test(text)) statements.push(text);
      return queryable.query(text, params);
    };
  const recording: SqlClient = Object.create(sql);
  recording.query = record(sql);
  recording.transaction = (fn) => sql.transaction((tx) => fn({ query: record(tx) }));
  return { sql: recording, statements };
}

describe('PostgreSQL dialect: appending', () => {
  it('writes an append of any size and any expected revision with one statement of one shape', async () => {
    const database = await createTestDatabase();
    const inserts = recordingEventInserts(database.sql);
    const store = await PostgresEventStore.create(inserts.sql);
    try {
      const sizes = [1, 3, 600];
      for (const size of sizes) {
        const stream = `shape-${size}`;
        const events = () => Array.from({ length: size }, () => newEvent('Noted'));
        const expectations: ExpectedRevision[] = ['no_stream', BigInt(size - 1), 'any'];
        for (const expected of expectations) await store.append(stream, events(), expected);
        await expect(store.append(stream, events(), 0n)).rejects.toThrow(/expected revision 0/);
      }
      // One statement per append, the refused ones included, and the same statement every time.
      expect(inserts.statements).toHaveLength(sizes.length * 4);
      expect(new Set(inserts.statements).size).toBe(1);
      const written = await store.readAll({ after: START, streamPrefix: 'shape-', limit: 10_000 });
      expect(written).toHaveLength(3 * (1 + 3 + 600));
    } finally {
      await store.close();
      await database.drop();
    }
  });
});

const onServer = testDatabaseKind === 'postgres' ? describe : describe.skip;

onServer('PostgreSQL dialect: connections the server ends', () => {
  /** The backend holding the advisory lock tryLeadership takes for this name. */
  async function lockHolder(sql: SqlClient, name: string): Promise<number> {
    const { rows } = await sql.query<{ pid: number }>(
      `SELECT pid FROM pg_locks
       WHERE locktype = 'advisory' AND granted AND objsubid = 1
         AND ((classid::bigint << 32) | objid::bigint) = hashtext($1)::bigint`,
      [name],
    );
    expect(rows).toHaveLength(1);
    return rows[0].pid;
  }

  it(
    "settles a leadership's `lost` when the server terminates its connection, and the process goes on: " +
      'the lock can be taken again',
    async () => {
      const database = await createTestDatabase();
      const other = await database.connectAgain();
      const name = `leadership-${randomUUID()}`;
      try {
        const leadership = await database.sql.tryLeadership(name);
        expect(leadership).toBeDefined();
        expect(await other.tryLeadership(name)).toBeUndefined();

        await other.query('SELECT pg_terminate_backend($1)', [await lockHolder(database.sql, name)]);
        await withTimeout(leadership!.lost, 5_000);
        // The connection reports the termination, then its end: two 'error' events, either of which
        // would end the process (and fails this test) if nobody listened.
        await new Promise((resolve) => setTimeout(resolve, 200));
        await leadership!.release();
        await leadership!.release();

        const again = await other.tryLeadership(name);
        expect(again).toBeDefined();
        expect(await database.sql.tryLeadership(name)).toBeUndefined();
        await again!.release();
        const third = await database.sql.tryLeadership(name);
        expect(third).toBeDefined();
        await third!.release();
      } finally {
        await database.drop();
      }
    },
  );

  it('fails a transaction whose connection the server terminates, and goes on with a fresh one', async () => {
    const database = await createTestDatabase();
    const other = await database.connectAgain();
    try {
      const transaction = database.sql.transaction(async (tx) => {
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await other.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
        // Idle in the transaction while the server ends it: the 'error' events come with no query running.
        await new Promise((resolve) => setTimeout(resolve, 200));
        await tx.query('SELECT 1');
      });
      await expect(transaction).rejects.toThrow();
      const { rows } = await database.sql.query<{ one: number }>('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await database.drop();
    }
  });
});

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`not settled in ${ms} ms`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
