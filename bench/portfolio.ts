import { PostgresEventStore } from '@scope-ledger/event-store';
import { BenchConfig } from './config';
import { BENCH_ADMIN_KEY, startBenchServer } from './support/bench-server';
import { bulkLoad } from './support/bulk-load';
import { createSchema, pgClient } from './support/databases';
import { interleavedHistories } from './support/event-mix';
import { timeSequential } from './support/load';
import { progress } from './support/progress';
import { median, nowMs, percentile } from './support/stats';

/** GET /api/portfolio over many projects, each with a realistic history. */
export interface PortfolioResult {
  readonly projects: number;
  readonly eventsPerProject: number;
  readonly requests: number;
  readonly catchUpSeconds: number;
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly responseBytes: number;
}

export async function portfolioBenchmark(config: BenchConfig): Promise<PortfolioResult> {
  const events = config.portfolioProjects * config.portfolioEventsPerProject;
  progress(
    `Portfolio: ${config.portfolioProjects.toLocaleString('en-US')} ` +
      `projects of ${config.portfolioEventsPerProject} events`,
  );
  const schema = await createSchema('portfolio');
  const sql = pgClient(schema);
  await PostgresEventStore.create(sql);
  await bulkLoad(
    sql,
    interleavedHistories({
      totalEvents: events,
      activeProjects: 100,
      eventsPerProject: config.portfolioEventsPerProject,
      seed: 31,
    }),
  );
  const started = nowMs();
  const bench = await startBenchServer(sql);
  try {
    const { platform } = bench.server;
    await platform.processor.waitFor(await platform.store.headPosition(), 120_000);
    const catchUpSeconds = (nowMs() - started) / 1000;
    progress(`  server started and read models caught up in ${catchUpSeconds.toFixed(1)} s`);
    const get = () =>
      fetch(`${bench.baseUrl}/api/portfolio`, { headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}` } });
    const first = await get();
    const body = (await first.json()) as { count: number };
    if (body.count !== config.portfolioProjects)
      throw new Error(`The portfolio lists ${body.count} projects, not ${config.portfolioProjects}`);
    const responseBytes = JSON.stringify(body).length;
    await timeSequential(3, get);
    const samples = await timeSequential(config.portfolioRequests, get);
    const result = {
      projects: body.count,
      eventsPerProject: config.portfolioEventsPerProject,
      requests: config.portfolioRequests,
      catchUpSeconds,
      medianMs: median(samples),
      p99Ms: percentile(samples, 99),
      responseBytes,
    };
    progress(
      `  GET /api/portfolio: median ${result.medianMs.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms ` +
        `(${Math.round(responseBytes / 1024)} KiB)`,
    );
    return result;
  } finally {
    await bench.close();
    await sql.close();
  }
}
