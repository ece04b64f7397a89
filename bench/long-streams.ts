import { randomUUID } from 'node:crypto';
import { PROJECT_TABLES } from '@scope-ledger/projections';
import { BenchConfig } from './config';
import { BenchServer, postChangeRequest } from './support/bench-server';
import { bulkLoad } from './support/bulk-load';
import { projectHistory } from './support/event-mix';
import { timeSequential } from './support/load';
import { checkpoints } from './support/checkpoints';
import { progress } from './support/progress';
import { median, nowMs, percentile } from './support/stats';

/**
 * Command latency on a project whose stream holds 10,000 events against one holding 10:
 * the first command after a start (which reads the stream) and then sequential commands,
 * the two projects taking turns, each timed from request to response over HTTP.
 */
export interface LongStreamSide {
  readonly events: number;
  readonly firstMs: number;
  readonly medianMs: number;
  readonly p99Ms: number;
  /** The project's rows in the read tables, after the commands. */
  readonly rowBytes: number;
}

export interface LongStreamResult {
  readonly commands: number;
  readonly short: LongStreamSide;
  readonly long: LongStreamSide;
}

export async function longStreamBenchmark(config: BenchConfig, bench: BenchServer): Promise<LongStreamResult> {
  const { platform } = bench.server;
  const shortId = randomUUID();
  const longId = randomUUID();
  checkpoints.during('long streams');
  progress(
    `Long streams: writing a project of ${config.longStreamEvents.toLocaleString('en-US')} events and one of 10`,
  );
  const started = nowMs();
  await bulkLoad(platform.sql, projectHistory(shortId, 10, 21));
  await bulkLoad(platform.sql, projectHistory(longId, config.longStreamEvents, 22));
  progress(`  written in ${((nowMs() - started) / 1000).toFixed(1)} s; waiting for the read models`);
  await platform.processor.waitFor(await platform.store.headPosition(), 120_000);

  const sendShort = postChangeRequest(bench.baseUrl, shortId);
  const sendLong = postChangeRequest(bench.baseUrl, longId);
  const [shortFirst] = await timeSequential(1, sendShort);
  const [longFirst] = await timeSequential(1, sendLong);
  await timeSequential(3, sendShort); // warm-up
  await timeSequential(3, sendLong);
  // The two projects take turns, the order swapped each time, so that the machine's drift
  // from second to second weighs on both alike.
  const samples = { short: [] as number[], long: [] as number[] };
  for (let i = 0; i < config.longStreamCommands; i++) {
    const turns = i % 2 === 0 ? (['short', 'long'] as const) : (['long', 'short'] as const);
    for (const turn of turns) samples[turn].push(await timeOne(turn === 'short' ? sendShort : sendLong, i));
  }
  await platform.processor.waitFor(await platform.store.headPosition(), 120_000);
  const side = async (id: string, events: number, firstMs: number, times: number[]): Promise<LongStreamSide> => {
    const perTable = PROJECT_TABLES.map(
      (table) => `SELECT coalesce(sum(pg_column_size(r.*)), 0) AS bytes FROM ${table} r WHERE project_id = $1`,
    );
    const { rows } = await platform.sql.query<{ bytes: string }>(
      `SELECT sum(bytes)::text AS bytes FROM (${perTable.join(' UNION ALL ')}) AS tables`,
      [id],
    );
    return { events, firstMs, medianMs: median(times), p99Ms: percentile(times, 99), rowBytes: Number(rows[0].bytes) };
  };
  const short = await side(shortId, 10, shortFirst, samples.short);
  progress(
    `  10 events: first command ${short.firstMs.toFixed(1)} ms, then median ${short.medianMs.toFixed(2)} ms, ` +
      `p99 ${short.p99Ms.toFixed(2)} ms`,
  );
  const long = await side(longId, config.longStreamEvents, longFirst, samples.long);
  progress(
    `  ${config.longStreamEvents} events: first command ${long.firstMs.toFixed(1)} ms, ` +
      `then median ${long.medianMs.toFixed(2)} ms, p99 ${long.p99Ms.toFixed(2)} ms`,
  );
  return { commands: config.longStreamCommands, short, long };
}

/** One request's time from sending to the whole answer read. */
async function timeOne(send: (i: number) => Promise<Response>, i: number): Promise<number> {
  const [ms] = await timeSequential(1, () => send(i));
  return ms;
}
