import { setTimeout as sleep } from 'node:timers/promises';
import { conflict, recordChanges } from '@scope-ledger/domain';
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
import { ChangeOrderDocumentsProjector } from './change-order-documents-projector';
import { PortfolioProjector } from './portfolio-projector';
import { HandlerBatch, ProjectEventHandler } from './project-event-handler';
import { PROJECT_STREAM_PREFIX, projectIdOf, toProjectEvent } from './project-events';
import { readModelMigrations } from './read-model.migrations';
import { applyChange, ChangedRows, loadProjects, PROJECT_TABLES } from './record-tables';

/** The processor's row in `projection_checkpoints`. */
const PROJECTION_NAME = 'projects';
/** Reactors act on the events after this row's position only. */
const REACTORS = 'reactors';

/** Events per rebuild batch; PGlite keeps its database in this process's memory, so it gets smaller ones. */
export const REBUILD_BATCH_SIZE = { postgres: 20_000, pglite: 5_000 } as const;
const FOLLOW_INTERVAL_MS = 100;
const TICKS_PER_TAKEOVER = 20;
const LONGEST_RETRY_MS = 30_000;

export interface ProcessorLogger {
  log(message: string): void;
  error(message: string): void;
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

/** An event that cannot be applied: its fold or a handler failed. */
class EventFault extends Error {
  constructor(cause: unknown) {
    super(describe(cause), { cause });
    this.name = 'EventFault';
  }
}

/** Faults of the event, or of the rows it produced (SQLSTATE 22 and 23); not a lost connection, say. */
function isEventFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return error instanceof EventFault || (typeof code === 'string' && /^2[23]/.test(code));
}

interface Term {
  readonly leadership: Leadership;
  readonly reactorsAfter: Position;
  /** Aborted when the term ends, to wake a batch waiting to be retried. */
  readonly ended: AbortController;
  subscription?: Subscription;
}

/**
 * Feeds the read tables from the project streams and hosts the projectors and reactors. Each
 * batch, its handlers' writes and the checkpoint commit in one transaction; a project's rows
 * skip the events at or before its stored revision, so redelivery is harmless.
 *
 * Of several servers on one database only the holder of a lock is active; the others follow
 * the checkpoint (so that waitFor works everywhere) and try to take the lock every two seconds.
 * Database failures never end the process: batches are retried, a lost lock is taken again.
 */
export class EventProcessor {
  private readonly projectors: ProjectEventHandler[] = [new PortfolioProjector(), new ChangeOrderDocumentsProjector()];
  private readonly reactors: ProjectEventHandler[] = [];
  private readonly logger: ProcessorLogger;
  private position: Position = START;
  private started = false;
  private running = false;
  private term?: Term;
  private timer?: NodeJS.Timeout;
  private idleTicks = 0;
  /** Whether the last attempt to follow or lead failed: an outage is logged once, not every tick. */
  private failing = false;
  private readonly waiters = new Set<{ position: Position; done: () => void }>();
  /** Set while a rebuild runs: reads in this process wait for it rather than see half-filled tables. */
  private rebuilding?: Promise<number>;

  private constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly options: EventProcessorOptions,
    private readonly lockName: string,
  ) {
    this.logger = options.logger ?? { log: () => undefined, error: () => undefined };
  }

  /** A processor, not started yet, on read tables brought up to date. */
  static async create(store: EventStore, sql: SqlClient, options: EventProcessorOptions = {}): Promise<EventProcessor> {
    await EventProcessor.prepare(sql);
    // The schema is part of the lock's name so that deployments sharing one server do not compete.
    const { rows } = await sql.query<{ schema: string }>(`SELECT current_schema() AS schema`);
    return new EventProcessor(store, sql, options, `scope-ledger:projections:${rows[0].schema}:${PROJECTION_NAME}`);
  }

  /** Creates or updates the read tables. */
  static async prepare(sql: SqlClient): Promise<void> {
    await migrate(sql, readModelMigrations);
  }

  /** Adds a projector: it sees every event, also in rebuilds, and its tables are emptied by a rebuild. */
  addProjector(handler: ProjectEventHandler): void {
    this.add(this.projectors, handler);
  }

  /** Adds a reactor: it sees each event once, when first processed, and never the events before it existed. */
  addReactor(handler: ProjectEventHandler): void {
    this.add(this.reactors, handler);
  }

  private add(handlers: ProjectEventHandler[], handler: ProjectEventHandler): void {
    if (this.started) throw new Error('Handlers are added before the event processor starts');
    handlers.push(handler);
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
    await this.endTerm();
  }

  /** Resolves once every event up to `position` is in the read tables (read-your-writes). */
  async waitFor(position: Position = START, timeoutMs = 10_000): Promise<void> {
    await this.rebuilding?.catch(() => undefined);
    if (comparePositions(this.position, position) >= 0) return;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new ReadModelsBehindError(timeoutMs));
      }, timeoutMs);
      const waiter = {
        position,
        done: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Empties the read tables and applies every event again; reactors see only events they have not seen. */
  async rebuild(onProgress?: (progress: { processed: number }) => void): Promise<number> {
    const run = this.rebuildNow(onProgress);
    this.rebuilding = run;
    try {
      return await run;
    } finally {
      if (this.rebuilding === run) this.rebuilding = undefined;
    }
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

  /** Applies a parked event again to its project as it is now, and unparks it; false when it is not parked. */
  async retryParked(eventId: string): Promise<boolean> {
    const { rows } = await this.sql.query<{ stream_id: string; revision: string }>(
      `SELECT stream_id, stream_revision::text AS revision FROM projection_parked_events WHERE event_id = $1`,
      [eventId],
    );
    const [parked] = rows;
    if (!parked) return false;
    const stream = await this.store.readStream(parked.stream_id, { fromRevision: BigInt(parked.revision) });
    const event = stream.find((e) => e.id === eventId);
    if (!event) throw new Error(`Event ${eventId} is no longer in stream ${parked.stream_id}`);
    try {
      await this.commit([event], START, true);
    } catch (error) {
      if (!isEventFault(error)) throw error;
      await this.sql.query(`UPDATE projection_parked_events SET error = $2 WHERE event_id = $1`, [
        eventId,
        describe(error),
      ]);
      throw conflict(`The event still cannot be applied, so it stays parked: ${describe(error)}`);
    }
    return true;
  }

  private async tryToLead(): Promise<void> {
    let leadership: Leadership | undefined;
    try {
      leadership = await this.sql.tryLeadership(this.lockName);
      if (!leadership) return;
      const position = (await this.loadCheckpoint(PROJECTION_NAME)) ?? START;
      const term: Term = { leadership, reactorsAfter: await this.reactorsPosition(), ended: new AbortController() };
      if (!this.running) throw new Error('The event processor stopped');
      this.term = term;
      this.position = position;
      // Every stream, so the checkpoint passes the catalogue's events too and reads never wait for them.
      term.subscription = this.store.subscribe((batch) => this.handleLive(term, batch), { after: position });
      void leadership.lost.then(async () => {
        if (this.term !== term) return;
        this.logger.error('Lost the projection lock; following the checkpoint and trying to take the lock again');
        await this.endTerm();
      });
      this.failing = false;
      this.logger.log('The event processor is active on this server');
    } catch (error) {
      if (this.running) this.failed(leadership ? 'Taking over the projections' : 'Taking the projection lock', error);
      await leadership?.release().catch(() => undefined);
    }
  }

  private async endTerm(): Promise<void> {
    const term = this.term;
    this.term = undefined;
    if (!term) return;
    term.ended.abort();
    await term.subscription?.stop().catch(() => undefined);
    await term.leadership.release().catch(() => undefined);
  }

  /** While not active: follows the checkpoint every 100 ms, and tries to take the lock every two seconds. */
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
        if (++this.idleTicks % TICKS_PER_TAKEOVER === 0 && this.running) await this.tryToLead();
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
        return await this.process(batch, term.reactorsAfter);
      } catch (error) {
        const delay = Math.min(100 * 2 ** attempt, LONGEST_RETRY_MS);
        this.logger.error(`Projecting events failed (${describe(error)}); retrying in ${delay} ms`);
        await sleep(delay, undefined, { signal: term.ended.signal }).catch(() => undefined);
      }
    }
  }

  /** Applies a batch, or when an event in it cannot be applied, its events one by one, parking those that fail. */
  private async process(batch: readonly RecordedEvent[], reactorsAfter: Position): Promise<void> {
    try {
      await this.commit(batch, reactorsAfter);
    } catch (error) {
      if (!isEventFault(error)) throw error;
      if (batch.length === 1) return this.park(batch[0], error);
      this.logger.error(`A batch of ${batch.length} events failed (${describe(error)}); applying them one by one`);
      for (const event of batch) await this.process([event], reactorsAfter);
    }
  }

  /** One transaction: the batch, its handlers' writes, and the checkpoint (or, for a parked event, its unparking). */
  private async commit(batch: readonly RecordedEvent[], reactorsAfter: Position, parked = false): Promise<void> {
    const last = batch[batch.length - 1].position;
    const handlers = await this.sql.transaction(async (tx) => {
      const handled = await this.apply(tx, batch, reactorsAfter, parked);
      if (parked) await tx.query(`DELETE FROM projection_parked_events WHERE event_id = $1`, [batch[0].id]);
      else await saveCheckpoints(tx, [PROJECTION_NAME, REACTORS], last);
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

  /** Loads what the events need, applies each to its project and hands it to the handlers, then writes it all. */
  private async apply(tx: SqlQueryable, batch: readonly RecordedEvent[], reactorsAfter: Position, parked: boolean) {
    const events = batch
      .filter(isProjectEvent)
      .map((recorded) => ({
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
        throw new EventFault(error);
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
      await saveCheckpoints(tx, [PROJECTION_NAME, REACTORS], event.position);
    });
    this.advance(event.position);
    this.logger.error(
      `Parked event ${event.id} (${event.type} in ${event.streamId}) at ${formatPosition(event.position)}: ` +
        describe(error),
    );
  }

  private async rebuildNow(onProgress?: (progress: { processed: number }) => void): Promise<number> {
    const wasRunning = this.running;
    await this.stop();
    // Only the holder of the lock may write the tables.
    const lock = await this.sql.tryLeadership(this.lockName);
    let processed = 0;
    try {
      if (!lock) throw conflict('Another server is running the projections; rebuild on that server or stop it first');
      const reactorsAfter = await this.reactorsPosition();
      const tables = [...PROJECT_TABLES, ...this.projectors.flatMap((handler) => handler.tables ?? [])];
      await this.sql.transaction(async (tx) => {
        await tx.query(`TRUNCATE ${tables.join(', ')}, projection_parked_events`);
        await tx.query(`DELETE FROM projection_checkpoints WHERE name = $1`, [PROJECTION_NAME]);
      });
      this.position = START;
      const limit = this.options.rebuildBatchSize ?? REBUILD_BATCH_SIZE[this.sql.dialect];
      for (let after = START; ;) {
        const batch = await this.store.readAll({ after, limit });
        if (batch.length === 0) break;
        await this.process(batch, reactorsAfter);
        after = batch[batch.length - 1].position;
        processed += batch.length;
        onProgress?.({ processed });
      }
    } finally {
      await lock?.release().catch(() => undefined);
      if (wasRunning)
        await this.start().catch((error: unknown) =>
          this.logger.error(`Restarting the event processor failed: ${describe(error)}`),
        );
    }
    return processed;
  }

  /** Where reactors stopped or, where they never ran, the head of the log: nobody is emailed about the past. */
  private async reactorsPosition(): Promise<Position> {
    const stored = await this.loadCheckpoint(REACTORS);
    if (stored) return stored;
    const head = await this.store.headPosition();
    if (comparePositions(head, START) > 0)
      this.logger.log(`Reactors start at the end of the existing event log (${formatPosition(head)})`);
    await saveCheckpoints(this.sql, [REACTORS], head);
    return head;
  }

  private advance(position: Position): void {
    if (comparePositions(position, this.position) > 0) this.position = position;
    for (const waiter of this.waiters) if (comparePositions(this.position, waiter.position) >= 0) waiter.done();
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

/** Moves the named checkpoints forward to `position`, never back. */
async function saveCheckpoints(tx: SqlQueryable, names: readonly string[], position: Position): Promise<void> {
  await tx.query(
    `INSERT INTO projection_checkpoints (name, commit_position, prepare_position, updated_at)
     SELECT unnest($1::text[]), $2::bigint, $3::bigint, now()
     ON CONFLICT (name) DO UPDATE SET commit_position = EXCLUDED.commit_position,
       prepare_position = EXCLUDED.prepare_position, updated_at = now()
     WHERE (projection_checkpoints.commit_position, projection_checkpoints.prepare_position)
       < (EXCLUDED.commit_position, EXCLUDED.prepare_position)`,
    [names, position.commit.toString(), position.prepare.toString()],
  );
}

/** Events of project streams; the catalogue's are read where they are used, and only move the checkpoint. */
function isProjectEvent(recorded: RecordedEvent): boolean {
  return recorded.streamId.startsWith(PROJECT_STREAM_PREFIX);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
