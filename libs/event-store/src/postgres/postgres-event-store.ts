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

interface EventRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  stream_revision: string;
  event_id: string;
  event_type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: NewEvent['metadata'];
  recorded_at: string;
}

/** Output columns are cast to text under their own names, so ORDER BY must name `events.` columns. */
const SELECT_EVENT = `
  global_position::text AS global_position, transaction_id::text AS transaction_id,
  stream_id, stream_revision::text AS stream_revision, event_id::text AS event_id, event_type,
  schema_version, data, metadata,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at`;

/**
 * Append is one INSERT … SELECT: it checks the stream's head against the expected revision
 * and writes the whole batch, so a batch costs one round trip. Two writers racing for the
 * same revision collide on the (stream_id, stream_revision) unique constraint.
 */
const APPEND_SQL = `
  WITH head AS (
    SELECT coalesce(max(stream_revision), -1) AS revision FROM events WHERE stream_id = $1
  )
  INSERT INTO events (stream_id, stream_revision, event_id, event_type, schema_version, data, metadata)
  SELECT $1, head.revision + batch.ord, batch.event_id, batch.event_type, batch.schema_version, batch.data, batch.metadata
  FROM head, jsonb_to_recordset($2::jsonb)
    AS batch(ord bigint, event_id uuid, event_type text, schema_version integer, data jsonb, metadata jsonb)
  WHERE $3::bigint IS NULL OR head.revision = $3::bigint
  ORDER BY batch.ord
  RETURNING stream_revision::text AS stream_revision, global_position::text AS global_position,
    transaction_id::text AS transaction_id`;

/**
 * Only transactions older than every transaction still running are visible to readAll: an
 * event committed late by a slow transaction with a smaller global_position is then read in
 * (transaction_id, global_position) order and never skipped.
 */
const READ_ALL_SQL = `
  SELECT ${SELECT_EVENT} FROM events
  WHERE (events.transaction_id, events.global_position) > ($1::bigint, $2::bigint)
    AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
    AND ($3::text IS NULL OR starts_with(stream_id, $3::text))
  ORDER BY events.transaction_id, events.global_position
  LIMIT $4`;

export interface PostgresEventStoreOptions {
  /** How often a subscription looks for events written by other processes (ms). */
  readonly pollIntervalMs?: number;
}

export class PostgresEventStore implements EventStore {
  private readonly appended = new EventEmitter();
  private readonly pollIntervalMs: number;

  private constructor(private readonly sql: SqlClient, options: PostgresEventStoreOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.appended.setMaxListeners(0);
  }

  static async create(sql: SqlClient, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    await migrate(sql, eventStoreMigrations);
    return new PostgresEventStore(sql, options);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    const batch = events.map((event, index) => ({
      ord: index + 1,
      event_id: event.id,
      event_type: event.type,
      schema_version: event.schemaVersion,
      data: event.data,
      metadata: event.metadata,
    }));
    const expectedHead = expected === 'any' ? null : expected === 'no_stream' ? '-1' : expected.toString();
    let rows: { stream_revision: string; global_position: string; transaction_id: string }[];
    try {
      ({ rows } = await this.sql.query(APPEND_SQL, [streamId, JSON.stringify(batch), expectedHead]));
    } catch (error) {
      if (isUniqueViolation(error, 'events_stream_revision_unique')) {
        throw new WrongExpectedRevisionError(streamId, expected, await this.currentRevision(streamId));
      }
      throw error;
    }
    if (rows.length === 0) {
      throw new WrongExpectedRevisionError(streamId, expected, await this.currentRevision(streamId));
    }
    const last = rows[rows.length - 1];
    this.appended.emit('appended');
    return {
      nextExpectedRevision: BigInt(last.stream_revision),
      position: { commit: BigInt(last.transaction_id), prepare: BigInt(last.global_position) },
    };
  }

  async readStream(streamId: string, options: { fromRevision?: bigint } = {}): Promise<RecordedEvent[]> {
    const { rows } = await this.sql.query<EventRow>(
      `SELECT ${SELECT_EVENT} FROM events WHERE stream_id = $1 AND stream_revision >= $2 ORDER BY events.stream_revision`,
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
      options.limit ?? 1000,
    ]);
    return rows.map(toRecordedEvent);
  }

  subscribe(handler: (batch: readonly RecordedEvent[]) => Promise<void>, options: SubscribeOptions = {}): Subscription {
    let position = options.after ?? START;
    let stopped = false;
    let wake: (() => void) | undefined;
    const onAppend = () => wake?.();
    this.appended.on('appended', onAppend);

    let failures = 0;
    const loop = (async () => {
      while (!stopped) {
        let batch: RecordedEvent[];
        try {
          batch = await this.readAll({ after: position, limit: options.batchSize ?? 500, streamPrefix: options.streamPrefix });
          if (batch.length > 0) await handler(batch);
          failures = 0;
        } catch {
          // The database or the handler failed: retry the same batch later, never skip it.
          failures += 1;
          await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 100 * 2 ** Math.min(failures, 9))));
          continue;
        }
        if (batch.length > 0) {
          position = batch[batch.length - 1].position;
          continue;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    })();

    return {
      stop: async () => {
        stopped = true;
        wake?.();
        this.appended.off('appended', onAppend);
        await loop.catch(() => undefined);
      },
    };
  }

  async headPosition(): Promise<Position> {
    const { rows } = await this.sql.query<{ transaction_id: string; global_position: string }>(
      `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position FROM events
       WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
       ORDER BY events.transaction_id DESC, events.global_position DESC LIMIT 1`,
    );
    if (rows.length === 0) return START;
    return { commit: BigInt(rows[0].transaction_id), prepare: BigInt(rows[0].global_position) };
  }

  async close(): Promise<void> {
    this.appended.removeAllListeners();
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
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    revision: BigInt(row.stream_revision),
    position: { commit: BigInt(row.transaction_id), prepare: BigInt(row.global_position) },
    recordedAt: row.recorded_at,
  };
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  if (e?.code !== '23505') return false;
  if (!constraint) return true;
  return e.constraint === constraint || (e.message ?? '').includes(constraint);
}
