import { PostgresEventStore, RecordedEvent, SqlClient, START } from '@scope-ledger/event-store';
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
      const results = await Promise.all(
        streams.map((streamId) => store.append(streamId, [newEvent('Opened')], 'no_stream')),
      );
      expect(results.map((r) => r.nextExpectedRevision)).toEqual(streams.map(() => 0n));
      // Asked for in one turn of the event loop, they go out together in one statement.
      expect(inserts.count()).toBe(1);
      const positions = results.map((r) => r.position);
      const read = await store.readAll({ after: START, streamPrefix: 'grouped-', limit: 100 });
      expect(read.map((e) => e.streamId).sort()).toEqual([...streams].sort());
      for (const event of read) expect(positions).toContainEqual(event.position);
    } finally {
      await store.close();
      await database.drop();
    }
  });

  it(
    'keeps a group within 128 rows and at most two statements in flight, ' + 'the rest going out together after them',
    async () => {
      const database = await createTestDatabase();
      let inFlight = 0;
      let mostInFlight = 0;
      const inserts = countingStatements(database.sql, (text) => text.startsWith('INSERT INTO events'));
      const watched: SqlClient = Object.create(inserts.sql);
      watched.queryPrepared = async (name, text, params) => {
        const insert = text.startsWith('INSERT INTO events');
        if (insert) mostInFlight = Math.max(mostInFlight, ++inFlight);
        try {
          return await inserts.sql.queryPrepared(name, text, params);
        } finally {
          if (insert) inFlight -= 1;
        }
      };
      const store = await PostgresEventStore.create(watched);
      try {
        const streams = Array.from({ length: 300 }, (_, i) => `bounded-${i}`);
        const results = await Promise.all(
          streams.map((streamId) => store.append(streamId, [newEvent('Opened')], 'no_stream')),
        );
        expect(results.every((r) => r.nextExpectedRevision === 0n)).toBe(true);
        // 128 + 128 at once, then the 44 that waited.
        expect(inserts.count()).toBe(3);
        expect(mostInFlight).toBe(2);
      } finally {
        await store.close();
        await database.drop();
      }
    },
  );
});

describe('PostgreSQL dialect: reading the log', () => {
  it(
    'walks the commit-order index in a rebuild and stops at the limit, ' +
      'rather than sorting everything after the position',
    async () => {
      const database = await createTestDatabase();
      let readAll: { text: string; params: readonly unknown[] } | undefined;
      const watched = countingStatements(database.sql, (text, params) => {
        if (/ORDER BY events\.transaction_id/.test(text)) readAll = { text, params };
        return false;
      });
      const store = await PostgresEventStore.create(watched.sql);
      try {
        // A long log written in one statement, without statistics (as after a bulk import with autovacuum off).
        await database.sql.query(
          `INSERT INTO events (stream_id, stream_revision, event_id, event_type, schema_version, data, metadata)
         SELECT 'project-' || (n % 500), n / 500, gen_random_uuid(), 'Noted', 1, '{"text": "a line of data"}', ` +
            `'{"occurredAt": "2026-03-02T08:00:00.000Z"}'
         FROM generate_series(0, 59999) AS n`,
        );
        await store.prepareToReadAll();
        const middle = (await store.readAll({ after: START, streamPrefix: 'project-', limit: 30_000 })).at(
          -1,
        )!.position;
        await store.readAll({ after: middle, streamPrefix: 'project-', limit: 5_000 });
        const { rows } = await database.sql.query<{ 'QUERY PLAN': unknown }>(
          `EXPLAIN (FORMAT JSON) ${readAll!.text}`,
          readAll!.params,
        );
        const plan = JSON.stringify(rows[0]['QUERY PLAN']);
        expect(plan).toContain('events_commit_order');
        expect(plan).not.toContain('"Node Type":"Sort"');
      } finally {
        await store.close();
        await database.drop();
      }
    },
  );
});

describe('PostgreSQL dialect: live subscribers of the writing process', () => {
  it(
    'hands a subscriber the payload objects this process appended, ' + 'and those of other processes as stored',
    async () => {
      const database = await createTestDatabase();
      const store = await PostgresEventStore.create(database.sql, { pollIntervalMs: 20 });
      const otherSql = await database.connectAgain();
      const other = await PostgresEventStore.create(otherSql, { pollIntervalMs: 20 });
      const delivered: RecordedEvent[] = [];
      const subscription = store.subscribe(async (batch) => {
        delivered.push(...batch);
      });
      try {
        const requester = { name: 'Dana Whitfield', email: 'dana@contoso.example' };
        const ours = newEvent('ChangeRequestLogged', {
          title: 'Shared mailbox',
          requestedBy: requester,
          ticketRef: undefined,
        });
        const theirs = newEvent('ChangeRequestLogged', { title: 'Guest Wi-Fi', requestedBy: { ...requester } });
        await store.append('project-own', [ours], 'no_stream');
        await other.append('project-other', [theirs], 'no_stream');
        await waitFor(() => delivered.length === 2);

        const mine = delivered.find((e) => e.id === ours.id)!;
        // The very objects: a projection folding them shares the strings with the writer's state.
        expect(mine.data).toBe(ours.data);
        expect(mine.metadata).toBe(ours.metadata);
        expect(mine.streamId).toBe('project-own');
        const foreign = delivered.find((e) => e.id === theirs.id)!;
        expect(foreign.data).not.toBe(theirs.data);
        expect(foreign.data).toEqual(theirs.data);
        // Reading the log (a rebuild, an export) always returns what the rows hold.
        const read = await store.readAll({ after: START, streamPrefix: 'project-', limit: 10 });
        const stored = read.find((e) => e.id === ours.id)!;
        expect(stored.data).not.toBe(ours.data);
        expect(stored.data).toEqual({ title: 'Shared mailbox', requestedBy: requester });
        // What was handed over is what the row holds, as JSON.
        expect(JSON.parse(JSON.stringify(mine.data))).toEqual(stored.data);
        expect(JSON.parse(JSON.stringify(mine.metadata))).toEqual(stored.metadata);
      } finally {
        await subscription.stop();
        await store.close();
        await other.close();
        await database.drop();
      }
    },
  );

  it('reads payloads from the database only for events it did not append itself', async () => {
    const database = await createTestDatabase();
    const payloadReads = countingStatements(
      database.sql,
      (text) => /\bmetadata\b/.test(text) && /^\s*SELECT/.test(text),
    );
    const store = await PostgresEventStore.create(payloadReads.sql, { pollIntervalMs: 20 });
    const otherSql = await database.connectAgain();
    const other = await PostgresEventStore.create(otherSql, { pollIntervalMs: 20 });
    const delivered: RecordedEvent[] = [];
    const subscription = store.subscribe(async (batch) => void delivered.push(...batch));
    try {
      for (let i = 0; i < 5; i++) await store.append(`project-own-${i}`, [newEvent('Noted', { i })], 'no_stream');
      await waitFor(() => delivered.length === 5);
      expect(payloadReads.count()).toBe(0);

      const theirs = newEvent('Noted', { i: 5, from: 'another process' });
      await other.append('project-other', [theirs], 'no_stream');
      await waitFor(() => delivered.length === 6);
      expect(payloadReads.count()).toBe(1);
      expect(delivered[5].data).toEqual(theirs.data);
      expect(delivered.map((e) => e.data.i)).toEqual([0, 1, 2, 3, 4, 5]);
    } finally {
      await subscription.stop();
      await store.close();
      await other.close();
      await database.drop();
    }
  });
});

describe('PostgreSQL dialect: gathering live events', () => {
  it('waits out the gather after a batch before reading again, unless hurried', async () => {
    const database = await createTestDatabase();
    const store = await PostgresEventStore.create(database.sql, { pollIntervalMs: 20 });
    const batches: string[][] = [];
    const subscription = store.subscribe(async (batch) => void batches.push(batch.map((e) => e.streamId)), {
      gatherMs: 60_000,
    });
    try {
      await store.append('gather-1', [newEvent('Noted')], 'no_stream');
      await waitFor(() => batches.length === 1);
      // Gathering now: these wait for the next read.
      await store.append('gather-2', [newEvent('Noted')], 'no_stream');
      await store.append('gather-3', [newEvent('Noted')], 'no_stream');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(batches).toEqual([['gather-1']]);
      subscription.hurry();
      await waitFor(() => batches.length === 2);
      expect(batches[1]).toEqual(['gather-2', 'gather-3']);
    } finally {
      await subscription.stop();
      await store.close();
      await database.drop();
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error('timed out waiting for the subscriber');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
