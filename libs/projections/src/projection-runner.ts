import { comparePositions, EventStore, Leadership, migrate, Position, RecordedEvent, SqlClient, START, Subscription } from '@scope-ledger/event-store';
import { applyProjectEvents, READ_MODEL_TABLES, WarmProjectStates } from './project-read-model';
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
    });
  }

  /** Empties the read models and replays every event from the start. */
  rebuild(onProgress?: (progress: RebuildProgress) => void): Promise<number> {
    const run = this.rebuildNow(onProgress);
    this.rebuilding = run;
    void run.catch(() => undefined).then(() => {
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
      // while this one is applied; PGlite has a single connection, so it reads in turn.
      const limit = REBUILD_BATCH_SIZE[this.sql.dialect];
      const read = (after: Position) => this.store.readAll({ after, streamPrefix: PROJECT_STREAM_PREFIX, limit });
      const readAhead = this.sql.dialect === 'postgres';
      let next = read(START);
      for (;;) {
        const batch = await next;
        if (batch.length === 0) break;
        if (readAhead) {
          next = read(batch[batch.length - 1].position);
          next.catch(() => undefined); // awaited on the next turn; not left unhandled if applying fails
        }
        await this.handle(batch);
        // Projects interleave in the log, so the next batch mostly continues the projects of this
        // one: their states stay warm, and only theirs, or memory would grow with the log.
        this.warm.retainOnly(new Set(batch.map((e) => projectIdOf(e.streamId))));
        if (!readAhead) next = read(batch[batch.length - 1].position);
        processed += batch.length;
        onProgress?.({ processed, total: undefined });
      }
    } finally {
      await lock.release();
    }
    if (wasRunning) await this.start();
    return processed;
  }

  private async handle(batch: readonly RecordedEvent[]): Promise<void> {
    const last = batch[batch.length - 1].position;
    try {
      const touched = await this.sql.transaction(async (tx) => {
        const applied = await applyProjectEvents(tx, batch, this.warm);
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

  private async handleOneByOne(batch: readonly RecordedEvent[], batchError: unknown): Promise<void> {
    this.logger.error(`Projection batch failed (${describe(batchError)}); retrying event by event`);
    for (const event of batch) {
      try {
        await this.sql.transaction(async (tx) => {
          await applyProjectEvents(tx, [event]);
          await saveCheckpoint(tx, event.position);
        });
      } catch (error) {
        this.logger.error(
          `Parked event ${event.id} (${event.type} in ${event.streamId}) at ${event.position.commit}/${event.position.prepare}: ${describe(error)}`,
        );
        await this.sql.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO projection_parked_events (event_id, stream_id, event_type, commit_position, prepare_position, error)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING`,
            [event.id, event.streamId, event.type, event.position.commit.toString(), event.position.prepare.toString(), describe(error)],
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

async function saveCheckpoint(tx: { query: SqlClient['query'] }, position: Position): Promise<void> {
  await tx.query(
    `INSERT INTO projection_checkpoints (name, commit_position, prepare_position, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (name) DO UPDATE SET commit_position = EXCLUDED.commit_position,
       prepare_position = EXCLUDED.prepare_position, updated_at = now()`,
    [PROJECTION_NAME, position.commit.toString(), position.prepare.toString()],
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
