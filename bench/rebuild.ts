import { fork } from 'node:child_process';
import { join } from 'node:path';
import { PostgresEventStore, SqlClient } from '@scope-ledger/event-store';
import { BenchConfig } from './config';
import { bulkLoad } from './support/bulk-load';
import { checkpoints } from './support/checkpoints';
import { createSchema, openPglite, pgClient, pgliteFolder, postgresUrl } from './support/databases';
import { interleavedHistories } from './support/event-mix';
import { progress } from './support/progress';
import { nowMs } from './support/stats';
import type { RebuildOutcome, RebuildTarget } from './support/rebuild-worker';

/**
 * Rebuilding the read tables from the event log, at two sizes, in a fresh process each
 * time: events per second and that process's peak resident memory.
 */
export interface RebuildRow extends RebuildOutcome {
  readonly database: 'PostgreSQL' | 'PGlite';
  /** Peak RSS of a second rebuild of the same log with a full garbage collection after each batch. */
  readonly collectedPeakRssBytes: number;
}

export interface RebuildResult {
  readonly rows: RebuildRow[];
  readonly mix: { readonly activeProjects: number; readonly eventsPerProject: readonly [number, number] };
  /** Share of each event type in the PostgreSQL data set. */
  readonly eventTypes: { type: string; count: number }[];
  readonly projects: number;
}

const MIX = { activeProjects: 200, eventsPerProject: [30, 150] as const };

function rebuildInWorker(target: RebuildTarget, label: string): Promise<RebuildOutcome> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'support', 'rebuild-worker.js'), [JSON.stringify(target)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // For the second rebuild's collection after each batch.
      execArgv: ['--expose-gc'],
    });
    let outcome: RebuildOutcome | undefined;
    child.on('message', (message: { progress?: number; outcome?: RebuildOutcome }) => {
      if (message.progress !== undefined)
        progress(`  ${label}: ${message.progress.toLocaleString('en-US')} events rebuilt`);
      if (message.outcome) outcome = message.outcome;
    });
    child.on('error', reject);
    child.on('exit', (code) => (outcome ? resolve(outcome) : reject(new Error(`rebuild worker exited with ${code}`))));
  });
}

/** A timed rebuild, then one with a collection after each batch for its memory. */
async function rebuildTwice(
  target: RebuildTarget,
  database: string,
  size: number,
): Promise<RebuildOutcome & { collectedPeakRssBytes: number }> {
  const label = `${database} ${size.toLocaleString('en-US')}`;
  const outcome = await rebuildInWorker(target, label);
  const collected = await rebuildInWorker(
    { ...target, collectEachBatch: true },
    `${label}, collecting after each batch`,
  );
  const mib = (bytes: number) => Math.round(bytes / 1048576);
  progress(
    `  ${database}: ${outcome.events.toLocaleString('en-US')} events rebuilt at ` +
      `${Math.round(outcome.events / outcome.seconds).toLocaleString('en-US')}/s, ` +
      `peak RSS ${mib(outcome.peakRssBytes)} MiB (${mib(collected.peakRssBytes)} MiB collecting after each batch)`,
  );
  return { ...outcome, collectedPeakRssBytes: collected.peakRssBytes };
}

async function load(sql: SqlClient, events: number, seed: number, label: string): Promise<void> {
  const started = nowMs();
  let reported = 0;
  await bulkLoad(sql, interleavedHistories({ totalEvents: events, ...MIX, seed }), {
    rowsPerStatement: 2_000,
    onProgress: (written) => {
      if (written - reported >= 100_000) {
        reported = written;
        progress(`  ${label}: ${written.toLocaleString('en-US')} events written`);
      }
    },
  });
  progress(
    `  ${label}: ${events.toLocaleString('en-US')} events generated and written ` +
      `in ${((nowMs() - started) / 1000).toFixed(1)} s`,
  );
}

export async function rebuildBenchmark(config: BenchConfig): Promise<RebuildResult> {
  const rows: RebuildRow[] = [];

  progress('Projection rebuild on PostgreSQL');
  const schema = await createSchema('rebuild');
  const sql = pgClient(schema);
  let eventTypes: { type: string; count: number }[];
  let projects: number;
  try {
    await PostgresEventStore.create(sql);
    let loaded = 0;
    for (const [i, size] of config.rebuildPostgres.entries()) {
      checkpoints.during(`rebuild on PostgreSQL: writing the log up to ${size.toLocaleString('en-US')} events`);
      await load(sql, size - loaded, 100 + i, 'PostgreSQL');
      loaded = size;
      // Writing the log leaves hundreds of megabytes of dirty pages that the checkpointer would
      // write out over the following minutes; a CHECKPOINT first keeps that out of the rebuild's time.
      checkpoints.during(`rebuild on PostgreSQL: ${size.toLocaleString('en-US')} events`);
      await checkpoints.checkpoint();
      rows.push({
        database: 'PostgreSQL',
        ...(await rebuildTwice({ kind: 'postgres', url: postgresUrl, schema: schema.schema }, 'PostgreSQL', size)),
      });
    }
    const types = await sql.query<{ type: string; count: string }>(
      `SELECT event_type AS type, count(*)::text AS count FROM events GROUP BY 1 ORDER BY count(*) DESC`,
    );
    eventTypes = types.rows.map((r) => ({ type: r.type, count: Number(r.count) }));
    projects = Number(
      (await sql.query<{ n: string }>(`SELECT count(DISTINCT stream_id)::text AS n FROM events`)).rows[0].n,
    );
  } finally {
    await sql.close();
  }

  progress('Projection rebuild on PGlite');
  checkpoints.during('rebuild on PGlite');
  const folder = await pgliteFolder('rebuild');
  let loaded = 0;
  for (const [i, size] of config.rebuildPglite.entries()) {
    const pglite = await openPglite(folder);
    try {
      await PostgresEventStore.create(pglite);
      await load(pglite, size - loaded, 200 + i, 'PGlite');
    } finally {
      await pglite.close();
    }
    loaded = size;
    rows.push({ database: 'PGlite', ...(await rebuildTwice({ kind: 'pglite', folder }, 'PGlite', size)) });
  }
  return { rows, mix: MIX, eventTypes, projects };
}
