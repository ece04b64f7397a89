import {
  boardView,
  budgetView,
  EventProcessor,
  HandlerBatch,
  portfolioRow,
  ProjectEventHandler,
  ProjectReadModel,
  projectSummary,
  ReadModelsBehindError,
  scopeView,
  timelineView,
  toProjectEvent,
} from '@scope-ledger/projections';
import { PostgresEventStore, RecordedEvent, SqlQueryable } from '@scope-ledger/event-store';
import { DomainError, foldEvents, PROJECT_EVENT_TYPES, projectStreamId } from '@scope-ledger/domain';
import { HistoryStep, projectHistories } from '../../libs/projections/src/testing/project-histories';
import { createTestDatabase, TestDatabase, testDatabaseKind } from '../support/test-database';
import { appendSteps, dumpReadTables, foldedStream, inOrder, newEvents, watchedSql } from './processor-support';

/** A reactor that writes down each event it sees, once: a second time would break the table's key. */
class RecordingReactor implements ProjectEventHandler {
  async begin(): Promise<HandlerBatch> {
    const seen: string[] = [];
    return {
      handle: ({ recorded }) => seen.push(recorded.id),
      write: async (tx: SqlQueryable) => {
        if (seen.length > 0) await tx.query(`INSERT INTO reacted (event_id) SELECT unnest($1::text[])`, [seen]);
      },
    };
  }
}

/** A projector that fails on the events named, until they are taken off the list. */
class FailingProjector implements ProjectEventHandler {
  readonly failOn = new Set<string>();
  async begin(): Promise<HandlerBatch> {
    return {
      handle: ({ recorded }) => {
        if (this.failOn.has(recorded.id)) throw new Error(`Cannot project ${recorded.type} today`);
      },
      write: async () => undefined,
    };
  }
}

describe('the event processor', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let processor: EventProcessor;
  let readModel: ProjectReadModel;

  beforeEach(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.create(database.sql, { pollIntervalMs: 20 });
    await EventProcessor.prepare(database.sql);
    await database.sql.exec(`CREATE TABLE reacted (event_id text PRIMARY KEY)`);
    readModel = new ProjectReadModel(database.sql);
  });
  afterEach(async () => {
    await processor?.stop();
    await store.close();
    await database.drop();
  });

  async function reacted(): Promise<number> {
    return (await database.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM reacted`)).rows[0].n;
  }

  /** Waits until the processor has applied every event appended. */
  async function caughtUp(): Promise<void> {
    const log = await database.sql.query<{ commit: string; prepare: string }>(
      `SELECT transaction_id::text AS commit, global_position::text AS prepare FROM events
       ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
    await processor.waitFor({ commit: BigInt(log.rows[0].commit), prepare: BigInt(log.rows[0].prepare) }, 20_000);
  }

  /** The read tables' answers for a project equal its stream folded from scratch. */
  async function expectProjected(projectId: string, now: string): Promise<void> {
    const folded = await foldedStream(store, projectId);
    const projected = await readModel.projectState(projectId);
    expect(inOrder(projected!)).toEqual(inOrder(folded));
    const row = (await readModel.portfolio(now)).find((r) => r.projectId === projectId);
    expect(row).toEqual(portfolioRow(folded, now));
    const signed = (await readModel.signedChangeOrders({})).filter((r) => r.projectId === projectId);
    expect(signed.map((r) => [r.changeOrderId, r.amount, r.invoiced]).sort()).toEqual(
      [...folded.changeOrders.values()]
        .filter((o) => o.signature)
        .map((o) => [o.id, o.amount, o.invoiced])
        .sort(),
    );
    for (const order of folded.changeOrders.values()) {
      if (!order.issue) continue;
      expect(await readModel.signingLink(order.issue.signingTokenSha256)).toEqual({
        projectId,
        changeOrderId: order.id,
        status: order.status,
      });
    }
  }

  it('projects live what the streams fold to, and a rebuild in many batches writes the very same rows', async () => {
    const steps = [
      ...projectHistories({ projects: 5, eventsPerProject: 250, seed: 11 }),
      ...projectHistories({ projects: 1, eventsPerProject: 150, seed: 12, reservedNames: true }),
    ];
    processor = await EventProcessor.create(store, database.sql, { rebuildBatchSize: 97 });
    processor.addReactor(new RecordingReactor());
    await processor.start();

    // Batches of every size: commands appended one, seven or fifty at a time, each lot waited for.
    const sizes = [1, 7, 50, 1, 1, 7, 50];
    for (let at = 0, i = 0; at < steps.length; i++) {
      const lot = steps.slice(at, at + sizes[i % sizes.length]);
      at += lot.length;
      await processor.waitFor(await appendSteps(store, lot), 20_000);
      if (i % 5 === 0)
        for (const projectId of new Set(lot.map((s) => s.projectId))) await expectProjected(projectId, lot[0].now);
    }
    const log = await store.readAll({ streamPrefix: 'project-', limit: 100_000 });
    expect(new Set(log.map((e) => e.type))).toEqual(new Set(PROJECT_EVENT_TYPES));
    const projectIds = [...new Set(steps.map((s) => s.projectId))];
    for (const projectId of projectIds) await expectProjected(projectId, '2026-06-01T00:00:00.000Z');
    const live = await dumpReadTables(database.sql);
    expect(live.projects).toHaveLength(projectIds.length);

    expect(await processor.rebuild()).toBe(log.length);
    expect(await dumpReadTables(database.sql)).toEqual(live);
    expect(processor.checkpoint).toEqual(log[log.length - 1].position);
    // Reactors saw each event once, live, and not again in the rebuild.
    expect(await reacted()).toBe(log.length);
    expect(await processor.parkedEvents()).toEqual([]);
  });

  it('projects a project whose names are toString, constructor and __proto__ like any other', async () => {
    const steps = [...projectHistories({ projects: 2, eventsPerProject: 200, seed: 21, reservedNames: true })];
    processor = await EventProcessor.create(store, database.sql);
    await processor.start();
    await processor.waitFor(await appendSteps(store, steps), 20_000);

    expect(await processor.parkedEvents()).toEqual([]);
    for (const projectId of new Set(steps.map((s) => s.projectId))) {
      await expectProjected(projectId, '2026-06-01T00:00:00.000Z');
      const projected = (await readModel.projectState(projectId))!;
      const folded = await foldedStream(store, projectId);
      for (const view of [projectSummary, scopeView, budgetView, timelineView, boardView])
        expect(JSON.parse(JSON.stringify(view(projected)))).toEqual(JSON.parse(JSON.stringify(view(folded))));
      const summary = JSON.parse(JSON.stringify(projectSummary(projected)));
      // Generated histories rename such a project from one of these names to the other.
      expect(['toString', 'constructor']).toContain(summary.name);
      expect(Object.keys(summary.rates).sort()).toEqual(['__proto__', 'constructor', 'engineer', 'toString']);
      expect(scopeView(projected).items.map((i) => i.ref)).toEqual(
        expect.arrayContaining(['toString', 'constructor', '__proto__', 'valueOf', 'hasOwnProperty']),
      );
    }
  });

  it('parks exactly the event a handler fails on, goes on with the others, and applies it once retried', async () => {
    const failing = new FailingProjector();
    processor = await EventProcessor.create(store, database.sql);
    processor.addProjector(failing);
    processor.addReactor(new RecordingReactor());
    await processor.start();
    const steps = [...projectHistories({ projects: 1, eventsPerProject: 120, seed: 31 })];
    const projectId = steps[0].projectId;
    // One append, so that the event fails in the middle of a batch.
    const events = steps.flatMap((step) => newEvents(step.events, step.now));
    const moves = events.filter((e) => e.type === 'BoardCardMoved');
    const parked = moves[Math.floor(moves.length / 2)];
    failing.failOn.add(parked.id);
    await store.append(projectStreamId(projectId), events, 'no_stream');
    await caughtUp();

    expect((await processor.parkedEvents()).map((p) => [p.eventId, p.eventType, p.error])).toEqual([
      [parked.id, 'BoardCardMoved', 'Cannot project BoardCardMoved today'],
    ]);
    const others = events.filter((e) => e !== parked);
    const stored = (await store.readStream(projectStreamId(projectId))).filter((e) => e.id !== parked.id);
    const withoutParked = foldOf(stored);
    expect(inOrder((await readModel.projectState(projectId))!)).toEqual(
      inOrder({ ...withoutParked, revision: events.length - 1 }),
    );
    expect(await reacted()).toBe(others.length);

    // The processor goes on with the next events.
    const next = [...projectHistories({ projects: 1, eventsPerProject: 20, seed: 32 })];
    await processor.waitFor(await appendSteps(store, next), 20_000);
    await expectProjected(next[0].projectId, next[0].now);

    // Retried before the cause is fixed, it stays parked, and the refusal names the cause.
    await expect(processor.retryParked(parked.id)).rejects.toThrow(
      'The event still cannot be applied, so it stays parked: Cannot project BoardCardMoved today',
    );
    expect((await processor.parkedEvents()).map((p) => p.eventId)).toEqual([parked.id]);

    // Fixed, the parked event is applied onto the project as it is now, and reacted to.
    failing.failOn.clear();
    expect(await processor.retryParked(parked.id)).toBe(true);
    expect(await processor.parkedEvents()).toEqual([]);
    expect(await processor.retryParked(parked.id)).toBe(false);
    const all = await store.readStream(projectStreamId(projectId));
    const retried = foldOf([...all.filter((e) => e.id !== parked.id), all.find((e) => e.id === parked.id)!]);
    expect(inOrder((await readModel.projectState(projectId))!)).toEqual(
      inOrder({ ...retried, revision: events.length - 1 }),
    );
    expect(await reacted()).toBe(events.length + next.reduce((n, s) => n + s.events.length, 0));
  });

  it('parks an event its project cannot apply, and a rebuild parks it again and writes the same rows', async () => {
    processor = await EventProcessor.create(store, database.sql, { rebuildBatchSize: 50 });
    await processor.start();
    const steps = [...projectHistories({ projects: 2, eventsPerProject: 100, seed: 33 })];
    await appendSteps(store, steps.slice(0, 60));
    const projectId = steps[0].projectId;
    const unknownOrder = newEvents(
      [
        {
          type: 'ChangeOrderSigned',
          data: {
            changeOrderId: '9d9d9d9d-0000-4000-8000-000000000009',
            signer: { name: 'Priya Raman', email: 'priya@client.example' },
            documentSha256: 'b'.repeat(64),
            signedDocumentSha256: 'a'.repeat(64),
            consentVersion: 'v1',
            signature: 'typed',
            signedAt: '2026-03-10T09:00:00.000Z',
            ip: '203.0.113.7',
            userAgent: 'Mozilla/5.0',
          },
        },
      ],
      '2026-03-10T09:00:00.000Z',
    );
    await store.append(projectStreamId(projectId), unknownOrder, 'any');
    await processor.waitFor(await appendSteps(store, steps.slice(60)), 20_000);

    const parked = async () => (await processor.parkedEvents()).map((p) => [p.eventId, p.eventType]);
    expect(await parked()).toEqual([[unknownOrder[0].id, 'ChangeOrderSigned']]);
    const stored = (await store.readStream(projectStreamId(projectId))).filter((e) => e.id !== unknownOrder[0].id);
    expect(inOrder((await readModel.projectState(projectId))!)).toEqual(
      inOrder({ ...foldOf(stored), revision: stored.length }),
    );
    const live = await dumpReadTables(database.sql);
    await processor.rebuild();
    expect(await dumpReadTables(database.sql)).toEqual(live);
    expect(await parked()).toEqual([[unknownOrder[0].id, 'ChangeOrderSigned']]);
    await expect(processor.retryParked(unknownOrder[0].id)).rejects.toThrow(
      'The project has no change order 9d9d9d9d-0000-4000-8000-000000000009',
    );
  });

  (testDatabaseKind === 'postgres' ? it : it.skip)(
    'refuses, as a conflict, to rebuild while another process runs the projections',
    async () => {
      processor = await EventProcessor.create(store, database.sql);
      await processor.start();
      // A second process on the same database (its connections are closed with the database).
      const otherSql = await database.connectAgain();
      const other = await EventProcessor.create(await PostgresEventStore.create(otherSql), otherSql);
      const refusal = await other.rebuild().catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(DomainError);
      expect(refusal).toMatchObject({ kind: 'conflict', message: expect.stringMatching(/^Another server is running/) });
      expect(processor.isActive).toBe(true);
    },
  );

  it('starts again from the first event on a database the earlier read models were kept in', async () => {
    const earlier = await createTestDatabase();
    try {
      await earlier.sql.exec(
        `CREATE TABLE projection_checkpoints (name text PRIMARY KEY, commit_position bigint NOT NULL,
           prepare_position bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
         CREATE TABLE project_states (project_id text PRIMARY KEY, header json NOT NULL);
         INSERT INTO projection_checkpoints (name, commit_position, prepare_position)
           VALUES ('projects', 900, 41), ('notifications', 800, 37)`,
      );
      await EventProcessor.prepare(earlier.sql);
      const { rows } = await earlier.sql.query<{ name: string; position: string }>(
        `SELECT name, commit_position || '/' || prepare_position AS position FROM projection_checkpoints`,
      );
      expect(rows).toEqual([{ name: 'reactors', position: '800/37' }]);
      const tables = await earlier.sql
        .query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'project_states'
         AND table_schema = current_schema()`);
      expect(tables.rows).toEqual([]);
    } finally {
      await earlier.drop();
    }
  });

  it('doubles nothing when it replays every event after losing its checkpoint, or from the middle', async () => {
    processor = await EventProcessor.create(store, database.sql);
    processor.addReactor(new RecordingReactor());
    await processor.start();
    const steps = [...projectHistories({ projects: 3, eventsPerProject: 150, seed: 41 })];
    await processor.waitFor(await appendSteps(store, steps), 20_000);
    const before = await dumpReadTables(database.sql);
    const events = await reacted();

    await processor.stop();
    await database.sql.query(`DELETE FROM projection_checkpoints WHERE name = 'projects'`);
    await processor.start();
    await caughtUp();
    expect(await dumpReadTables(database.sql)).toEqual(before);

    const log = await store.readAll({ streamPrefix: 'project-', limit: 100_000 });
    const middle = log[Math.floor(log.length / 2)].position;
    await processor.stop();
    await database.sql.query(
      `UPDATE projection_checkpoints SET commit_position = $1, prepare_position = $2 WHERE name = 'projects'`,
      [middle.commit.toString(), middle.prepare.toString()],
    );
    await processor.start();
    expect(processor.checkpoint).toEqual(middle);
    await caughtUp();
    expect(await dumpReadTables(database.sql)).toEqual(before);
    expect(await reacted()).toBe(events);
    expect(await processor.parkedEvents()).toEqual([]);
  });

  it('reacts to nothing of the past when it first starts on an existing log, and to everything after', async () => {
    const past = [...projectHistories({ projects: 2, eventsPerProject: 60, seed: 51 })];
    await appendSteps(store, past);
    processor = await EventProcessor.create(store, database.sql);
    processor.addReactor(new RecordingReactor());
    await processor.start();
    await caughtUp();
    for (const projectId of new Set(past.map((s) => s.projectId))) await expectProjected(projectId, past[0].now);
    expect(await reacted()).toBe(0);

    const after = [...projectHistories({ projects: 1, eventsPerProject: 30, seed: 52 })];
    await processor.waitFor(await appendSteps(store, after), 20_000);
    expect(await reacted()).toBe(after.reduce((n, s) => n + s.events.length, 0));
  });

  it('retries a batch the database fails, rather than parking its events', async () => {
    let failuresLeft = 0;
    let failed = 0;
    const lostConnection = () => {
      if (failuresLeft === 0) return undefined;
      failuresLeft -= 1;
      failed += 1;
      return Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    };
    const { sql } = watchedSql(database.sql, lostConnection);
    processor = await EventProcessor.create(store, sql);
    await processor.start();
    failuresLeft = 3;
    const steps = [...projectHistories({ projects: 1, eventsPerProject: 40, seed: 61 })];
    await processor.waitFor(await appendSteps(store, steps), 20_000);
    expect(failed).toBe(3);
    expect(await processor.parkedEvents()).toEqual([]);
    await expectProjected(steps[0].projectId, steps[0].now);
  });

  it('writes a handful of rows for one more change request on a project of 10,000 events', async () => {
    const steps: HistoryStep[] = [...projectHistories({ projects: 1, eventsPerProject: 10_000, seed: 71 })];
    const projectId = steps[0].projectId;
    const { sql, statements } = watchedSql(database.sql);
    processor = await EventProcessor.create(store, sql);
    await processor.start();
    for (let at = 0; at < steps.length; at += 200) await appendSteps(store, steps.slice(at, at + 200));
    await caughtUp();
    const rows = await database.sql.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM change_requests) + (SELECT count(*) FROM scope_items) +
         (SELECT count(*) FROM board_cards) + (SELECT count(*) FROM change_orders) AS n`,
    );
    // A big project: thousands of records (how many depends on the mix of commands the history draws).
    expect(Number(rows.rows[0].n)).toBeGreaterThan(2_500);

    statements.length = 0;
    const now = '2027-01-01T09:00:00.000Z';
    const logged = await store.append(
      projectStreamId(projectId),
      newEvents(
        [
          {
            type: 'ChangeRequestLogged',
            data: {
              changeRequestId: '5f0c7c1e-0000-4000-8000-000000000001',
              number: 90_001,
              title: 'One more small thing',
              description: 'Asked for by phone',
              source: 'phone',
              requestedBy: { name: 'Dana Whitfield', email: 'dana@client.example' },
              receivedAt: now,
              loggedAt: now,
            },
          },
        ],
        now,
      ),
      'any',
    );
    await processor.waitFor(logged.position, 10_000);
    const read = statements.filter((s) => /^\s*SELECT/.test(s.text)).reduce((n, s) => n + s.rows, 0);
    const written = statements
      .filter((s) =>
        /^\s*INSERT INTO (projects|milestones|scope_items|change_|board_cards|portfolio_rows)/.test(s.text),
      )
      .reduce((n, s) => n + (s.params[0] as unknown[]).length, 0);
    expect({ read, written }).toEqual({ read: 2, written: 3 });
    await expectProjected(projectId, now);
  }, 120_000);

  it('tells a reader that waits longer than it allows that the read models are behind', async () => {
    processor = await EventProcessor.create(store, database.sql);
    await processor.start();
    const head = await store.headPosition();
    await expect(processor.waitFor({ commit: head.commit + 1_000n, prepare: 0n }, 200)).rejects.toBeInstanceOf(
      ReadModelsBehindError,
    );
  });
});

function foldOf(events: readonly RecordedEvent[]) {
  return foldEvents(events.map((e) => toProjectEvent(e)!));
}
