import { randomUUID } from 'node:crypto';
import { ProjectEvent, projectStreamId } from '@scope-ledger/domain';
import { AppendResult, NewEvent, PostgresEventStore, SqlClient } from '@scope-ledger/event-store';
import { ProjectionRunner } from '@scope-ledger/projections';
import { loadProjectStates } from '../../libs/projections/src/stored-project-states';
import { PROJECT_ID, projectOpened, requestLogged } from '../../libs/domain/src/testing/project.fixture';
import { createTestDatabase } from '../support/test-database';

/**
 * The live runner reads the log again a moment after each batch, so that a steady stream of
 * commands is projected a batch of many at a time rather than one transaction per command.
 */
describe('the live projection runner under a steady stream of commands', () => {
  it('projects them in a few transactions, and each writer still reads its own write', async () => {
    const database = await createTestDatabase();
    let transactions = 0;
    const counted: SqlClient = Object.create(database.sql);
    counted.transaction = (fn) => {
      transactions += 1;
      return database.sql.transaction(fn);
    };
    const store = await PostgresEventStore.create(database.sql, { pollIntervalMs: 20 });
    const runner = new ProjectionRunner(store, counted);
    await runner.start();
    const stream = projectStreamId(PROJECT_ID);
    const append = (event: ProjectEvent, expected: 'no_stream' | bigint): Promise<AppendResult> =>
      store.append(stream, [asNew(event)], expected);
    try {
      const opened = await append(projectOpened, 'no_stream');
      await runner.waitFor(opened.position, 5_000);
      const before = transactions;

      // Sixty commands, one every few milliseconds, each waiting for its read models as a
      // client reading its own write does for every tenth.
      let last = opened;
      for (let n = 1; n <= 60; n++) {
        last = await append(requestLogged(randomUUID(), n), last.nextExpectedRevision);
        if (n % 10 === 0) await runner.waitFor(last.position, 5_000);
        else await new Promise((resolve) => setTimeout(resolve, 3));
      }
      await runner.waitFor(last.position, 5_000);

      expect(transactions - before).toBeLessThanOrEqual(20);
      const stored = (await loadProjectStates(database.sql, [PROJECT_ID])).get(PROJECT_ID)!;
      expect(stored.eventCount).toBe(61);
      expect(stored.state.changeRequestOrder).toHaveLength(60);
      expect(
        Object.values(stored.state.changeRequests)
          .map((r) => r.number)
          .sort((a, b) => a - b),
      ).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    } finally {
      await runner.stop();
      await store.close();
      await database.drop();
    }
  });
});

describe('a read waiting for its own write while the live runner gathers', () => {
  it('is answered at once rather than when the gather ends', async () => {
    const database = await createTestDatabase();
    const store = await PostgresEventStore.create(database.sql, { pollIntervalMs: 20 });
    // A gather far longer than the wait allowed below: only cutting it short can meet the wait.
    const runner = new ProjectionRunner(store, database.sql, undefined, undefined, undefined, 60_000);
    await runner.start();
    const stream = projectStreamId(PROJECT_ID);
    try {
      const opened = await store.append(stream, [asNew(projectOpened)], 'no_stream');
      await runner.waitFor(opened.position, 5_000);
      // The runner has handled a batch and now gathers for a minute.
      const logged = await store.append(stream, [asNew(requestLogged(randomUUID(), 1))], opened.nextExpectedRevision);
      await runner.waitFor(logged.position, 5_000);
      const stored = (await loadProjectStates(database.sql, [PROJECT_ID])).get(PROJECT_ID)!;
      expect(stored.eventCount).toBe(2);
      expect(stored.state.changeRequestOrder).toHaveLength(1);
    } finally {
      await runner.stop();
      await store.close();
      await database.drop();
    }
  });
});

function asNew(event: ProjectEvent): NewEvent {
  return {
    id: randomUUID(),
    type: event.type,
    schemaVersion: 1,
    data: event.data as unknown as Record<string, unknown>,
    metadata: {
      actor: { kind: 'system', id: 'live-batching-test' },
      occurredAt: '2026-03-10T09:00:00.000Z',
      correlationId: randomUUID(),
      causationId: randomUUID(),
    },
  };
}
