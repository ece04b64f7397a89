import { getPostgreSQLEventStore, PostgresEventStore as EmmettEventStore } from '@event-driven-io/emmett-postgresql';
import { isExpectedVersionConflictError } from '@event-driven-io/emmett';
import {
  NewEvent,
  newEventId,
  PostgresEventStore,
  SqlClient,
  WrongExpectedRevisionError,
} from '@scope-ledger/event-store';
import { BenchConfig } from './config';
import { checkpoints } from './support/checkpoints';
import { createSchema, openPglite, pgClient, pgliteFolder } from './support/databases';
import { interleavedHistories } from './support/event-mix';
import { progress } from './support/progress';
import { median, nowMs } from './support/stats';

/**
 * Append throughput of Scope Ledger's PostgresEventStore against Emmett's PostgreSQL event
 * store and against the raw limit: the same rows written by plain parameterised INSERTs with
 * revisions assigned in the process (no head lookup, no concurrency check). Each target has
 * its own tables; every target runs every scenario in every round, in rotating order.
 */

export interface AppendScenario {
  readonly label: string;
  readonly batch: number;
  readonly writers: number;
  readonly streams: 'many' | 'one';
}

export const APPEND_SCENARIOS: readonly AppendScenario[] = [
  { label: '1 event per append, many streams, 1 writer', batch: 1, writers: 1, streams: 'many' },
  { label: '1 event per append, many streams, 8 writers', batch: 1, writers: 8, streams: 'many' },
  { label: '1 event per append, one stream, 1 writer', batch: 1, writers: 1, streams: 'one' },
  { label: '1 event per append, one stream, 8 writers', batch: 1, writers: 8, streams: 'one' },
  { label: '100 events per append, many streams, 1 writer', batch: 100, writers: 1, streams: 'many' },
  { label: '100 events per append, many streams, 8 writers', batch: 100, writers: 8, streams: 'many' },
];

export type AppendTargetName = 'Scope Ledger' | 'Emmett' | 'raw INSERT';

export interface AppendRow {
  readonly database: 'PostgreSQL' | 'PGlite';
  readonly scenario: string;
  /** Median events per second by target. */
  readonly rates: Partial<Record<AppendTargetName, number>>;
  /** Appends refused as concurrent (and retried), by target, over all rounds. */
  readonly conflicts: Partial<Record<AppendTargetName, number>>;
}

class Conflict extends Error {}

interface AppendTarget {
  readonly name: AppendTargetName;
  /**
   * Appends after `expected` (the last revision, -1 for a new stream, 'any' for no check); returns the new last
   * revision.
   */
  append(streamId: string, events: readonly NewEvent[], expected: number | 'any'): Promise<number>;
  close(): Promise<void>;
}

class ScopeLedgerTarget implements AppendTarget {
  readonly name = 'Scope Ledger';
  private constructor(private readonly store: PostgresEventStore) {}

  static async open(sql: SqlClient): Promise<ScopeLedgerTarget> {
    return new ScopeLedgerTarget(await PostgresEventStore.create(sql));
  }

  async append(streamId: string, events: readonly NewEvent[], expected: number | 'any'): Promise<number> {
    try {
      const result = await this.store.append(
        streamId,
        events,
        expected === 'any' ? 'any' : expected < 0 ? 'no_stream' : BigInt(expected),
      );
      return Number(result.nextExpectedRevision);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) throw new Conflict();
      throw error;
    }
  }

  close() {
    return this.store.close();
  }
}

class EmmettTarget implements AppendTarget {
  readonly name = 'Emmett';
  constructor(private readonly store: EmmettEventStore) {}

  async append(streamId: string, events: readonly NewEvent[], expected: number | 'any'): Promise<number> {
    try {
      // Emmett counts events (a stream with one event is at version 1); Scope Ledger numbers them from 0.
      const result = await this.store.appendToStream(
        streamId,
        events.map((e) => ({ type: e.type, data: e.data, metadata: e.metadata })),
        expected === 'any' ? undefined : { expectedStreamVersion: BigInt(expected + 1) },
      );
      return Number(result.nextExpectedStreamVersion) - 1;
    } catch (error) {
      if (isExpectedVersionConflictError(error)) throw new Conflict();
      throw error;
    }
  }

  close() {
    return this.store.close();
  }
}

/** The same rows as the event store writes, by one multi-row INSERT into a copy of its table. */
class RawInsertTarget implements AppendTarget {
  readonly name = 'raw INSERT';
  private readonly heads = new Map<string, number>();
  private constructor(private readonly sql: SqlClient) {}

  static async open(sql: SqlClient): Promise<RawInsertTarget> {
    await PostgresEventStore.create(sql);
    await sql.exec(`CREATE TABLE raw_events (LIKE events INCLUDING ALL)`);
    return new RawInsertTarget(sql);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: number | 'any'): Promise<number> {
    const first = (expected === 'any' ? (this.heads.get(streamId) ?? -1) : expected) + 1;
    this.heads.set(streamId, first + events.length - 1);
    const params: unknown[] = [];
    const values = events.map((event, index) => {
      params.push(
        streamId,
        first + index,
        event.id,
        event.type,
        event.schemaVersion,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
      );
      const p = params.length - 6;
      return `($${p}, $${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6})`;
    });
    await this.sql.query(
      `INSERT INTO raw_events (stream_id, stream_revision, event_id, event_type, schema_version, data, metadata) ` +
        `VALUES ${values.join(', ')}`,
      params,
    );
    return first + events.length - 1;
  }

  async close() {}
}

/** Realistic payloads: events of generated projects, given fresh ids on every append. */
function eventPool(): NewEvent[] {
  const pool: NewEvent[] = [];
  for (const unit of interleavedHistories({
    totalEvents: 2_000,
    activeProjects: 20,
    eventsPerProject: [40, 80],
    seed: 3,
  }))
    pool.push(...unit.events);
  return pool;
}

async function measure(
  target: AppendTarget,
  scenario: AppendScenario,
  pool: readonly NewEvent[],
  durationMs: number,
  tag: string,
): Promise<{ rate: number; conflicts: number }> {
  let cursor = 0;
  const nextEvents = () =>
    Array.from({ length: scenario.batch }, () => {
      const template = pool[cursor++ % pool.length];
      return { ...template, id: newEventId() };
    });
  const oneStream = `bench-${tag}-hot`;
  let events = 0;
  let conflicts = 0;
  const deadline = nowMs() + durationMs;
  const started = nowMs();
  const writer = async (w: number) => {
    const heads = new Map<string, number>();
    let i = 0;
    while (nowMs() < deadline) {
      const streamId = scenario.streams === 'one' ? oneStream : `bench-${tag}-w${w}-s${i++ % 100}`;
      const batch = nextEvents();
      if (scenario.streams === 'one' && scenario.writers > 1) {
        // Writers race for the head of one stream: each refused append is retried.
        for (;;) {
          try {
            await target.append(streamId, batch, 'any');
            break;
          } catch (error) {
            if (!(error instanceof Conflict)) throw error;
            conflicts += 1;
          }
        }
      } else {
        heads.set(streamId, await target.append(streamId, batch, heads.get(streamId) ?? -1));
      }
      events += batch.length;
    }
  };
  await Promise.all(Array.from({ length: scenario.writers }, (_, w) => writer(w)));
  return { rate: (events / (nowMs() - started)) * 1000, conflicts };
}

async function runScenarios(
  database: AppendRow['database'],
  targets: AppendTarget[],
  config: BenchConfig,
  pool: readonly NewEvent[],
): Promise<AppendRow[]> {
  const rows: AppendRow[] = [];
  for (const scenario of APPEND_SCENARIOS) {
    const samples = new Map<AppendTargetName, number[]>();
    const conflicts = new Map<AppendTargetName, number>();
    for (const target of targets) {
      // Warm-up: connections and Emmett's schema check.
      await measure(target, scenario, pool, 60, `warm-${scenario.batch}-${scenario.writers}-${scenario.streams}`);
    }
    for (let round = 0; round < config.appendRounds; round++) {
      const order = targets.map((_, i) => targets[(i + round) % targets.length]);
      for (const target of order) {
        const tag = `r${round}-${scenario.batch}-${scenario.writers}-${scenario.streams}`;
        const result = await measure(target, scenario, pool, config.appendMs, tag);
        samples.set(target.name, [...(samples.get(target.name) ?? []), result.rate]);
        conflicts.set(target.name, (conflicts.get(target.name) ?? 0) + result.conflicts);
      }
    }
    const row: AppendRow = {
      database,
      scenario: scenario.label,
      rates: Object.fromEntries([...samples].map(([name, values]) => [name, median(values)])),
      conflicts: Object.fromEntries(conflicts),
    };
    progress(
      `  ${database}, ${scenario.label}: ` +
        targets.map((t) => `${t.name} ${Math.round(row.rates[t.name] ?? 0).toLocaleString('en-US')}/s`).join(', '),
    );
    rows.push(row);
  }
  return rows;
}

export interface AppendResult {
  readonly rows: AppendRow[];
  /** Mean JSON size of an event's data and metadata. */
  readonly eventBytes: number;
  readonly emmettOnPglite: string;
}

export async function appendBenchmark(config: BenchConfig): Promise<AppendResult> {
  const pool = eventPool();
  const eventBytes =
    pool.reduce((sum, e) => sum + JSON.stringify(e.data).length + JSON.stringify(e.metadata).length, 0) / pool.length;
  const rows: AppendRow[] = [];

  progress('Append throughput on PostgreSQL');
  checkpoints.during('append on PostgreSQL');
  const slSchema = await createSchema('append_sl');
  const emmettSchema = await createSchema('append_emmett');
  const slSql = pgClient(slSchema);
  const rawSql = pgClient(slSchema);
  const emmett = getPostgreSQLEventStore(emmettSchema.url, { schema: { autoMigration: 'CreateOrUpdate' } });
  const pgTargets: AppendTarget[] = [
    await ScopeLedgerTarget.open(slSql),
    new EmmettTarget(emmett),
    await RawInsertTarget.open(rawSql),
  ];
  try {
    rows.push(...(await runScenarios('PostgreSQL', pgTargets, config, pool)));
  } finally {
    for (const target of pgTargets) await target.close();
    await slSql.close();
    await rawSql.close();
  }

  progress('Append throughput on PGlite (a data folder, as the embedded default)');
  checkpoints.during('append on PGlite');
  const sql = await openPglite(await pgliteFolder('append'));
  const pgliteTargets: AppendTarget[] = [await ScopeLedgerTarget.open(sql), await RawInsertTarget.open(sql)];
  try {
    rows.push(...(await runScenarios('PGlite', pgliteTargets, config, pool)));
  } finally {
    for (const target of pgliteTargets) await target.close();
    await sql.close();
  }
  return {
    rows,
    eventBytes,
    emmettOnPglite:
      'Emmett 0.42 reaches PostgreSQL only through its `dumbo` 0.12 connection layer, ' +
      'which opens `pg` pools from a connection string; ' +
      'it has no way to run on an in-process PGlite, so the PGlite rows compare Scope Ledger with the raw limit only.',
  };
}
