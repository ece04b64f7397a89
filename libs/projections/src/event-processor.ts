import { recordChanges } from '@scope-ledger/domain';
import {
  comparePositions,
  EventStore,
  formatPosition,
  Leadership,
  migrate,
  Position,
  RecordedEvent,
  SqlClient,
  SqlQueryable,
  START,
  Subscription,
} from '@scope-ledger/event-store';
import { PortfolioProjector } from './portfolio-projector';
import { HandlerBatch, ProjectEventHandler } from './project-event-handler';
import { PROJECT_STREAM_PREFIX, projectIdOf, toProjectEvent } from './project-events';
import { readModelMigrations } from './read-model.migrations';
import { applyChange, ChangedRows, loadProjects, PROJECT_TABLES } from './record-tables';

/** The processor's row in `projection_checkpoints`. */
export const PROJECTION_NAME = 'projects';
/** Reactors act on the events after this row's position only (see reactorsPosition). */
const REACTORS = 'reactors';

/**
 * Events per batch when rebuilding. PGlite's database lives in this process's memory, so it
 * gets smaller batches; on PostgreSQL bigger ones write less (a record is written once per batch).
 */
export const REBUILD_BATCH_SIZE = { postgres: 20_000, pglite: 5_000 } as const;
const TAKEOVER_INTERVAL_MS = 2_000;
const FOLLOW_INTERVAL_MS = 100;
const LONGEST_RETRY_MS = 30_000;

export interface ProcessorLogger {
  log(message: string): void;
  error(message: string): void;
}

export interface RebuildProgress {
  processed: number;
  total: number | undefined;
}

export interface EventProcessorOptions {
  readonly logger?: ProcessorLogger;
  readonly rebuildBatchSize?: number;
}

export interface ParkedEvent {
  eventId: string;
  streamId: string;
  revision: number;
  eventType: string;
  position: string;
  error: string;
  parkedAt: string;
}

/** The read models lag behind a write for longer than a reader will wait (answered as 503). */
export class ReadModelsBehindError extends Error {
  constructor(readonly waitedMs: number) {
    super(`The read models did not catch up within ${waitedMs} ms; try again shortly`);
    this.name = 'ReadModelsBehindError';
  }
}

/** An event that cannot be applied: its fold or a handler failed, or the database refused its data. */
export class EventFault extends Error {
  constructor(
    readonly event: Pick<RecordedEvent, 'id' | 'type' | 'streamId'>,
    cause: unknown,
  ) {
    super(describe(cause), { cause });
    this.name = 'EventFault';
  }
}

/**
 * SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation) are about the
 * rows an event produced; any other database error (a lost connection above all) passes.
 */
function isEventFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return error instanceof EventFault || (typeof code === 'string' && /^2[23]/.test(code));
}

interface Term {
  readonly leadership: Leadership;
  readonly reactorsAfter: Position;
  subscription?: Subscription;
}

/**
 * Feeds the read tables from the project streams and hosts the projectors and reactors that
 * work from the same events. Each batch, its handlers' writes and the checkpoint commit in one
 * transaction; delivery is at least once and a project's rows skip the events at or before its
 * stored revision, so redelivery is harmless.
 *
 * With several servers on one database exactly one processor is active: the holder of a lock.
 * The others follow the checkpoint (so that waitFor works on every server) and try to take the
 * lock every two seconds. Database failures never end the process: a batch is retried with
 * backoff, and a lost lock is taken again once the database is back.
 */
export class EventProcessor {
  private readonly projectors: ProjectEventHandler[] = [new PortfolioProjector()];
  private readonly reactors: ProjectEventHandler[] = [];
  private readonly logger: ProcessorLogger;
  private position: Position = START;
  private started = false;
  private running = false;
  private term?: Term;
  private timer?: NodeJS.Timeout;
  private sinceTakeover = 0;
  /** Whether the last attempt to follow or take the lock failed: an outage is logged once, not every tick. */
  private failing = false;
  private waiters: { position: Position; resolve: () => void }[] = [];
  private readonly sleepers = new Set<() => void>();
  /** Set while a rebuild runs: reads in this process wait for it rather than see half-filled tables. */
  private rebuilding?: Promise<unknown>;

  private constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly options: EventProcessorOptions,
  ) {
    this.logger = options.logger ?? { log: () => undefined, error: () => undefined };
  }

  /** A processor, not started yet, on read tables brought up to date. */
  static async create(store: EventStore, sql: SqlClient, options: EventProcessorOptions = {}): Promise<EventProcessor> {
    await EventProcessor.prepare(sql);
    return new EventProcessor(store, sql, options);
  }

  /** Creates or updates the read tables. */
  static async prepare(sql: SqlClient): Promise<void> {
    await migrate(sql, readModelMigrations);
  }

  /** Adds a projector: it sees every event, also in rebuilds, and its tables are emptied by a rebuild. */
  addProjector(handler: ProjectEventHandler): void {
    this.beforeStart();
    this.projectors.push(handler);
  }

  /** Adds a reactor: it sees each event once, when first processed, and never the events before it existed. */
  addReactor(handler: ProjectEventHandler): void {
    this.beforeStart();
    this.reactors.push(handler);
  }

  private beforeStart(): void {
    if (this.started) throw new Error('Handlers are added before the event processor starts');
  }

  /** How far the read tables are, as this server knows. */
  get checkpoint(): Position {
    return this.position;
  }

  get isActive(): boolean {
    return this.term !== undefined;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.started = true;
    this.running = true;
    this.position = (await this.loadCheckpoint(PROJECTION_NAME)) ?? START;
    await this.tryToLead();
    this.tick();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    const term = this.term;
    this.term = undefined;
    for (const wake of this.sleepers) wake();
    if (term) {
      await term.subscription?.stop().catch(() => undefined);
      await term.leadership.release().catch(() => undefined);
    }
  }

  /** Resolves once every event up to `position` is in the read tables (read-your-writes). */
  async waitFor(position: Position = START, timeoutMs = 10_000): Promise<void> {
    if (this.rebuilding) await this.rebuilding.catch(() => undefined);
    if (comparePositions(this.position, position) >= 0) return;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new ReadModelsBehindError(timeoutMs));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ position, resolve: done });
    });
  }

  /** Empties the read tables and applies every event again; reactors see only events they have not seen. */
  rebuild(onProgress?: (progress: RebuildProgress) => void): Promise<number> {
    const run = this.rebuildNow(onProgress);
    this.rebuilding = run;
    void run
      .catch(() => undefined)
      .then(() => {
        if (this.rebuilding === run) this.rebuilding = undefined;
      });
    return run;
  }

  async parkedEvents(): Promise<ParkedEvent[]> {
    const { rows } = await this.sql.query<ParkedEvent>(
      `SELECT event_id AS "eventId", stream_id AS "streamId", stream_revision::float8 AS revision,
         event_type AS "eventType", commit_position::text || '/' || prepare_position::text AS position, error,
         to_char(parked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "parkedAt"
       FROM projection_parked_events ORDER BY commit_position, prepare_position`,
    );
    return rows;
  }

  /**
   * Applies a parked event again, onto its project's rows as they are now, with every handler,
   * and unparks it. False when no such event is parked; throws an EventFault when it still fails.
   */
  async retryParked(eventId: string): Promise<boolean> {
    const { rows } = await this.sql.query<{ stream_id: string; revision: string }>(
      `SELECT stream_id, stream_revision::text AS revision FROM projection_parked_events WHERE event_id = $1`,
      [eventId],
    );
    if (!rows[0]) return false;
    const stream = await this.store.readStream(rows[0].stream_id, { fromRevision: BigInt(rows[0].revision) });
    const event = stream.find((e) => e.id === eventId);
    if (!event) throw new Error(`Event ${eventId} is no longer in stream ${rows[0].stream_id}`);
    try {
      await this.commit([event], { reactorsAfter: START, parked: true });
    } catch (error) {
      if (isEventFault(error))
        await this.sql.query(`UPDATE projection_parked_events SET error = $2 WHERE event_id = $1`, [
          eventId,
          describe(error),
        ]);
      throw error;
    }
    return true;
  }

  private async lockName(): Promise<string> {
    // The schema is part of the name so that deployments sharing one server do not compete.
    const schema = (await this.sql.query<{ schema: string }>(`SELECT current_schema() AS schema`)).rows[0].schema;
    return `scope-ledger:projections:${schema}:${PROJECTION_NAME}`;
  }

  private async tryToLead(): Promise<void> {
    let leadership: Leadership | undefined;
    try {
      leadership = await this.sql.tryLeadership(await this.lockName());
    } catch (error) {
      this.failed('Taking the projection lock', error);
      return;
    }
    if (!leadership) return;
    try {
      const position = (await this.loadCheckpoint(PROJECTION_NAME)) ?? START;
      const reactorsAfter = await this.reactorsPosition();
      if (!this.running) throw new Error('The event processor stopped');
      const term: Term = { leadership, reactorsAfter };
      this.term = term;
      this.position = position;
      term.subscription = this.store.subscribe((batch) => this.handleLive(term, batch), {
        after: position,
        streamPrefix: PROJECT_STREAM_PREFIX,
      });
      void leadership.lost.then(() => this.lose(term));
      this.failing = false;
      this.logger.log('The event processor is active on this server');
    } catch (error) {
      if (this.running) this.failed('Taking over the projections', error);
      await leadership.release().catch(() => undefined);
    }
  }

  private async lose(term: Term): Promise<void> {
    if (this.term !== term) return;
    this.term = undefined;
    this.logger.error('Lost the projection lock; following the checkpoint and trying to take the lock again');
    for (const wake of this.sleepers) wake();
    await term.subscription?.stop().catch(() => undefined);
    await term.leadership.release().catch(() => undefined);
  }

  /** Every 100 ms while not active: follow the checkpoint; every two seconds, try to take the lock. */
  private tick(): void {
    if (!this.running) return;
    this.timer = setTimeout(async () => {
      if (!this.term) {
        try {
          const checkpoint = await this.loadCheckpoint(PROJECTION_NAME);
          if (checkpoint) this.advance(checkpoint);
          this.failing = false;
        } catch (error) {
          this.failed('Following the projection checkpoint', error);
        }
        this.sinceTakeover += FOLLOW_INTERVAL_MS;
        if (this.sinceTakeover >= TAKEOVER_INTERVAL_MS && this.running) {
          this.sinceTakeover = 0;
          await this.tryToLead();
        }
      }
      this.tick();
    }, FOLLOW_INTERVAL_MS);
    this.timer.unref();
  }

  private failed(what: string, error: unknown): void {
    if (!this.failing) this.logger.error(`${what} failed (${describe(error)}); trying again every two seconds`);
    this.failing = true;
  }

  /** Never throws: a database failure is retried with backoff while this term lasts. */
  private async handleLive(term: Term, batch: readonly RecordedEvent[]): Promise<void> {
    for (let attempt = 0; this.term === term; attempt++) {
      try {
        await this.process(batch, term.reactorsAfter);
        return;
      } catch (error) {
        const delay = Math.min(100 * 2 ** attempt, LONGEST_RETRY_MS);
        this.logger.error(`Projecting events failed (${describe(error)}); retrying in ${delay} ms`);
        await this.sleep(delay);
      }
    }
  }

  /**
   * Applies a batch in one transaction. When one of its events cannot be applied, applies them
   * one by one and parks those that fail. Throws only what the database fails with.
   */
  private async process(batch: readonly RecordedEvent[], reactorsAfter: Position): Promise<void> {
    try {
      await this.commit(batch, { reactorsAfter });
    } catch (batchError) {
      if (!isEventFault(batchError)) throw batchError;
      this.logger.error(`A batch of ${batch.length} events failed (${describe(batchError)}); applying them one by one`);
      for (const event of batch) {
        try {
          await this.commit([event], { reactorsAfter });
        } catch (error) {
          if (!isEventFault(error)) throw error;
          await this.park(event, error);
        }
      }
    }
  }

  private async commit(
    batch: readonly RecordedEvent[],
    { reactorsAfter, parked = false }: { reactorsAfter: Position; parked?: boolean },
  ): Promise<void> {
    const last = batch[batch.length - 1].position;
    const handlers = await this.sql.transaction(async (tx) => {
      const handled = await this.apply(tx, batch, reactorsAfter, parked);
      if (parked)
        await tx.query(`DELETE FROM projection_parked_events WHERE event_id = ANY($1::text[])`, [
          batch.map((e) => e.id),
        ]);
      else await saveCheckpoints(tx, last);
      return handled;
    });
    for (const handler of handlers) {
      try {
        handler.afterCommit?.();
      } catch (error) {
        this.logger.error(`After a projection batch: ${describe(error)}`);
      }
    }
    if (!parked) this.advance(last);
  }

  /**
   * Reads what the batch's events need, applies each event to its project's records and hands
   * it to the handlers, then writes every changed row and the handlers' rows.
   */
  private async apply(
    tx: SqlQueryable,
    batch: readonly RecordedEvent[],
    reactorsAfter: Position,
    parked: boolean,
  ): Promise<HandlerBatch[]> {
    const events = batch.map((recorded) => ({
      recorded,
      projectId: projectIdOf(recorded.streamId),
      revision: Number(recorded.revision),
      event: toProjectEvent(recorded),
    }));
    const projects = await loadProjects(tx, events, { includeApplied: parked });
    const projectIds = [...projects.keys()];
    const projectors: HandlerBatch[] = [];
    for (const handler of this.projectors) projectors.push(await handler.begin(tx, projectIds));
    const reactors: HandlerBatch[] = [];
    for (const handler of this.reactors) reactors.push(await handler.begin(tx, projectIds));
    const rows = new ChangedRows();
    for (const { recorded, projectId, revision, event } of events) {
      const project = projects.get(projectId)!;
      if (!parked && revision <= project.revision) continue;
      project.revision = Math.max(project.revision, revision);
      if (!event) {
        rows.add(projectId, project, []);
        continue;
      }
      try {
        const changes = recordChanges(event, project.state).map((change) => applyChange(project.state, change));
        const applied = { recorded, event, projectId, changes };
        for (const handler of projectors) handler.handle(applied);
        if (comparePositions(recorded.position, reactorsAfter) > 0)
          for (const handler of reactors) handler.handle(applied);
        rows.add(projectId, project, changes);
      } catch (error) {
        throw new EventFault(recorded, error);
      }
    }
    await rows.write(tx);
    for (const handler of [...projectors, ...reactors]) await handler.write(tx);
    return [...projectors, ...reactors];
  }

  private async park(event: RecordedEvent, error: unknown): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO projection_parked_events
           (event_id, stream_id, stream_revision, event_type, commit_position, prepare_position, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (event_id) DO UPDATE SET error = EXCLUDED.error, parked_at = now()`,
        [
          event.id,
          event.streamId,
          event.revision.toString(),
          event.type,
          event.position.commit.toString(),
          event.position.prepare.toString(),
          describe(error),
        ],
      );
      await saveCheckpoints(tx, event.position);
    });
    this.advance(event.position);
    this.logger.error(
      `Parked event ${event.id} (${event.type} in ${event.streamId}) at ${formatPosition(event.position)}: ` +
        describe(error),
    );
  }

  private async rebuildNow(onProgress?: (progress: RebuildProgress) => void): Promise<number> {
    const wasRunning = this.running;
    await this.stop();
    // Only the holder of the lock may write the tables.
    const lock = await this.sql.tryLeadership(await this.lockName());
    if (!lock) {
      if (wasRunning) await this.start();
      throw new Error('Another server is running the projections; rebuild on that server or stop it first');
    }
    let processed = 0;
    try {
      const reactorsAfter = await this.reactorsPosition();
      const tables = [
        ...PROJECT_TABLES,
        ...this.projectors.flatMap((handler) => handler.tables ?? []),
        'projection_parked_events',
      ];
      await this.sql.transaction(async (tx) => {
        await tx.query(`TRUNCATE ${tables.join(', ')}`);
        await tx.query(`DELETE FROM projection_checkpoints WHERE name = $1`, [PROJECTION_NAME]);
      });
      this.position = START;
      const limit = this.options.rebuildBatchSize ?? REBUILD_BATCH_SIZE[this.sql.dialect];
      for (let after = START; ;) {
        const batch = await this.store.readAll({ after, limit, streamPrefix: PROJECT_STREAM_PREFIX });
        if (batch.length === 0) break;
        await this.process(batch, reactorsAfter);
        after = batch[batch.length - 1].position;
        processed += batch.length;
        onProgress?.({ processed, total: undefined });
      }
    } finally {
      await lock.release().catch(() => undefined);
      if (wasRunning)
        await this.start().catch((error: unknown) =>
          this.logger.error(`Restarting the event processor failed: ${describe(error)}`),
        );
    }
    return processed;
  }

  /**
   * Where reactors begin: where they stopped, or on a database that never ran them, at the head
   * of the log, so that clients are not emailed about what happened before.
   */
  private async reactorsPosition(): Promise<Position> {
    const stored = await this.loadCheckpoint(REACTORS);
    if (stored) return stored;
    const head = await this.store.headPosition();
    if (comparePositions(head, START) > 0)
      this.logger.log(`Reactors start at the end of the existing event log (${formatPosition(head)})`);
    await this.sql.query(
      `INSERT INTO projection_checkpoints (name, commit_position, prepare_position) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO NOTHING`,
      [REACTORS, head.commit.toString(), head.prepare.toString()],
    );
    return (await this.loadCheckpoint(REACTORS))!;
  }

  private advance(position: Position): void {
    if (comparePositions(position, this.position) > 0) this.position = position;
    const ready = this.waiters.filter((w) => comparePositions(this.position, w.position) >= 0);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const waiter of ready) waiter.resolve();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private async loadCheckpoint(name: string): Promise<Position | undefined> {
    const { rows } = await this.sql.query<{ commit_position: string; prepare_position: string }>(
      `SELECT commit_position::text AS commit_position, prepare_position::text AS prepare_position
       FROM projection_checkpoints WHERE name = $1`,
      [name],
    );
    return rows[0] ? { commit: BigInt(rows[0].commit_position), prepare: BigInt(rows[0].prepare_position) } : undefined;
  }
}

/** The processor's checkpoint and the reactors', each only ever moved forward. */
async function saveCheckpoints(tx: SqlQueryable, position: Position): Promise<void> {
  await tx.query(
    `INSERT INTO projection_checkpoints (name, commit_position, prepare_position, updated_at)
     VALUES ($1, $3, $4, now()), ($2, $3, $4, now())
     ON CONFLICT (name) DO UPDATE SET commit_position = EXCLUDED.commit_position,
       prepare_position = EXCLUDED.prepare_position, updated_at = now()
     WHERE (projection_checkpoints.commit_position, projection_checkpoints.prepare_position)
       < (EXCLUDED.commit_position, EXCLUDED.prepare_position)`,
    [PROJECTION_NAME, REACTORS, position.commit.toString(), position.prepare.toString()],
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
