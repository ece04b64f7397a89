import { PgliteSqlClient, PgSqlClient, PostgresEventStore, SqlClient } from '@scope-ledger/event-store';
import { EventProcessor } from '@scope-ledger/projections';

/**
 * Rebuilds the read tables in a process of its own, so that its peak resident memory is the
 * rebuild's alone. Started by rebuild.ts; reports progress and one result over IPC.
 */
export type RebuildTarget = (
  | { readonly kind: 'postgres'; readonly url: string; readonly schema: string }
  | { readonly kind: 'pglite'; readonly folder: string }
) & {
  /**
   * Run a full garbage collection after each batch. V8 collects lazily and sizes its heap to
   * how much a process allocates, so a plain run's peak also counts garbage that grows with
   * the run's length; with a collection after each batch the peak is what a batch really holds.
   */
  readonly collectEachBatch?: boolean;
};

export interface RebuildOutcome {
  readonly events: number;
  readonly seconds: number;
  /** Resident set size before the rebuild started and at its peak (bytes). */
  readonly rssBeforeBytes: number;
  readonly peakRssBytes: number;
}

async function main(): Promise<void> {
  const target = JSON.parse(process.argv[2]) as RebuildTarget;
  const sql: SqlClient =
    target.kind === 'postgres'
      ? new PgSqlClient({ connectionString: target.url, schema: target.schema })
      : await PgliteSqlClient.open(target.folder);
  const store = await PostgresEventStore.create(sql);
  const processor = await EventProcessor.create(store, sql);
  global.gc?.();
  const rssBeforeBytes = process.memoryUsage().rss;
  let peakRssBytes = rssBeforeBytes;
  const sampler = setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  let lastReport = 0;
  const events = await processor.rebuild(({ processed }) => {
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss);
    if (target.collectEachBatch) global.gc!();
    if (performance.now() - lastReport > 2_000) {
      lastReport = performance.now();
      process.send!({ progress: processed });
    }
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  // maxRSS covers the whole life of this process, including moments between samples.
  peakRssBytes = Math.max(peakRssBytes, process.resourceUsage().maxRSS * 1024);
  await store.close();
  await sql.close();
  const outcome: RebuildOutcome = { events, seconds, rssBeforeBytes, peakRssBytes };
  process.send!({ outcome }, () => process.exit(0));
}

main().catch((error: Error) => {
  process.stderr.write(`rebuild worker failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
