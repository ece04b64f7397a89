import { performance } from 'node:perf_hooks';
import { changeRequestLoad, openProject, startBenchServer } from '../support/bench-server';
import { createSchema, dropEverything, pgClient } from '../support/databases';
import { runLoad } from '../support/load';
import { runProbe } from '../support/probe';
import { aroundStatements } from '../support/statement-count';

/**
 * What the server's event loop waits for at the peak: section 2's load (16 connections logging
 * change requests over 100 projects) with every statement and transaction the server sends timed
 * in the process, from the call to its answer. Per round: how busy the event loop was, and for
 * the event INSERTs, the projection's transactions and the other statements, how many per command
 * and their median and 90th-percentile round trips; for the INSERTs, the share that carried one
 * event (an append alone in its statement).
 *
 *   npm run build && npx swc bench -d dist --config-file .swcrc --quiet
 *   ROUNDS=2 SECONDS=6 node --max-semi-space-size=64 dist/bench/probes/statement-times.js
 */
async function main(): Promise<void> {
  const rounds = Number(process.env.ROUNDS ?? 2);
  const seconds = Number(process.env.SECONDS ?? 6);
  const kinds = new Map<string, number[]>();
  let inserts = 0;
  let singleEventInserts = 0;
  const note = (kind: string, ms: number) => {
    const list = kinds.get(kind);
    if (list) list.push(ms);
    else kinds.set(kind, [ms]);
  };
  const sql = aroundStatements(pgClient(await createSchema('statement_times')), async (sent, run) => {
    const started = performance.now();
    const result = await run();
    if (sent.inTransaction) return result;
    const kind =
      sent.kind === 'transaction'
        ? 'transaction'
        : sent.text.startsWith('INSERT INTO events')
          ? 'event INSERT'
          : 'other statement';
    note(kind, performance.now() - started);
    if (kind === 'event INSERT') {
      inserts += 1;
      if ((result as { rows?: unknown[] }).rows?.length === 1) singleEventInserts += 1;
    }
    return result;
  });
  const server = await startBenchServer(sql);
  try {
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) ids.push(await openProject(server.projects, `Load test project ${i + 1}`));
    const load = (secs: number) => runLoad(changeRequestLoad(server.baseUrl, ids, secs));
    // The command path warms up for about 20 s (bench/notes.md).
    await load(20);
    for (let round = 1; round <= rounds; round++) {
      kinds.clear();
      inserts = 0;
      singleEventInserts = 0;
      const loop = performance.eventLoopUtilization();
      const result = await load(seconds);
      const busy = performance.eventLoopUtilization(loop).utilization;
      console.log(
        `round ${round}: ${Math.round(result.requestsPerSecond)} req/s, event loop busy ${Math.round(busy * 100)} %`,
      );
      for (const [kind, times] of kinds) {
        times.sort((a, b) => a - b);
        const at = (q: number) => times[Math.min(times.length - 1, Math.floor(times.length * q))].toFixed(2);
        console.log(
          `  ${kind.padEnd(15)} ${(times.length / result.ok).toFixed(3)} per command, ` +
            `round trip p50 ${at(0.5)} ms, p90 ${at(0.9)} ms`,
        );
      }
      if (inserts > 0)
        console.log(`  event INSERTs carrying one event: ${Math.round((100 * singleEventInserts) / inserts)} %`);
    }
  } finally {
    await server.close();
    await dropEverything();
  }
}

runProbe(main);
