import { constants } from 'node:perf_hooks';
import { BenchConfig } from './config';
import {
  BenchServer,
  BENCH_ADMIN_KEY,
  changeRequestBody,
  openProject,
  startBareEndpoint,
} from './support/bench-server';
import { checkpoints } from './support/checkpoints';
import { observeCollections } from './support/collections';
import { LoadResult, runLoad } from './support/load';
import { progress } from './support/progress';
import { median } from './support/stats';

/**
 * POST /api/projects/:id/change-requests under concurrent load, against a bare Nest endpoint
 * in the same process that parses and validates the same DTO and does nothing else. The
 * command path adds authentication (an API-key lookup), decide, the hash chain, one durable
 * append and the read tables' update that follows it.
 */
export interface CommandsResult {
  readonly connections: number;
  readonly projects: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly halfRateSeconds: number;
  /** The peak runs, bare endpoint and command in turn, the order swapped each round. */
  readonly rounds: readonly { readonly bare: LoadResult; readonly ledger: LoadResult }[];
  /** Medians over the rounds. */
  readonly bare: LoadResult;
  readonly ledger: LoadResult;
  /** The median of each round's command rate over its bare rate. */
  readonly throughputRatio: number;
  readonly halfRate: LoadResult & { readonly targetRate: number; readonly gc: GcTally };
  /** Bytes of write-ahead log PostgreSQL wrote per command answered, during the peak runs (undefined if unknown). */
  readonly walBytesPerCommand?: number;
}

export async function commandsBenchmark(config: BenchConfig, bench: BenchServer): Promise<CommandsResult> {
  progress(`Commands over HTTP: opening ${config.httpProjects} projects`);
  const ids: string[] = [];
  for (let i = 0; i < config.httpProjects; i++)
    ids.push(await openProject(bench.commands, `Load test project ${i + 1}`));
  const paths = ids.map((id) => `/api/projects/${id}/change-requests`);
  const bare = await startBareEndpoint();
  const common = {
    method: 'POST' as const,
    paths,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_ADMIN_KEY}` },
    body: JSON.stringify(changeRequestBody()),
    connections: config.httpConnections,
  };
  try {
    const run = async (label: string, baseUrl: string, seconds: number, overallRate?: number) => {
      const result = await runLoad({ ...common, baseUrl, seconds, overallRate });
      if (result.non2xx > 0 || result.errors > 0)
        throw new Error(`${label}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
      return result;
    };
    progress('  warm-up: bare endpoint, then log change request');
    checkpoints.during('HTTP: warm-up');
    await run('bare warm-up', bare.baseUrl, config.httpWarmupSeconds);
    await run('command warm-up', bench.baseUrl, config.httpWarmupSeconds);

    // The machine's speed drifts from minute to minute: the two are measured in turn, several
    // times, and compared round by round.
    const rounds: { bare: LoadResult; ledger: LoadResult }[] = [];
    checkpoints.during('HTTP: peak rounds');
    let commands = 0;
    let walBytes: bigint | undefined = 0n;
    for (let round = 1; round <= config.httpRounds; round++) {
      const measureLedger = async () => {
        const walBefore = await checkpoints.walPosition();
        const ledger = await run('command', bench.baseUrl, config.httpSeconds);
        // Work the last commands set off (read tables, notifications) counts too.
        await bench.server.platform.processor.waitFor(bench.commands.lastWrittenPosition, 120_000);
        const walAfter = await checkpoints.walPosition();
        walBytes =
          walBytes !== undefined && walBefore !== undefined && walAfter !== undefined
            ? walBytes + walAfter - walBefore
            : undefined;
        commands += ledger.ok;
        return ledger;
      };
      const measureBare = () => run('bare', bare.baseUrl, config.httpSeconds);
      let result: { bare: LoadResult; ledger: LoadResult };
      if (round % 2 === 1) {
        const bareResult = await measureBare();
        result = { bare: bareResult, ledger: await measureLedger() };
      } else {
        const ledger = await measureLedger();
        result = { bare: await measureBare(), ledger };
      }
      rounds.push(result);
      progress(
        `  round ${round}: bare ${Math.round(result.bare.requestsPerSecond)} req/s, ` +
          `log change request ${Math.round(result.ledger.requestsPerSecond)} req/s ` +
          `(p50 ${result.ledger.p50Ms} ms, p99 ${result.ledger.p99Ms} ms) ` +
          `= ${(result.ledger.requestsPerSecond / result.bare.requestsPerSecond).toFixed(2)}×`,
      );
    }
    const bareResult = medianLoad(rounds.map((r) => r.bare));
    const ledger = medianLoad(rounds.map((r) => r.ledger));

    const targetRate = Math.max(1, Math.floor(ledger.requestsPerSecond / 2));
    progress(`  log change request at half the peak rate (${targetRate} req/s)`);
    checkpoints.during('HTTP: half rate');
    const gc = countGarbageCollections();
    const half = await run('command at half rate', bench.baseUrl, config.httpHalfRateSeconds, targetRate);
    const gcTally = gc.stop();
    progress(
      `  half rate: ${Math.round(half.requestsPerSecond)} req/s, p50 ${half.p50Ms} ms, ` +
        `p99 ${half.p99Ms} ms, p99.9 ${half.p999Ms} ms; ` +
        `the server's process paused ${gcTally.pauseMs.toFixed(0)} ms ` +
        `for ${gcTally.minor} minor and ${gcTally.major} major collections`,
    );
    return {
      connections: config.httpConnections,
      projects: config.httpProjects,
      warmupSeconds: config.httpWarmupSeconds,
      seconds: config.httpSeconds,
      halfRateSeconds: config.httpHalfRateSeconds,
      rounds,
      bare: bareResult,
      ledger,
      throughputRatio: median(rounds.map((r) => r.ledger.requestsPerSecond / r.bare.requestsPerSecond)),
      halfRate: { ...half, targetRate, gc: gcTally },
      walBytesPerCommand: walBytes === undefined ? undefined : Number(walBytes) / commands,
    };
  } finally {
    await bare.app.close();
  }
}

/** The garbage collections of this process (the server's) over a stretch of time. */
export interface GcTally {
  readonly minor: number;
  readonly major: number;
  /** Their pauses of the main thread, added up. */
  readonly pauseMs: number;
}

function countGarbageCollections(): { stop(): GcTally } {
  const tally = { minor: 0, major: 0, pauseMs: 0 };
  const stop = observeCollections(({ kind, ms }) => {
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) tally.minor += 1;
    if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) tally.major += 1;
    tally.pauseMs += ms;
  });
  return {
    stop() {
      stop();
      return { ...tally };
    },
  };
}

/** Each figure's median over several runs. */
function medianLoad(results: readonly LoadResult[]): LoadResult {
  const of = (pick: (r: LoadResult) => number) => median(results.map(pick));
  return {
    requestsPerSecond: of((r) => r.requestsPerSecond),
    p50Ms: of((r) => r.p50Ms),
    p99Ms: of((r) => r.p99Ms),
    ok: results.reduce((sum, r) => sum + r.ok, 0),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
  };
}
