import {
  comparePositions,
  EventStore,
  EventToFold,
  Leadership,
  migrate,
  Position,
  queryKept,
  SqlClient,
  SqlQueryable,
  START,
  Subscription,
} from '@scope-ledger/event-store';
import {
  applyProjectEvents,
  FoldedProject,
  foldProjectEvents,
  READ_MODEL_TABLES,
  WarmProjectStates,
  writeFoldedProjects,
} from './project-read-model';
import { PROJECT_STREAM_PREFIX, projectIdOf } from './project-events';
import { readModelMigrations } from './read-model.migrations';

export const PROJECTION_NAME = 'projects';

/**
 * Events per batch when rebuilding: memory stays bounded by this, whatever the log's length.
 * PGlite's database lives in this process's memory and its WebAssembly heap never shrinks, so
 * it gets smaller batches; on PostgreSQL bigger ones write less (a project is written once per
 * batch that touches it).
 */
export const REBUILD_BATCH_SIZE = { postgres: 20_000, pglite: 5_000 } as const;

export interface ProjectionLogger {
  log(message: string): void;
  error(message: string): void;
}

export interface RebuildProgress {
  processed: number;
  total: number | undefined;
}

/**
 * Feeds the project read models from the event store. Each batch and the checkpoint commit
 * in one transaction, so after a crash the runner resumes exactly where the tables are.
 * Delivery is at least once; the read model skips events it has already applied.
 *
 * With several servers on one PostgreSQL, exactly one runner is active: it holds a session
 * advisory lock. The others follow the checkpoint table (for read-your-writes) and try to
 * take over every few seconds, so a dead leader is replaced as soon as its session ends.
 */
export class ProjectionRunner {
  private position: Position = START;
  private subscription?: Subscription;
  private waiters: { position: Position; resolve: () => void }[] = [];
  private leadership?: Leadership;
  private followTimer?: NodeJS.Timeout;
  private running = false;
  private readonly warm = new WarmProjectStates();
  /** Set while a rebuild runs: reads in this process wait for it rather than see half-filled tables. */
  private rebuilding?: Promise<unknown>;
  private readonly takeoverIntervalMs = 2_000;

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly logger: ProjectionLogger = { log: () => undefined, error: () => undefined },
    private readonly batchSize = 500,
    private readonly rebuildBatchSize: number = REBUILD_BATCH_SIZE[sql.dialect],
    private readonly gatherMs = LIVE_GATHER_MS,
  ) {}

  static async prepare(sql: SqlClient): Promise<void> {
    await migrate(sql, readModelMigrations);
  }

  get checkpoint(): Position {
    return this.position;
  }

  get isLeader(): boolean {
    return this.leadership !== undefined;
  }

  async start(): Promise<void> {
    await ProjectionRunner.prepare(this.sql);
    this.running = true;
    this.position = await this.loadCheckpoint();
    if (!(await this.tryToLead())) this.follow();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.followTimer);
    this.followTimer = undefined;
    await this.subscription?.stop();
    this.subscription = undefined;
    await this.leadership?.release();
    this.leadership = undefined;
  }

  private async lockName(): Promise<string> {
    // The schema is part of the name so that deployments sharing one server do not compete.
    const schema = (await this.sql.query<{ schema: string }>(`SELECT current_schema() AS schema`)).rows[0].schema;
    return `scope-ledger:projections:${schema}:${PROJECTION_NAME}`;
  }

  private async tryToLead(): Promise<boolean> {
    if (!this.running) return false;
    const leadership = await this.sql.tryLeadership(await this.lockName()).catch(() => undefined);
    if (!leadership) return false;
    this.leadership = leadership;
    // Another runner may have written the tables while this one followed.
    this.warm.clear();
    this.logger.log('Projection runner is active on this server');
    this.position = await this.loadCheckpoint();
    this.subscription = this.store.subscribe((batch) => this.handle(batch), {
      after: this.position,
      streamPrefix: PROJECT_STREAM_PREFIX,
      batchSize: this.batchSize,
      gatherMs: this.gatherMs,
    });
    void leadership.lost.then(async () => {
      if (this.leadership !== leadership) return;
      this.logger.error('Lost the projection lock; following the active runner');
      this.leadership = undefined;
      await this.subscription?.stop();
      this.subscription = undefined;
      this.follow();
    });
    return true;
  }

  /** Another server runs the projections: track its checkpoint and stand by to take over. */
  private follow(): void {
    if (!this.running) return;
    let sinceTakeover = 0;
    const tick = async () => {
      if (!this.running) return;
      try {
        const checkpoint = await this.loadCheckpoint();
        if (comparePositions(checkpoint, this.position) > 0) this.advance(checkpoint);
        sinceTakeover += 100;
        if (sinceTakeover >= this.takeoverIntervalMs) {
          sinceTakeover = 0;
          if (await this.tryToLead()) return;
        }
      } catch (error) {
        this.logger.error(`Following the projection checkpoint failed: ${describe(error)}`);
      }
      this.followTimer = setTimeout(() => void tick(), 100);
      this.followTimer.unref();
    };
    this.followTimer = setTimeout(() => void tick(), 100);
    this.followTimer.unref();
  }

  /** Resolves once every event up to `position` is in the read models (read-your-writes). */
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
      // The events it waits for are read now, not at the end of the gather.
      this.subscription?.hurry();
    });
  }

  /** Empties the read models and replays every event from the start. */
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

  private async rebuildNow(onProgress?: (progress: RebuildProgress) => void): Promise<number> {
    const wasRunning = this.running;
    await this.stop();
    await ProjectionRunner.prepare(this.sql);
    // Only the holder of the projection lock may rewrite the tables.
    const lock = await this.sql.tryLeadership(await this.lockName());
    if (!lock) {
      if (wasRunning) await this.start();
      throw new Error('Another server is running the projections; rebuild on that server or stop it first');
    }
    let processed = 0;
    let writing: PendingWrite | undefined;
    try {
      await this.sql.transaction(async (tx) => {
        // TRUNCATE rather than DELETE: the old rows' space is freed at once, so a rebuild writes
        // into fresh tables and indexes instead of past a dead copy of everything it replaces.
        await tx.query(`TRUNCATE ${READ_MODEL_TABLES.join(', ')}`);
        this.warm.clear();
        await tx.query(`DELETE FROM projection_checkpoints WHERE name = $1`, [PROJECTION_NAME]);
      });
      this.position = START;
      await this.store.prepareToReadAll?.();
      // Big batches: a project's state is rewritten once per batch that touches it, so fewer
      // batches write far less. On PostgreSQL the next batch is read, on another connection,
      // while this one is folded and the one before it written; PGlite has a single connection,
      // so it does one thing at a time.
      const limit = this.rebuildBatchSize;
      // Of each event's metadata the fold needs only when it occurred.
      const read = (after: Position) => this.store.readAllToFold({ after, streamPrefix: PROJECT_STREAM_PREFIX, limit });
      const pipelined = this.sql.dialect === 'postgres';
      let next = read(START);
      for (;;) {
        const batch = await next;
        if (batch.length === 0) break;
        if (pipelined) {
          next = read(batch[batch.length - 1].position);
          next.catch(() => undefined); // awaited on the next turn; not left unhandled if applying fails
          writing = await this.foldWhileWriting(batch, writing);
        } else {
          await this.handle(batch);
          next = read(batch[batch.length - 1].position);
        }
        // Projects interleave in the log, so the next batch mostly continues the projects of this
        // one: their states stay warm, and only theirs, or memory would grow with the log.
        this.warm.retainOnly(new Set(batch.map((e) => projectIdOf(e.streamId))));
        processed += batch.length;
        onProgress?.({ processed, total: undefined });
      }
      if (writing && !(await this.written(writing))) await this.handle(writing.batch);
      writing = undefined;
    } finally {
      // Stopped by an error: no write of ours may still be under way once the lock is given up.
      await writing?.done.catch(() => undefined);
      await lock.release();
    }
    if (wasRunning) await this.start();
    return processed;
  }

  /**
   * A rebuild on PostgreSQL folds each batch while the one before it is written: its rows are
   * worked out in full before its own write starts, so folding the next batch in place cannot
   * change them, and batches still commit one after another, each with its checkpoint. Returns
   * this batch's write, under way.
   */
  private async foldWhileWriting(
    batch: readonly EventToFold[],
    previous: PendingWrite | undefined,
  ): Promise<PendingWrite | undefined> {
    const last = batch[batch.length - 1].position;
    let statements: RecordedStatement[];
    let folded: FoldedProject[];
    try {
      folded = await foldProjectEvents(this.sql, batch, this.warm, FOLD_SLICE);
      statements = await recordStatements(async (q) => {
        await writeFoldedProjects(q, folded);
        await saveCheckpoint(q, last);
      });
    } catch {
      // An event that cannot be applied: after the write before, this batch goes the usual way
      // (which parks what fails).
      if (previous && !(await this.written(previous))) await this.handle(previous.batch);
      this.warm.clear();
      await this.handle(batch);
      return undefined;
    }
    this.warm.remember(folded);
    if (previous && !(await this.written(previous))) {
      // This batch was folded onto states whose write failed: start it again from the tables.
      await this.handle(previous.batch);
      await this.handle(batch);
      return undefined;
    }
    const done = this.sql.transaction(async (tx) => {
      for (const { name, sql, params } of statements)
        await (name ? queryKept(tx, name, sql, params) : tx.query(sql, params));
    });
    done.catch(() => undefined); // awaited by written()
    return { batch, last, done };
  }

  /** Waits for a batch's write; false, with the warm states forgotten, when it failed. */
  private async written(write: PendingWrite): Promise<boolean> {
    try {
      await write.done;
      this.advance(write.last);
      return true;
    } catch {
      this.warm.clear();
      return false;
    }
  }

  private async handle(batch: readonly EventToFold[]): Promise<void> {
    const last = batch[batch.length - 1].position;
    try {
      const touched = await this.sql.transaction(async (tx) => {
        // Events this process appended carry the records its repository built: shared, not copied.
        const applied = await applyProjectEvents(tx, batch, this.warm, 'reuse');
        await saveCheckpoint(tx, last);
        return applied;
      });
      this.warm.remember(touched);
    } catch (error) {
      this.warm.clear();
      // One bad event must not stop every projection: apply one by one and park the failures.
      await this.handleOneByOne(batch, error);
    }
    this.advance(last);
  }

  private async handleOneByOne(batch: readonly EventToFold[], batchError: unknown): Promise<void> {
    this.logger.error(`Projection batch failed (${describe(batchError)}); retrying event by event`);
    for (const event of batch) {
      try {
        await this.sql.transaction(async (tx) => {
          await applyProjectEvents(tx, [event]);
          await saveCheckpoint(tx, event.position);
        });
      } catch (error) {
        this.logger.error(
          `Parked event ${event.id} (${event.type} in ${event.streamId}) ` +
            `at ${event.position.commit}/${event.position.prepare}: ` +
            `${describe(error)}`,
        );
        await this.sql.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO projection_parked_events (event_id, stream_id, event_type, commit_position, ` +
              `prepare_position, error)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING`,
            [
              event.id,
              event.streamId,
              event.type,
              event.position.commit.toString(),
              event.position.prepare.toString(),
              describe(error),
            ],
          );
          await saveCheckpoint(tx, event.position);
        });
      }
    }
  }

  private advance(position: Position): void {
    this.position = position;
    const ready = this.waiters.filter((w) => comparePositions(position, w.position) >= 0);
    this.waiters = this.waiters.filter((w) => comparePositions(position, w.position) < 0);
    for (const waiter of ready) waiter.resolve();
  }

  private async loadCheckpoint(): Promise<Position> {
    const { rows } = await this.sql.query<{ commit_position: string; prepare_position: string }>(
      `SELECT commit_position::text AS commit_position, prepare_position::text AS prepare_position
       FROM projection_checkpoints WHERE name = $1`,
      [PROJECTION_NAME],
    );
    return rows[0] ? { commit: BigInt(rows[0].commit_position), prepare: BigInt(rows[0].prepare_position) } : START;
  }
}

/** The read models lag behind a write for longer than a reader will wait (answered as 503). */
export class ReadModelsBehindError extends Error {
  constructor(readonly waitedMs: number) {
    super(`The read models did not catch up within ${waitedMs} ms; try again shortly`);
    this.name = 'ReadModelsBehindError';
  }
}

/**
 * After a batch, the live runner lets events gather this long before it reads again. The first
 * command after a quiet spell is projected at once; under a steady stream of commands, each
 * transaction then carries many of them (its statements, its commit and the rows of a project
 * touched twice are shared) instead of the few that arrived while the previous one was written.
 * A read waiting for its own write (read-your-writes, waitFor) does not wait for the gather: it
 * ends it. Against 20 ms, 100 ms gave 2-5 % more commands per second under section 2's load of
 * the benchmark, with 2-7 % less CPU per command in the process and 7-9 % less in PostgreSQL
 * (bench/notes.md).
 */
export const LIVE_GATHER_MS = 100;

/** Projects folded between chances for the previous batch's write to send its next statement. */
const FOLD_SLICE = 32;

interface PendingWrite {
  readonly batch: readonly EventToFold[];
  readonly last: Position;
  readonly done: Promise<void>;
}

interface RecordedStatement {
  readonly name?: string;
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** The statements `write` sends, with their parameters as they are now, to be sent later. */
async function recordStatements(write: (q: SqlQueryable) => Promise<void>): Promise<RecordedStatement[]> {
  const statements: RecordedStatement[] = [];
  const nothing = { rows: [], rowCount: 0 };
  const keep = (statement: RecordedStatement) => {
    // An object would be serialised when sent, after later folds changed it.
    if (statement.params.some((p) => typeof p === 'object' && p !== null))
      throw new Error('Recorded statements take text and numbers only');
    statements.push(statement);
    return nothing as never;
  };
  await write({
    query: async (sql: string, params: readonly unknown[] = []) => keep({ sql, params }),
    queryPrepared: async (name: string, sql: string, params: readonly unknown[]) => keep({ name, sql, params }),
  });
  return statements;
}

async function saveCheckpoint(tx: SqlQueryable, position: Position): Promise<void> {
  await queryKept(
    tx,
    'projection_checkpoint_save',
    `INSERT INTO projection_checkpoints (name, commit_position, prepare_position, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (name) DO UPDATE SET commit_position = EXCLUDED.commit_position,
       prepare_position = EXCLUDED.prepare_position, updated_at = now()`,
    [PROJECTION_NAME, position.commit.toString(), position.prepare.toString()],
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
