import { EventEmitter } from 'node:events';
import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  Position,
  ReadAllOptions,
  RecordedEvent,
  START,
  SubscribeOptions,
  Subscription,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { eventStoreMigrations } from './event-store.migrations';
import { migrate } from './migrations';
import { SqlClient } from './sql-client';

/**
 * One statement for any number of events, given as arrays. $2 is the revision the stream must be
 * at: -1 for no stream, null for 'any' (the current head). The unique (stream_id, stream_revision)
 * refuses rows when the stream has moved past it; the EXISTS test writes none when it has not reached it.
 */
const APPEND_SQL = `
  WITH head AS (
    SELECT coalesce($2::bigint, (SELECT max(stream_revision) FROM events WHERE stream_id = $1), -1) AS revision
  ),
  reached AS (
    SELECT revision FROM head
    WHERE revision = -1 OR EXISTS (SELECT 1 FROM events WHERE stream_id = $1 AND stream_revision = head.revision)
  ),
  written AS (
    INSERT INTO events (stream_id, stream_revision, event_id, event_type, schema_version, data, metadata)
    SELECT $1, reached.revision + batch.ord, batch.event_id, batch.event_type, batch.schema_version, batch.data,
      batch.metadata
    FROM reached, unnest($3::uuid[], $4::text[], $5::integer[], $6::jsonb[], $7::jsonb[]) WITH ORDINALITY
      AS batch(event_id, event_type, schema_version, data, metadata, ord)
    ORDER BY batch.ord
    RETURNING stream_revision, global_position, transaction_id
  )
  SELECT stream_revision::text AS stream_revision, global_position::text AS global_position,
    transaction_id::text AS transaction_id
  FROM written ORDER BY written.stream_revision DESC LIMIT 1`;

const SELECT_EVENT = `
  global_position::text AS global_position, transaction_id::text AS transaction_id, stream_id,
  stream_revision::text AS stream_revision, event_id::text AS event_id, event_type,
  schema_version::text AS schema_version, data, metadata,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at`;

/**
 * Only transactions older than every one still running are read, in (transaction_id, global_position)
 * order, so an event a slow transaction commits late with a smaller global_position is never skipped.
 */
const READ_ALL_SQL = `
  SELECT ${SELECT_EVENT}
  FROM events
  WHERE (events.transaction_id, events.global_position) > ($1::bigint, $2::bigint)
    AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
    AND ($3::text IS NULL OR starts_with(stream_id, $3::text))
  ORDER BY events.transaction_id, events.global_position
  LIMIT $4`;

const DEFAULT_READ_LIMIT = 1000;
const SUBSCRIPTION_BATCH = 500;
const MAX_RETRY_DELAY_MS = 30_000;

interface EventRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  stream_revision: string;
  event_id: string;
  event_type: string;
  schema_version: string;
  data: Record<string, unknown>;
  metadata: RecordedEvent['metadata'];
  recorded_at: string;
}

type PositionRow = Pick<EventRow, 'transaction_id' | 'global_position'>;

export interface PostgresEventStoreOptions {
  /** How often a subscription looks for events written by other processes (ms). */
  readonly pollIntervalMs?: number;
}

/** The event store on PostgreSQL or PGlite, through SqlClient. */
export class PostgresEventStore implements EventStore {
  /** Wakes this process's subscriptions after each of its appends; others' are found by polling. */
  private readonly appended = new EventEmitter();
  private readonly subscriptions = new Set<Subscription>();

  private constructor(
    private readonly sql: SqlClient,
    private readonly pollIntervalMs: number,
  ) {
    this.appended.setMaxListeners(0);
  }

  static async create(sql: SqlClient, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    await migrate(sql, eventStoreMigrations);
    return new PostgresEventStore(sql, options.pollIntervalMs ?? 500);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    if (typeof expected === 'bigint' && expected < 0n) throw new RangeError(`no revision ${expected} exists`);
    const revision = expected === 'any' ? null : expected === 'no_stream' ? '-1' : expected.toString();
    const params = [
      streamId,
      revision,
      events.map((e) => e.id),
      events.map((e) => e.type),
      events.map((e) => e.schemaVersion),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => JSON.stringify(e.metadata)),
    ];
    type Written = PositionRow & Pick<EventRow, 'stream_revision'>;
    let rows: Written[];
    try {
      ({ rows } =
        expected === 'any'
          ? // Writers that do not say where the stream must be take turns on it rather than race for its head.
            await this.sql.transaction(async (tx) => {
              await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [streamId]);
              return tx.query<Written>(APPEND_SQL, params);
            })
          : await this.sql.query<Written>(APPEND_SQL, params));
    } catch (error) {
      if (!isUniqueViolation(error, 'events_stream_revision_unique')) throw error;
      rows = [];
    }
    if (rows.length === 0)
      throw new WrongExpectedRevisionError(streamId, expected, await this.currentRevision(streamId));
    this.appended.emit('appended');
    return { nextExpectedRevision: BigInt(rows[0].stream_revision), position: positionOf(rows[0]) };
  }

  async readStream(streamId: string, options: { fromRevision?: bigint } = {}): Promise<RecordedEvent[]> {
    const { rows } = await this.sql.query<EventRow>(
      `SELECT ${SELECT_EVENT} FROM events WHERE stream_id = $1 AND stream_revision >= $2
       ORDER BY events.stream_revision`,
      [streamId, (options.fromRevision ?? 0n).toString()],
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? START;
    const { rows } = await this.sql.query<EventRow>(READ_ALL_SQL, [
      after.commit.toString(),
      after.prepare.toString(),
      options.streamPrefix ?? null,
      options.limit ?? DEFAULT_READ_LIMIT,
    ]);
    return rows.map(toRecordedEvent);
  }

  subscribe(handler: (batch: readonly RecordedEvent[]) => Promise<void>, options: SubscribeOptions = {}): Subscription {
    const { streamPrefix } = options;
    let position = options.after ?? START;
    let stopped = false;
    let appendedMeanwhile = false;
    let endPause = () => {};
    let pauseEndsOnAppend = false;
    const onAppend = () => {
      appendedMeanwhile = true;
      if (pauseEndsOnAppend) endPause();
    };
    this.appended.on('appended', onAppend);
    /** Waits ms, or less when stop() is called or, if endsOnAppend, when this process appends. */
    const pause = (ms: number, endsOnAppend: boolean) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        pauseEndsOnAppend = endsOnAppend;
        endPause = () => {
          clearTimeout(timer);
          resolve();
        };
      });

    const loop = (async () => {
      let failures = 0;
      while (!stopped) {
        appendedMeanwhile = false;
        let batch: RecordedEvent[];
        try {
          batch = await this.readAll({ after: position, limit: SUBSCRIPTION_BATCH, streamPrefix });
          if (batch.length > 0) await handler(batch);
          failures = 0;
        } catch {
          // The database or the handler failed: the same batch again after a while, never a later one.
          failures += 1;
          if (!stopped) await pause(Math.min(MAX_RETRY_DELAY_MS, 100 * 2 ** failures), false);
          continue;
        }
        if (batch.length > 0) position = batch[batch.length - 1].position;
        const moreWaiting = batch.length === SUBSCRIPTION_BATCH || appendedMeanwhile;
        if (!moreWaiting && !stopped) await pause(this.pollIntervalMs, true);
      }
    })();

    const subscription: Subscription = {
      stop: async () => {
        stopped = true;
        this.subscriptions.delete(subscription);
        this.appended.off('appended', onAppend);
        endPause();
        await loop;
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<Position> {
    const { rows } = await this.sql.query<PositionRow>(
      `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position FROM events
       ORDER BY events.transaction_id DESC, events.global_position DESC LIMIT 1`,
    );
    return rows.length === 0 ? START : positionOf(rows[0]);
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
  }

  private async currentRevision(streamId: string): Promise<bigint | 'no_stream'> {
    const { rows } = await this.sql.query<{ revision: string | null }>(
      `SELECT max(stream_revision)::text AS revision FROM events WHERE stream_id = $1`,
      [streamId],
    );
    return rows[0]?.revision == null ? 'no_stream' : BigInt(rows[0].revision);
  }
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.event_type,
    schemaVersion: Number(row.schema_version),
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    revision: BigInt(row.stream_revision),
    position: positionOf(row),
    recordedAt: row.recorded_at,
  };
}

function positionOf(row: PositionRow): Position {
  return { commit: BigInt(row.transaction_id), prepare: BigInt(row.global_position) };
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  return e?.code === '23505' && (e.constraint === constraint || (e.message ?? '').includes(constraint));
}
