import { EventEmitter } from 'node:events';
import {
  AppendResult,
  EventStore,
  EventToFold,
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

/** An event's row without its payload. */
interface EventHeadRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  stream_revision: string;
  event_id: string;
  event_type: string;
  schema_version: string;
  recorded_at: string;
}

type Payload = Pick<NewEvent, 'data' | 'metadata'>;
type EventRow = EventHeadRow & Payload;

/** Output columns are cast to text under their own names, so ORDER BY must name `events.` columns. */
const SELECT_EVENT_HEAD =
  `
  global_position::text AS global_position, transaction_id::text AS transaction_id,
  stream_id, stream_revision::text AS stream_revision, event_id::text AS event_id, event_type,
  schema_version::text AS schema_version, ` +
  `to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at`;
const SELECT_EVENT = `${SELECT_EVENT_HEAD}, data, metadata`;

/**
 * Append is one INSERT, so a batch costs one round trip. With an expected revision the new
 * rows' revisions are known in advance: the (stream_id, stream_revision) unique constraint
 * refuses them when the stream has moved past that revision (a racing writer included), and a
 * check that the expected revision exists refuses them when the stream has not reached it.
 * Reading the head with max() in the statement cost more than both together (twice as much
 * on PGlite), so only appends without an expected revision ('any') do it. An append with an
 * expected revision is a plain INSERT … VALUES, the cheapest statement to plan: its first
 * row's revision is looked up from the expected one, and a missing one trips the NOT NULL
 * constraint. Above MAX_ROWS_AS_PARAMETERS rows, and for 'any', the rows come as one JSON
 * document or a VALUES list the statement selects from.
 */
const MAX_ROWS_AS_PARAMETERS = 500;
/**
 * Appends up to this many rows use statements kept prepared per connection (one per size), so
 * that PostgreSQL does not parse and plan a statement of hundreds of parameters for each batch:
 * 100-event appends went from 0.83× to 1.04–1.05× the unprepared raw INSERT
 * (`ROWS=100 ROUNDS=6 node dist/bench/probes/batch-append.js`, alternating builds).
 */
const MAX_PREPARED_ROWS = 128;
const appendStatements = new Map<string, string>();
const INSERT_INTO =
  'INSERT INTO events (stream_id, stream_revision, event_id, event_type, schema_version, data, metadata)';
/** Not cast to text, which made batch appends slower (bench/probes/batch-append.ts; see AppendedRow for the types). */
const RETURNING = 'RETURNING stream_revision, global_position, transaction_id';

function appendSql(rows: number, atEnd: boolean): string {
  const key = `${atEnd}:${rows}`;
  let sql = appendStatements.get(key);
  if (sql) return sql;
  const first = atEnd ? 2 : 3; // $1 is the stream, $2 the expected revision (not with 'any')
  const event = (i: number) => {
    const p = first + i * 5;
    return `$${p}::uuid, $${p + 1}::text, $${p + 2}::integer, $${p + 3}::jsonb, $${p + 4}::jsonb`;
  };
  if (!atEnd && rows <= MAX_ROWS_AS_PARAMETERS) {
    // The first row's revision is looked up from the expected one: a missing one trips NOT NULL
    // and fails the whole statement. The others follow it. The parameters take their types from
    // the columns: casting them made batch appends slower (bench/probes/batch-append.ts).
    const firstRevision =
      'CASE WHEN $2::bigint = -1 THEN 0 ELSE ' +
      '(SELECT stream_revision + 1 FROM events WHERE stream_id = $1 AND stream_revision = $2::bigint) END';
    const values = Array.from({ length: rows }, (_, i) => {
      const p = first + i * 5;
      return (
        `($1, ${i === 0 ? firstRevision : `$2::bigint + ${i + 1}`}, ` +
        `$${p}, $${p + 1}, $${p + 2}, $${p + 3}, $${p + 4})`
      );
    });
    sql = `${INSERT_INTO} VALUES ${values.join(', ')} ${RETURNING}`;
  } else {
    const batch =
      rows > MAX_ROWS_AS_PARAMETERS
        ? `jsonb_to_recordset($${first}::jsonb) AS batch(ord bigint, event_id uuid, event_type text, ` +
          `schema_version integer, data jsonb, metadata jsonb)`
        : `(VALUES ${Array.from({ length: rows }, (_, i) => `(${i + 1}, ${event(i)})`).join(', ')}) ` +
          `AS batch(ord, event_id, event_type, schema_version, data, metadata)`;
    const columns = 'batch.event_id, batch.event_type, batch.schema_version, batch.data, batch.metadata';
    sql = atEnd
      ? `WITH head AS (SELECT coalesce(max(stream_revision), -1) AS revision FROM events WHERE stream_id = $1)
         ${INSERT_INTO} SELECT $1, head.revision + batch.ord, ${columns} FROM head, ${batch}
         ORDER BY batch.ord ${RETURNING}`
      : `${INSERT_INTO} SELECT $1, $2::bigint + batch.ord, ${columns} FROM ${batch}
         WHERE $2::bigint = -1 OR EXISTS (SELECT 1 FROM events WHERE stream_id = $1 AND stream_revision = $2::bigint)
         ORDER BY batch.ord ${RETURNING}`;
  }
  appendStatements.set(key, sql);
  return sql;
}

function appendParameters(events: readonly NewEvent[]): unknown[] {
  if (events.length > MAX_ROWS_AS_PARAMETERS) {
    return [
      JSON.stringify(
        events.map((event, index) => ({
          ord: index + 1,
          event_id: event.id,
          event_type: event.type,
          schema_version: event.schemaVersion,
          data: event.data,
          metadata: event.metadata,
        })),
      ),
    ];
  }
  return events.flatMap((event) => [
    event.id,
    event.type,
    event.schemaVersion,
    JSON.stringify(event.data),
    JSON.stringify(event.metadata),
  ]);
}

/** `pg` gives bigint columns as text; PGlite as numbers (bigints beyond 2^53). */
type Int8 = string | number | bigint;

interface AppendedRow {
  stream_revision: Int8;
  global_position: Int8;
  transaction_id: Int8;
}

function appendResult(row: AppendedRow): AppendResult {
  return {
    nextExpectedRevision: BigInt(row.stream_revision),
    position: { commit: BigInt(row.transaction_id), prepare: BigInt(row.global_position) },
  };
}

interface QueuedAppend {
  events: readonly NewEvent[];
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

interface PendingAppend extends QueuedAppend {
  streamId: string;
  expected: 'no_stream' | bigint;
}

/**
 * Appends with an expected revision that wait while earlier ones are being written go out
 * together in one statement (group commit): one round trip and one commit for all of them.
 * At most this many statements are in flight. A new append waits for the end of the event
 * loop's turn (setImmediate), so that the appends of every request read in that turn share a
 * statement: started at once, the first of them took a free slot alone and the rest waited for
 * the next. Under section 2's load of the benchmark that made 0.30 statements per command instead
 * of 0.35 and took PostgreSQL 2-7 % less CPU per command, at the same throughput (bench/notes.md).
 */
const MAX_APPENDS_IN_FLIGHT = 2;
/**
 * Rows of one grouped statement: no more than a statement the database keeps prepared. Larger
 * groups (eight writers of 100-event batches made groups of 400 rows) were parsed and planned
 * for every statement, and ran slower than the same appends each on its own: 17,000-22,000
 * events/s against 33,000 in section 1 of the benchmark (bench/notes.md).
 */
const MAX_GROUPED_ROWS = MAX_PREPARED_ROWS;
const groupedStatements = new Map<number, string>();

/**
 * Several streams' appends in one INSERT. Each append keeps its own check: its rows are
 * written only if its expected revision exists (or the stream is new), and the unique
 * (stream_id, stream_revision) constraint refuses them if the stream moved past it. An append
 * whose check fails gets no rows back; a constraint violation fails the whole statement and
 * the appends are then written one by one, each meeting its own outcome.
 */
function groupedAppendSql(rows: number): string {
  let sql = groupedStatements.get(rows);
  if (sql) return sql;
  const values = Array.from({ length: rows }, (_, i) => {
    const p = 1 + i * 9;
    return (
      `($${p}::integer, $${p + 1}::text, $${p + 2}::bigint, $${p + 3}::bigint, $${p + 4}::uuid, ` +
      `$${p + 5}::text, $${p + 6}::integer, $${p + 7}::jsonb, $${p + 8}::jsonb)`
    );
  });
  sql =
    `${INSERT_INTO}
    SELECT batch.stream_id, batch.revision, batch.event_id, batch.event_type, batch.schema_version, batch.data, ` +
    `batch.metadata
    FROM (VALUES ${values.join(', ')}) AS batch(ord, stream_id, expected, revision, ` +
    `event_id, event_type, schema_version, data, metadata)
    WHERE batch.expected = -1 OR EXISTS ` +
    `(SELECT 1 FROM events WHERE events.stream_id = batch.stream_id AND events.stream_revision = batch.expected)
    ORDER BY batch.ord
    RETURNING stream_id, ${RETURNING.slice('RETURNING '.length)}`;
  groupedStatements.set(rows, sql);
  return sql;
}

function groupedAppendParameters(group: readonly PendingAppend[]): unknown[] {
  const parameters: unknown[] = [];
  let ord = 0;
  for (const { streamId, expected, events } of group) {
    const head = expected === 'no_stream' ? -1n : expected;
    events.forEach((event, i) => {
      parameters.push(
        ++ord,
        streamId,
        head.toString(),
        (head + 1n + BigInt(i)).toString(),
        event.id,
        event.type,
        event.schemaVersion,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
      );
    });
  }
  return parameters;
}

/**
 * Payloads of this process's latest appends kept for its live subscribers (see subscribe): a
 * subscriber is a moment behind the writer, so a thousand cover it under a heavy load (later ones are read as stored).
 */
const OWN_PAYLOADS_KEPT = 1024;

/** Collisions with writers in other processes an 'any' append sits out before giving up. */
const MAX_AT_END_ATTEMPTS = 50;

/**
 * Only transactions older than every transaction still running are visible to readAll: an
 * event committed late by a slow transaction with a smaller global_position is then read in
 * (transaction_id, global_position) order and never skipped.
 *
 * The planner picks between walking events_commit_order and stopping at the limit, and
 * fetching every later event and sorting it; the second is right only when few events are
 * left. Guessing wrong made each batch of a rebuild cost time in proportion to the rest of the
 * log: it guessed that a bare starts_with() matches almost no row, and without statistics on
 * the table (a bulk import, autovacuum off) that few rows pass the position test. So the
 * prefix test is wrapped in coalesce(), which it cannot estimate and takes for even odds, and
 * prepareToReadAll() analyses the table before a rebuild.
 */
const READ_ALL_FROM = `
  FROM events
  WHERE (events.transaction_id, events.global_position) > ($1::bigint, $2::bigint)
    AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
    AND coalesce(starts_with(stream_id, $3::text), true)
  ORDER BY events.transaction_id, events.global_position
  LIMIT $4`;
const READ_ALL_SQL = `SELECT ${SELECT_EVENT} ${READ_ALL_FROM}`;
/** readAll with only `occurredAt` of each event's metadata (see readAllToFold). */
const READ_ALL_TO_FOLD_SQL =
  `SELECT ${SELECT_EVENT_HEAD}, data, metadata->>'occurredAt' AS occurred_at ` + READ_ALL_FROM;

/**
 * What a live subscription reads first: the events without their payloads. Nearly all of them
 * were appended by this process a moment ago, and it still holds their data and metadata (see
 * readLive); the database then neither prints them nor sends them, and they are not
 * parsed again here. Only the others are read with their payloads (READ_PAYLOADS_SQL).
 */
const READ_HEADS_SQL = `SELECT ${SELECT_EVENT_HEAD} ${READ_ALL_FROM}`;
const READ_PAYLOADS_SQL =
  `SELECT global_position::text AS global_position, data, metadata ` +
  `FROM events WHERE global_position = ANY($1::bigint[])`;

export interface PostgresEventStoreOptions {
  /** How often a subscription looks for events written by other processes (ms). */
  readonly pollIntervalMs?: number;
}

export class PostgresEventStore implements EventStore {
  private readonly appended = new EventEmitter();
  private readonly pollIntervalMs: number;
  private readonly atEnd = new Map<string, QueuedAppend[]>();
  private pending: PendingAppend[] = [];
  private appendsInFlight = 0;
  private writeScheduled = false;
  /** By event id, oldest first: the data and metadata objects this process appended. */
  private readonly ownPayloads = new Map<string, Payload>();

  private constructor(
    private readonly sql: SqlClient,
    options: PostgresEventStoreOptions,
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.appended.setMaxListeners(0);
  }

  static async create(sql: SqlClient, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    await migrate(sql, eventStoreMigrations);
    return new PostgresEventStore(sql, options);
  }

  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) return Promise.reject(new RangeError('append needs at least one event'));
    if (expected === 'any') return this.appendAtEnd(streamId, events);
    return new Promise((resolve, reject) => {
      this.pending.push({ streamId, events, expected, resolve, reject });
      if (this.writeScheduled) return;
      this.writeScheduled = true;
      setImmediate(() => {
        this.writeScheduled = false;
        this.writePending();
      });
    });
  }

  /** Starts statements for waiting appends while fewer than MAX_APPENDS_IN_FLIGHT run. */
  private writePending(): void {
    while (this.appendsInFlight < MAX_APPENDS_IN_FLIGHT && this.pending.length > 0) {
      const group = this.takeGroup();
      this.appendsInFlight += 1;
      void this.writeGroup(group).finally(() => {
        this.appendsInFlight -= 1;
        this.writePending();
      });
    }
  }

  /** The waiting appends that can share a statement: one per stream, in arrival order. */
  private takeGroup(): PendingAppend[] {
    const group: PendingAppend[] = [];
    const rest: PendingAppend[] = [];
    const streams = new Set<string>();
    let rows = 0;
    for (const append of this.pending) {
      const fits =
        group.length === 0 || (!streams.has(append.streamId) && rows + append.events.length <= MAX_GROUPED_ROWS);
      if (!fits) {
        rest.push(append);
        continue;
      }
      group.push(append);
      streams.add(append.streamId);
      rows += append.events.length;
    }
    this.pending = rest;
    return group;
  }

  private async writeGroup(group: readonly PendingAppend[]): Promise<void> {
    if (group.length === 1) {
      const [only] = group;
      await this.appendOne(only.streamId, only.events, only.expected).then(only.resolve, only.reject);
      return;
    }
    let rows: (AppendedRow & { stream_id: string })[];
    try {
      const rowCount = group.reduce((n, g) => n + g.events.length, 0);
      ({ rows } = await this.run<AppendedRow & { stream_id: string }>(
        `append_grouped_${rowCount}`,
        rowCount,
        groupedAppendSql(rowCount),
        groupedAppendParameters(group),
      ));
    } catch {
      // A constraint refused one of them: each append alone meets its own outcome.
      await Promise.all(group.map((g) => this.appendOne(g.streamId, g.events, g.expected).then(g.resolve, g.reject)));
      return;
    }
    this.appended.emit('appended');
    const byStream = new Map<string, AppendedRow[]>();
    for (const row of rows) {
      const written = byStream.get(row.stream_id);
      if (written) written.push(row);
      else byStream.set(row.stream_id, [row]);
    }
    for (const g of group) {
      const written = byStream.get(g.streamId);
      if (written && written.length > 0) {
        this.keepPayloads(g.events);
        g.resolve(appendResult(lastRow(written)));
      } else
        await this.currentRevision(g.streamId).then(
          (actual) => g.reject(new WrongExpectedRevisionError(g.streamId, g.expected, actual)),
          g.reject,
        );
    }
  }

  /** Appends of a few rows, nearly all of them, run as statements the database keeps prepared. */
  private run<Row>(name: string, rows: number, sql: string, params: unknown[]): Promise<{ rows: Row[] }> {
    return rows <= MAX_PREPARED_ROWS
      ? this.sql.queryPrepared<Row>(name, sql, params)
      : this.sql.query<Row>(sql, params);
  }

  private async appendOne(
    streamId: string,
    events: readonly NewEvent[],
    expected: 'no_stream' | bigint,
  ): Promise<AppendResult> {
    const head = expected === 'no_stream' ? -1n : expected;
    let rows: AppendedRow[];
    try {
      ({ rows } = await this.run<AppendedRow>(
        `append_${events.length}`,
        events.length,
        appendSql(events.length, false),
        [streamId, head.toString(), ...appendParameters(events)],
      ));
    } catch (error) {
      if (isUniqueViolation(error, 'events_stream_revision_unique') || isMissingRevision(error)) {
        throw new WrongExpectedRevisionError(streamId, expected, await this.currentRevision(streamId));
      }
      throw error;
    }
    if (rows.length === 0) {
      throw new WrongExpectedRevisionError(streamId, expected, await this.currentRevision(streamId));
    }
    this.keepPayloads(events);
    this.appended.emit('appended');
    return appendResult(lastRow(rows));
  }

  private appendAtEnd(streamId: string, events: readonly NewEvent[]): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      const queued = this.atEnd.get(streamId);
      if (queued) {
        queued.push({ events, resolve, reject });
        return;
      }
      this.atEnd.set(streamId, [{ events, resolve, reject }]);
      void this.writeAtEnd(streamId);
    });
  }

  /**
   * 'any' asks for no concurrency check, so the appends that wait for one stream are written
   * together: one statement and one commit, each append getting its own events' last revision
   * and position. Had they raced each other they would collide on the head and retry.
   */
  private async writeAtEnd(streamId: string): Promise<void> {
    const queue = this.atEnd.get(streamId)!;
    while (queue.length > 0) {
      const group = queue.splice(0, queue.length);
      try {
        const rows = await this.insertAtEnd(
          streamId,
          group.flatMap((g) => g.events),
        );
        let end = 0;
        for (const g of group) {
          end += g.events.length;
          g.resolve(appendResult(rows[end - 1]));
        }
      } catch (error) {
        if (group.length === 1) {
          group[0].reject(error);
          continue;
        }
        // One append's fault (a duplicate event id) must not fail the others written with it.
        for (const g of group) {
          try {
            const rows = await this.insertAtEnd(streamId, g.events);
            g.resolve(appendResult(rows[rows.length - 1]));
          } catch (alone) {
            g.reject(alone);
          }
        }
      }
    }
    this.atEnd.delete(streamId);
  }

  /** Writes after the current head; a writer in another process taking the head first means trying again. */
  private async insertAtEnd(streamId: string, events: readonly NewEvent[]): Promise<AppendedRow[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows } = await this.run<AppendedRow>(
          `append_at_end_${events.length}`,
          events.length,
          appendSql(events.length, true),
          [streamId, ...appendParameters(events)],
        );
        this.keepPayloads(events);
        this.appended.emit('appended');
        return [...rows].sort((a, b) => (BigInt(a.stream_revision) < BigInt(b.stream_revision) ? -1 : 1));
      } catch (error) {
        if (!isUniqueViolation(error, 'events_stream_revision_unique') || attempt >= MAX_AT_END_ATTEMPTS) throw error;
      }
    }
  }

  private keepPayloads(events: readonly NewEvent[]): void {
    for (const { id, data, metadata } of events) this.ownPayloads.set(id, { data, metadata });
    while (this.ownPayloads.size > OWN_PAYLOADS_KEPT) this.ownPayloads.delete(this.ownPayloads.keys().next().value!);
  }

  /**
   * readAll for a live subscription: the events' heads in one statement, and the payloads of
   * those this process did not append (or appended too long ago to still hold) in a second.
   *
   * The events this process appended a moment ago come with the very objects it appended as
   * their data and metadata: they hold what the row holds (the event id is unique, a row never
   * changes, and the row was written from their JSON). A subscriber that keeps state folded
   * from them (the projections) then shares the strings with the writer's own warm state
   * instead of holding a second parsed copy.
   */
  private async readLive(after: Position, limit: number, streamPrefix: string | undefined): Promise<RecordedEvent[]> {
    const { rows } = await this.sql.queryPrepared<EventHeadRow>(
      'events_read_heads',
      READ_HEADS_SQL,
      readAllParameters({ after, limit, streamPrefix }),
    );
    const own = rows.map((row) => this.ownPayloads.get(row.event_id));
    const missing = rows.filter((_, i) => own[i] === undefined).map((row) => row.global_position);
    const stored = new Map<string, Payload>();
    if (missing.length > 0) {
      const { rows: payloads } = await this.sql.query<Payload & { global_position: string }>(READ_PAYLOADS_SQL, [
        `{${missing.join(',')}}`,
      ]);
      for (const { global_position, data, metadata } of payloads) stored.set(global_position, { data, metadata });
    }
    return rows.map((row, i) => {
      const payload = own[i] ?? stored.get(row.global_position);
      if (!payload) throw new Error(`Event ${row.event_id} has no stored payload`);
      return toRecordedEvent(row, payload);
    });
  }

  async readStream(streamId: string, options: { fromRevision?: bigint } = {}): Promise<RecordedEvent[]> {
    const { rows } = await this.sql.query<EventRow>(
      `SELECT ${SELECT_EVENT} FROM events WHERE stream_id = $1 AND stream_revision >= $2 ` +
        `ORDER BY events.stream_revision`,
      [streamId, (options.fromRevision ?? 0n).toString()],
    );
    return rows.map((row) => toRecordedEvent(row, row));
  }

  async prepareToReadAll(): Promise<void> {
    // Only the columns readAll's plan depends on: statistics on the JSON payloads cost four
    // times as much to gather and no read of the log uses them.
    await this.sql.query('ANALYZE events (transaction_id, global_position, stream_id)');
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { rows } = await this.sql.query<EventRow>(READ_ALL_SQL, readAllParameters(options));
    return rows.map((row) => toRecordedEvent(row, row));
  }

  async readAllToFold(options: ReadAllOptions = {}): Promise<EventToFold[]> {
    const { rows } = await this.sql.query<EventHeadRow & { data: Record<string, unknown>; occurred_at: string }>(
      READ_ALL_TO_FOLD_SQL,
      readAllParameters(options),
    );
    return rows.map((row) => toRecordedEvent(row, { data: row.data, metadata: { occurredAt: row.occurred_at } }));
  }

  subscribe(handler: (batch: readonly RecordedEvent[]) => Promise<void>, options: SubscribeOptions = {}): Subscription {
    let position = options.after ?? START;
    let stopped = false;
    let wake: (() => void) | undefined;
    let interrupt: (() => void) | undefined;
    /** An append of this process committed since the last read began. */
    let appendedMeanwhile = false;
    /** Someone asked for the events since the last read began (hurry): no gather before the next. */
    let hurried = false;
    let gathering: (() => void) | undefined;
    const onAppend = () => {
      appendedMeanwhile = true;
      wake?.();
    };
    this.appended.on('appended', onAppend);

    const limit = options.batchSize ?? 500;
    /** Waits `ms`, or less when stopped or, if `untilAppended`, when this process appends. */
    const pause = (ms: number, untilAppended: boolean) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          interrupt = undefined;
          resolve();
        }
        interrupt = done;
        if (untilAppended) wake = done;
      });
    let failures = 0;
    const loop = (async () => {
      while (!stopped) {
        let batch: RecordedEvent[];
        appendedMeanwhile = false;
        hurried = false;
        try {
          batch = await this.readLive(position, limit, options.streamPrefix);
          if (batch.length > 0) await handler(batch);
          failures = 0;
        } catch {
          // The database or the handler failed: retry the same batch later, never skip it.
          failures += 1;
          await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 100 * 2 ** Math.min(failures, 9))));
          continue;
        }
        if (batch.length > 0) position = batch[batch.length - 1].position;
        if (batch.length > 0 && batch.length < limit && options.gatherMs && !hurried) {
          const gather = pause(options.gatherMs, false);
          gathering = interrupt;
          await gather;
          gathering = undefined;
          continue;
        }
        // A full batch may have more behind it, and so may an append of ours that came meanwhile.
        // Otherwise everything visible was read: reading again at once would find nothing, so
        // wait for the next append here, or the poll for those of other processes.
        if (batch.length === limit || appendedMeanwhile) continue;
        await pause(this.pollIntervalMs, true);
      }
    })();

    return {
      stop: async () => {
        stopped = true;
        interrupt?.();
        this.appended.off('appended', onAppend);
        await loop.catch(() => undefined);
      },
      hurry: () => {
        hurried = true;
        gathering?.();
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

/** The parameters of READ_ALL_FROM, shared by readAll, readAllToFold and the live read. */
function readAllParameters(options: ReadAllOptions): unknown[] {
  const after = options.after ?? START;
  return [after.commit.toString(), after.prepare.toString(), options.streamPrefix ?? null, options.limit ?? 1000];
}

function lastRow(rows: readonly AppendedRow[]): AppendedRow {
  return rows.reduce((last, row) => (BigInt(row.stream_revision) > BigInt(last.stream_revision) ? row : last));
}

function toRecordedEvent(row: EventHeadRow, payload: Payload): RecordedEvent;
function toRecordedEvent(row: EventHeadRow, payload: Pick<EventToFold, 'data' | 'metadata'>): EventToFold;
function toRecordedEvent(row: EventHeadRow, payload: Pick<EventToFold, 'data' | 'metadata'>): EventToFold {
  return {
    id: row.event_id,
    type: row.event_type,
    schemaVersion: Number(row.schema_version),
    data: payload.data,
    metadata: payload.metadata,
    streamId: row.stream_id,
    revision: BigInt(row.stream_revision),
    position: { commit: BigInt(row.transaction_id), prepare: BigInt(row.global_position) },
    recordedAt: row.recorded_at,
  };
}

/** The expected revision was not found: its stream is shorter (see appendSql). */
function isMissingRevision(error: unknown): boolean {
  const e = error as { code?: string; column?: string; message?: string };
  return e?.code === '23502' && (e.column === 'stream_revision' || (e.message ?? '').includes('"stream_revision"'));
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  if (e?.code !== '23505') return false;
  if (!constraint) return true;
  return e.constraint === constraint || (e.message ?? '').includes(constraint);
}
