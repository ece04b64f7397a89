import { randomUUID } from 'node:crypto';
import { event, foldProject, ProjectEvent, ProjectState, projectStreamId } from '@scope-ledger/domain';
import {
  migrate,
  NewEvent,
  Position,
  PostgresEventStore,
  RecordedEvent,
  SqlQueryable,
  START,
} from '@scope-ledger/event-store';
import {
  applyProjectEvents,
  boardView,
  budgetView,
  ProjectionRunner,
  projectIdOf,
  ReadModelQueries,
  readModelMigrations,
  timelineView,
  toProjectEvent,
  WarmProjectStates,
} from '@scope-ledger/projections';
import {
  baselineEstablished,
  cardAdded,
  projectOpened,
  PROJECT_ID,
  SI_1,
  SI_2,
  SI_3,
  SI_4,
} from '../../libs/domain/src/testing/project.fixture';
import { bulkLoad } from '../../bench/support/bulk-load';
import { interleavedHistories, projectHistory } from '../../bench/support/event-mix';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * A project's state is stored as a header plus a row per request, order, card and scope item
 * and per run of list entries, and each batch writes only the rows it changed. Whatever the
 * batches, the stored state must read back as the fold of every event so far.
 */
describe('stored project states', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeEach(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.create(database.sql);
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  /** The log after a position, once `count` events are visible (a concurrent transaction may hold them back). */
  async function readLog(count: number, after: Position = START): Promise<RecordedEvent[]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const log = await store.readAll({ after, streamPrefix: 'project-', limit: 100_000 });
      if (log.length >= count || Date.now() > deadline) return log;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** What the read model must answer for a project: its events folded from scratch. */
  function expectedState(log: readonly RecordedEvent[], projectId: string) {
    const events = log.filter((e) => projectIdOf(e.streamId) === projectId);
    const state = foldProject(events.map((e) => ({ event: toProjectEvent(e)!, occurredAt: e.metadata.occurredAt })));
    return { ...(JSON.parse(JSON.stringify(state)) as ProjectState), revision: events.length - 1 };
  }

  /** A portfolio row counted from the project's views, independently of the projection's running sums. */
  function expectedPortfolioRow(state: ProjectState) {
    const budget = budgetView(state);
    const timeline = timelineView(state);
    const awaiting = budget.pendingOrders.map((o) => o.issuedAt).sort();
    return {
      projectId: state.projectId,
      name: state.name,
      client: state.client.name,
      currency: state.currency,
      baselineBudget: budget.baseline,
      currentBudget: budget.current,
      variance: budget.variance,
      pendingExposure: budget.pendingExposure,
      absorbed: budget.absorbed,
      baselineEnd: timeline.baselineEnd,
      forecastEnd: timeline.forecastEnd,
      slipWorkingDays: timeline.slipWorkingDays,
      openRequests: Object.values(state.changeRequests).filter((r) => r.status === 'logged').length,
      awaitingSignature: awaiting.length,
      oldestAwaitingSince: awaiting[0] ?? null,
      unapprovedHours: boardView(state).unapprovedHours,
    };
  }

  async function signingLinks(projectId: string): Promise<string[]> {
    const { rows } = await database.sql.query<{ link: string }>(
      `SELECT change_order_id || ' ' || status AS link FROM signing_links WHERE project_id = $1 ORDER BY 1`,
      [projectId],
    );
    return rows.map((r) => r.link);
  }

  async function apply(batch: readonly RecordedEvent[], warm?: WarmProjectStates) {
    const touched = await database.sql.transaction((tx) => applyProjectEvents(tx, batch, warm));
    warm?.remember(touched);
  }

  async function append(
    projectId: string,
    events: ProjectEvent[],
    occurredAt = '2026-03-10T09:00:00.000Z',
  ): Promise<void> {
    const newEvents = events.map((e): NewEvent => ({
      id: randomUUID(),
      type: e.type,
      schemaVersion: 1,
      data: e.data as unknown as Record<string, unknown>,
      metadata: {
        actor: { kind: 'system', id: 'stored-states-test' },
        occurredAt,
        correlationId: randomUUID(),
        causationId: randomUUID(),
      },
    }));
    await store.append(projectStreamId(projectId), newEvents, 'any');
  }

  /** An event no state can apply: a signature for an order the project never had. */
  const signatureOfUnknownOrder = () =>
    event('ChangeOrderSigned', {
      changeOrderId: randomUUID(),
      signer: { name: 'Priya Raman', email: 'priya@contoso.example' },
      signedAt: '2026-03-10T09:00:00.000Z',
      ip: '203.0.113.7',
      userAgent: 'test',
      consentVersion: 'v1',
      signature: 'typed',
      documentSha256: 'b'.repeat(64),
      signedDocumentSha256: 'a'.repeat(64),
    });

  const requestLogged = (number: number) =>
    event('ChangeRequestLogged', {
      changeRequestId: randomUUID(),
      number,
      title: `Request ${number}`,
      description: 'Logged after the history',
      source: 'email',
      requestedBy: { name: 'Dana Whitfield', email: 'dana@contoso.example' },
      receivedAt: '2026-03-10T08:30:00.000Z',
    });

  describe('projecting', () => {
    beforeEach(async () => {
      await ProjectionRunner.prepare(database.sql);
    });

    it.each([
      ['by the active runner, from its warm states', true],
      ['reading each state back from the tables', false],
    ])('reads back the fold of every event after batches of 1, 7 and 500 events, %s', async (_how, useWarm) => {
      const written = await bulkLoad(
        database.sql,
        interleavedHistories({ totalEvents: 3_000, activeProjects: 3, eventsPerProject: [300, 1_600], seed: 7 }),
      );
      const log = await readLog(written);
      expect(log).toHaveLength(written);
      // The history cancels cards (a ref loses its live card), voids orders and removes scope items.
      const types = new Set(log.map((e) => e.type));
      for (const type of [
        'BoardCardCancelled',
        'ChangeOrderVoided',
        'ChangeOrderDeclined',
        'InvoiceRecorded',
        'TimeLogged',
      ])
        expect(types).toContain(type);
      const projectIds = [...new Set(log.map((e) => projectIdOf(e.streamId)))];
      expect(projectIds.some((id) => Object.values(expectedState(log, id).scope).some((item) => item.removed))).toBe(
        true,
      );

      const warm = useWarm ? new WarmProjectStates() : undefined;
      const queries = new ReadModelQueries(database.sql);
      const sizes = [1, 7, 500, 1, 1, 7, 500];
      let applied = 0;
      for (let i = 0; applied < log.length; i++) {
        const batch = log.slice(applied, applied + sizes[i % sizes.length]);
        await apply(batch, warm);
        applied += batch.length;
        const sofar = log.slice(0, applied);
        const portfolio = await queries.portfolio();
        const finance = await queries.signedChangeOrders({});
        for (const projectId of new Set(batch.map((e) => projectIdOf(e.streamId)))) {
          const expected = expectedState(sofar, projectId);
          expect(await queries.projectState(projectId)).toEqual(expected);
          // The rows kept up to date from what each batch changed equal a count over the whole state.
          if (expected.exists)
            expect(portfolio.find((r) => r.projectId === projectId)).toEqual(expectedPortfolioRow(expected));
          expect(
            finance
              .filter((r) => r.projectId === projectId)
              .map((r) => `${r.changeOrderId} ${r.amount} ${r.invoiced}`)
              .sort(),
          ).toEqual(
            expected.signedOrderIds
              .map((id) => expected.changeOrders[id])
              .map((o) => `${o.id} ${o.amount} ${o.invoiced}`)
              .sort(),
          );
          expect(await signingLinks(projectId)).toEqual(
            Object.values(expected.changeOrders)
              .filter((o) => o.issue)
              .map((o) => `${o.id} ${o.status}`)
              .sort(),
          );
        }
      }
    });

    it('deletes the rows of entries that disappear and rewrites a list that was not appended to', async () => {
      // The domain establishes a baseline once; the read model must still cope with a state whose
      // scope is replaced (keys gone, the scope order rewritten and shorter) and whose cards lose their ref.
      const items = [SI_1, SI_2, SI_3, ...Array.from({ length: 40 }, (_, i) => ({ ...SI_1, ref: `SI-${i + 10}` }))];
      const firstBaseline = event('BaselineEstablished', { ...baselineEstablished.data, items });
      await append(PROJECT_ID, [
        projectOpened,
        firstBaseline,
        cardAdded(1, SI_1),
        cardAdded(2, SI_2),
        cardAdded(3, SI_3),
      ]);
      let log = await readLog(5);
      const warm = new WarmProjectStates();
      await apply(log, warm);
      await append(PROJECT_ID, [
        event('BaselineEstablished', { items: [SI_4, SI_2], milestones: [], total: SI_4.cost + SI_2.cost }),
        event('BoardCardCancelled', { cardId: 'C-1', changeOrderId: randomUUID() }),
      ]);
      log = await readLog(7);
      await apply(log.slice(5), warm);

      const expected = expectedState(log, PROJECT_ID);
      expect(expected.scopeOrder).toEqual(['SI-4', 'SI-2']);
      expect(Object.keys(expected.cardByRef).sort()).toEqual(['SI-2', 'SI-3']);
      expect(await new ReadModelQueries(database.sql).projectState(PROJECT_ID)).toEqual(expected);
      const { rows } = await database.sql.query<{ part: string; key: string }>(
        `SELECT part, key FROM project_state_parts WHERE project_id = $1 ` +
          `AND part IN ('scope', 'scopeOrder', 'cardByRef') ` +
          `ORDER BY part, key`,
        [PROJECT_ID],
      );
      // cardByRef is not stored: it is worked out from the cards when the state is read (checked above).
      expect(rows.map((r) => `${r.part}/${r.key}`)).toEqual(['scope/SI-2', 'scope/SI-4', 'scopeOrder/0']);
    });

    it(
      'one more command on a long project writes a handful of rows, ' + 'with warm states and after a restart',
      async () => {
        const projectId = randomUUID();
        const written = await bulkLoad(database.sql, projectHistory(projectId, 3_000, 22));
        const log = await readLog(written);
        let after = log[log.length - 1].position;
        const warm = new WarmProjectStates();
        await apply(log, warm);
        const total = await database.sql.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM project_state_parts WHERE project_id = $1`,
          [projectId],
        );
        expect(total.rows[0].n).toBeGreaterThan(1_000);

        /** The parts rows the transaction that applies the next event writes. */
        const rowsWrittenByNextCommand = async (number: number, cache: WarmProjectStates) => {
          await append(projectId, [requestLogged(number)]);
          const batch = await readLog(1, after);
          after = batch[batch.length - 1].position;
          return database.sql.transaction(async (tx: SqlQueryable) => {
            cache.remember(await applyProjectEvents(tx, batch, cache));
            const { rows } = await tx.query<{ part: string }>(
              `SELECT part FROM project_state_parts
             WHERE project_id = $1 AND xmin::text = (pg_current_xact_id()::text::bigint % 4294967296)::text ` +
                `ORDER BY part`,
              [projectId],
            );
            return rows.map((r) => r.part);
          });
        };
        expect(await rowsWrittenByNextCommand(90_001, warm)).toEqual(['changeRequestOrder', 'changeRequests']);
        // A new runner starts cold: the state it reads back is the base it compares with.
        expect(await rowsWrittenByNextCommand(90_002, new WarmProjectStates())).toEqual([
          'changeRequestOrder',
          'changeRequests',
        ]);
        expect(await new ReadModelQueries(database.sql).projectState(projectId)).toEqual(
          expectedState(await readLog(written + 2), projectId),
        );
      },
    );
  });

  it('a batch that fails halfway through its fold leaves no trace of it in the states it was folding', async () => {
    // The runner folds a batch into its warm states in place; when the batch fails it must forget
    // them, apply the events one by one from the tables, and park only the event that cannot apply.
    const runner = new ProjectionRunner(store, database.sql);
    await runner.start();
    try {
      await append(PROJECT_ID, [projectOpened, baselineEstablished, cardAdded(1, SI_1), requestLogged(1)]);
      await runner.waitFor(await store.headPosition());
      const unknownOrder = signatureOfUnknownOrder();
      // One append, so that the good events and the bad one arrive in the same batch.
      await append(PROJECT_ID, [requestLogged(2), unknownOrder, requestLogged(3)]);
      await runner.waitFor(await store.headPosition());
      await append(PROJECT_ID, [requestLogged(4)]);
      await runner.waitFor(await store.headPosition());

      const log = await readLog(8);
      const parked = await database.sql.query<{ event_type: string }>(
        `SELECT event_type FROM projection_parked_events`,
      );
      expect(parked.rows.map((r) => r.event_type)).toEqual(['ChangeOrderSigned']);
      const applied = log.filter((e) => e.type !== 'ChangeOrderSigned');
      const state = await new ReadModelQueries(database.sql).projectState(PROJECT_ID);
      expect(state?.changeRequestOrder).toHaveLength(4);
      expect({ ...state, revision: 0 }).toEqual({ ...expectedState(applied, PROJECT_ID), revision: 0 });
    } finally {
      await runner.stop();
    }
  });

  it('a rebuild in many batches writes what projecting live wrote, and parks the event it cannot apply', async () => {
    // On PostgreSQL a rebuild folds each batch while the previous one is written; small batches
    // make it do so about twenty times, and fail once in the middle.
    const written = await bulkLoad(
      database.sql,
      interleavedHistories({ totalEvents: 1_200, activeProjects: 3, eventsPerProject: [200, 600], seed: 11 }),
    );
    const projectId = projectIdOf((await readLog(written))[0].streamId);
    const unknownOrder = signatureOfUnknownOrder();
    await append(projectId, [requestLogged(90_001), unknownOrder, requestLogged(90_002)]);
    await bulkLoad(
      database.sql,
      interleavedHistories({ totalEvents: 600, activeProjects: 2, eventsPerProject: [100, 300], seed: 12 }),
    );
    const head = await store.headPosition();

    const dump = async () => ({
      states: (await database.sql.query(`SELECT * FROM project_states ORDER BY project_id`)).rows,
      parts: (await database.sql.query(`SELECT * FROM project_state_parts ORDER BY project_id, part, key`)).rows,
      portfolio: (await database.sql.query(`SELECT * FROM portfolio_rows ORDER BY project_id`)).rows,
      finance: (await database.sql.query(`SELECT * FROM finance_change_orders ORDER BY change_order_id`)).rows,
      links: (await database.sql.query(`SELECT * FROM signing_links ORDER BY token_sha256`)).rows,
      parked: (await database.sql.query(`SELECT event_type FROM projection_parked_events`)).rows,
    });
    const live = new ProjectionRunner(store, database.sql);
    await live.start();
    await live.waitFor(head);
    await live.stop();
    const projected = await dump();
    expect(projected.parked).toEqual([{ event_type: 'ChangeOrderSigned' }]);
    expect(projected.finance.length).toBeGreaterThan(0);

    const rebuilding = new ProjectionRunner(store, database.sql, undefined, 500, 97);
    expect(await rebuilding.rebuild()).toBe(written + 3 + 600);
    expect(await dump()).toEqual(projected);
    expect(rebuilding.checkpoint).toEqual(head);
  });

  it('upgrading splits the states stored whole: they read back, project on, and match a rebuild', async () => {
    // The read models as the previous version left them: one row per project holding the whole state.
    await migrate(database.sql, readModelMigrations.slice(0, 3));
    const written = await bulkLoad(
      database.sql,
      interleavedHistories({ totalEvents: 1_200, activeProjects: 3, eventsPerProject: [200, 600], seed: 3 }),
    );
    const log = await readLog(written);
    const projectIds = [...new Set(log.map((e) => projectIdOf(e.streamId)))];
    for (const projectId of projectIds) {
      const events = log.filter((e) => projectIdOf(e.streamId) === projectId);
      const state = foldProject(events.map((e) => ({ event: toProjectEvent(e)!, occurredAt: e.metadata.occurredAt })));
      const last = events[events.length - 1].position;
      await database.sql.query(
        `INSERT INTO project_states (project_id, state, commit_position, prepare_position, event_count) ` +
          `VALUES ($1, $2::jsonb, $3, $4, $5)`,
        [projectId, JSON.stringify(state), last.commit.toString(), last.prepare.toString(), events.length],
      );
    }

    await ProjectionRunner.prepare(database.sql);
    const queries = new ReadModelQueries(database.sql);
    for (const projectId of projectIds)
      expect(await queries.projectState(projectId)).toEqual(expectedState(log, projectId));

    // Projecting goes on from the split states, and a rebuild from the events gives the same rows.
    await append(projectIds[0], [requestLogged(90_001)]);
    await apply(await readLog(1, log[log.length - 1].position));
    const dump = async () => ({
      states: (await database.sql.query(`SELECT * FROM project_states ORDER BY project_id`)).rows,
      parts: (await database.sql.query(`SELECT * FROM project_state_parts ORDER BY project_id, part, key`)).rows,
    });
    const upgraded = await dump();
    expect(upgraded.parts.length).toBeGreaterThan(500);
    await new ProjectionRunner(store, database.sql).rebuild();
    expect(await dump()).toEqual(upgraded);
    expect(await queries.projectState(projectIds[0])).toEqual(expectedState(await readLog(written + 1), projectIds[0]));
  });
});
