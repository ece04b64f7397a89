import { Session } from 'node:inspector/promises';
import { constants } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { SqlClient } from '@scope-ledger/event-store';
import {
  BENCH_ADMIN_KEY,
  changeRequestBody,
  openProject,
  startBareEndpoint,
  startBenchServer,
} from '../support/bench-server';
import { observeCollections } from '../support/collections';
import { createSchema, dropEverything, pgClient } from '../support/databases';
import { runLoad } from '../support/load';
import { runProbe } from '../support/probe';
import { aroundStatements } from '../support/statement-count';

/**
 * Section 2's half-rate run (logging change requests at a set rate, open loop) with a timeline
 * of what the server did around its slowest requests: the slowest hundredth of the requests
 * (when each was due), this process's garbage collections of 5 ms or more, moments its event
 * loop ran 20 ms late, and statements and transactions that took 15 ms or more. For finding
 * what a run's p99 hangs on.
 *
 *   npm run build && npx swc bench -d dist --config-file .swcrc --quiet
 *   RATE=600 SECONDS=15 node --max-semi-space-size=64 dist/bench/probes/half-rate-timeline.js
 *   WARMUP=60 ...    runs at full speed for a minute first (5 s unless set), as npm run bench does before its
 *                    half-rate run
 *   BARE=1 ...       sends the load to the bare endpoint instead
 *   HEAPPROF=1 ...   also prints where the objects that only full collections freed were allocated
 *                    (HEAPPROF=all: every object);
 *                    run node with --expose-gc to leave out the objects still in the young generation at the end
 *   SNAPSHOT=<file>  also writes a heap snapshot of this process when the run ends
 */
type Note = { at: number; what: string };
const notes: Note[] = [];
const note = (at: number, what: string) => notes.push({ at, what });

/** Notes every statement and transaction of the server's that takes 15 ms or more. */
function timedStatements(inner: SqlClient): SqlClient {
  return aroundStatements(inner, async (sent, run) => {
    const started = Date.now();
    try {
      return await run();
    } finally {
      const ms = Date.now() - started;
      const label = sent.kind === 'transaction' ? 'transaction' : sent.inTransaction ? '  in transaction' : 'statement';
      if (ms >= 15) note(started, `${label} ${ms} ms ${sent.text.replace(/\s+/g, ' ').slice(0, 60)}`);
    }
  });
}

function watchThisProcess(): () => void {
  const kinds: Record<number, string> = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
  };
  const stopObserving = observeCollections(({ kind, startedAt, ms }) => {
    if (ms >= 5) note(startedAt, `collection (${kinds[kind] ?? kind}) ${ms.toFixed(1)} ms`);
  });
  let last = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    if (now - last > 25) note(last, `event loop ${now - last - 5} ms late`);
    last = now;
  }, 5);
  return () => {
    clearInterval(timer);
    stopObserving();
  };
}

/** Allocation sites of the sampled objects that survived the young generation, by their last four frames. */
async function startHeapSampling(): Promise<() => Promise<string[]>> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 16_384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: process.env.HEAPPROF === 'all',
  } as unknown as Parameters<Session['post']>[1]);
  return async () => {
    type SampleNode = {
      callFrame: { functionName: string; url: string; lineNumber: number };
      selfSize: number;
      children: SampleNode[];
    };
    // With --expose-gc, two young collections first: what is left is what reached the old generation.
    const collect = (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc;
    if (collect && process.env.HEAPPROF !== 'all') for (let i = 0; i < 2; i++) collect({ type: 'minor' });
    const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
      profile: { head: SampleNode };
    };
    session.disconnect();
    const bySite = new Map<string, number>();
    const walk = (node: SampleNode, stack: string[]) => {
      const { functionName, url, lineNumber } = node.callFrame;
      const path = [
        ...stack,
        `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`,
      ];
      if (node.selfSize > 0) {
        const site = path.slice(-4).reverse().join(' < ');
        bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
      }
      for (const child of node.children) walk(child, path);
    };
    walk(profile.head, []);
    const mb = (bytes: number) => (bytes / 1024 ** 2).toFixed(2).padStart(7);
    const total = [...bySite.values()].reduce((a, b) => a + b, 0);
    return [
      `${mb(total)} MB sampled (alive at the end, or freed by a full collection)`,
      ...[...bySite]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 25)
        .map(([site, bytes]) => `${mb(bytes)} MB  ${site}`),
    ];
  };
}

async function main(): Promise<void> {
  const rate = Number(process.env.RATE ?? 600);
  const seconds = Number(process.env.SECONDS ?? 15);
  const sql = pgClient(await createSchema('half_rate'));
  const server = await startBenchServer(timedStatements(sql));
  const bare = process.env.BARE ? await startBareEndpoint() : undefined;
  const stopWatching = watchThisProcess();
  try {
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) ids.push(await openProject(server.projects, `Load test project ${i + 1}`));
    const load = {
      method: 'POST' as const,
      baseUrl: bare?.baseUrl ?? server.baseUrl,
      connections: 16,
      paths: ids.map((id) => `/api/projects/${id}/change-requests`),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_ADMIN_KEY}` },
      body: JSON.stringify(changeRequestBody()),
    };
    await runLoad({ ...load, seconds: Number(process.env.WARMUP ?? 5) });
    // As npm run bench does between its runs: the read models catch up before the next one.
    await server.server.platform.runner.waitFor(server.projects.lastWrittenPosition, 60_000);
    notes.length = 0;
    const heap = process.env.HEAPPROF ? await startHeapSampling() : undefined;
    const result = await runLoad({
      ...load,
      seconds,
      overallRate: rate,
      leadInSeconds: Number(process.env.LEADIN ?? 1),
    });
    const sites = await heap?.();
    if (process.env.SNAPSHOT) console.log(`heap snapshot: ${writeHeapSnapshot(process.env.SNAPSHOT)}`);
    console.log(
      `${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms ` +
        `(ms from the start of the run)`,
    );
    const start = result.startedAt!;
    const timeline = [
      ...notes.map((n) => ({ at: n.at - start, what: n.what })),
      ...(result.slowest ?? []).map((r) => ({ at: r.dueMs, what: `    request due, took ${r.ms} ms` })),
    ].sort((a, b) => a.at - b.at);
    for (const line of timeline)
      if (line.at >= 0) console.log(`${String(Math.round(line.at)).padStart(6)}  ${line.what}`);
    if (sites) console.log(sites.join('\n'));
  } finally {
    stopWatching();
    await bare?.app.close();
    await server.close();
    await sql.close();
    await dropEverything();
  }
}

runProbe(main);
