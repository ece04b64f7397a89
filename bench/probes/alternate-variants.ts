import { performance } from 'node:perf_hooks';
import { EventStore, PostgresEventStore, SubscribeOptions } from '@scope-ledger/event-store';
import { BenchServer, changeRequestLoad, openProject, startBenchServer } from '../support/bench-server';
import { postgresCpuSeconds } from '../support/cpu-usage';
import { createSchema, dropEverything, pgClient } from '../support/databases';
import { countStatements } from '../support/statement-count';
import { runLoad } from '../support/load';
import { runProbe } from '../support/probe';
import { median } from '../support/stats';

/**
 * Section 2's load (16 connections logging change requests over 100 projects) on one server,
 * in short rounds that alternate between the code as it is and an earlier behaviour brought
 * back for the round (ABBA order). Both run in the same process on the same data, a few
 * seconds apart, so the machine's drift from minute to minute weighs on both alike; separate
 * processes measured minutes apart differed by more than the changes being weighed.
 *
 * With RATE set, the rounds are paced at that many requests/s (open loop, like section 2's
 * half-rate run) and the latencies are what to compare.
 *
 *   earlier=append-at-once   an append starts its statement at once when a slot is free,
 *                            rather than at the end of the event loop's turn
 *   earlier=gather-20        the live projection gathers 20 ms after a batch instead of 100
 *
 *   npm run build && npx swc bench -d dist --config-file .swcrc --quiet
 *   EARLIER=append-at-once PAIRS=8 SECONDS=3 node --max-semi-space-size=64 dist/bench/probes/alternate-variants.js
 *   EARLIER=gather-20 RATE=700 PAIRS=8 SECONDS=5 node --max-semi-space-size=64 dist/bench/probes/alternate-variants.js
 */
type Earlier = 'append-at-once' | 'gather-20';

async function main(): Promise<void> {
  const earlier = (process.env.EARLIER ?? 'append-at-once') as Earlier;
  if (earlier !== 'append-at-once' && earlier !== 'gather-20')
    throw new Error(`EARLIER must be append-at-once or gather-20, not ${earlier}`);
  const pairs = Number(process.env.PAIRS ?? 8);
  const seconds = Number(process.env.SECONDS ?? 3);
  // Paced rounds at this many requests/s (open loop, as section 2's half-rate run), for latency rather than throughput.
  const rate = process.env.RATE ? Number(process.env.RATE) : undefined;
  let earlierOn = false;
  const database = countStatements(pgClient(await createSchema('alternate')));
  const server = await startBenchServer(database.sql);
  try {
    await bringBack(earlier, server, () => earlierOn);
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) ids.push(await openProject(server.projects, `Load test project ${i + 1}`));
    const load = (secs: number, overallRate?: number) =>
      runLoad(changeRequestLoad(server.baseUrl, ids, secs, { overallRate }));
    // The command path warms up for about 20 s (bench/notes.md).
    await load(20);
    const rounds = { earlier: [] as Round[], now: [] as Round[] };
    for (let r = 0; r < pairs * 2; r++) {
      earlierOn = r % 4 === 1 || r % 4 === 2;
      const cpu = process.cpuUsage();
      const postgres = postgresCpuSeconds();
      const loop = performance.eventLoopUtilization();
      const statements = database.statements();
      const result = await load(seconds, rate);
      const own = process.cpuUsage(cpu);
      const round: Round = {
        rate: result.requestsPerSecond,
        cpuMicros: (own.user + own.system) / result.ok,
        postgresMicros: ((postgresCpuSeconds() - postgres) * 1e6) / result.ok,
        busy: performance.eventLoopUtilization(loop).utilization,
        statements: (database.statements() - statements) / result.ok,
        p50: result.p50Ms,
        p99: result.p99Ms,
      };
      (earlierOn ? rounds.earlier : rounds.now).push(round);
      console.log(
        `${(earlierOn ? earlier : 'as it is').padEnd(14)} ${Math.round(round.rate)} req/s, ` +
          `p99 ${result.p99Ms} ms; per command: ` +
          `this process ${Math.round(round.cpuMicros)} µs of CPU, postgres ${Math.round(round.postgresMicros)} µs, ` +
          `${round.statements.toFixed(2)} statements; ` +
          `event loop busy ${Math.round(round.busy * 100)} %`,
      );
    }
    const summary = (label: string, list: Round[]) =>
      `${label.padEnd(14)} median ${Math.round(median(list.map((x) => x.rate)))} req/s, ` +
      `p50 ${median(list.map((x) => x.p50))} ms, p99 ${median(list.map((x) => x.p99))} ms; ` +
      `per command this process ${Math.round(median(list.map((x) => x.cpuMicros)))} µs, ` +
      `postgres ${Math.round(median(list.map((x) => x.postgresMicros)))} µs, ` +
      `${median(list.map((x) => x.statements)).toFixed(2)} statements`;
    console.log(summary(earlier, rounds.earlier));
    console.log(summary('as it is', rounds.now));
    console.log(
      `as it is ÷ ${earlier}: ` +
        `${(median(rounds.now.map((x) => x.rate)) / median(rounds.earlier.map((x) => x.rate))).toFixed(3)}` +
        `× the throughput`,
    );
  } finally {
    await server.close();
    await dropEverything();
  }
}

interface Round {
  rate: number;
  cpuMicros: number;
  postgresMicros: number;
  busy: number;
  statements: number;
  p50: number;
  p99: number;
}

/**
 * Brings back the earlier behaviour whenever `on()` says so, append by append or pause by pause:
 * appends by patching the event store's prototype, the gather by restarting the projection
 * runner on a view of the store whose subscriptions read their gather through a switch (the
 * notifications' subscription keeps its own).
 */
async function bringBack(earlier: Earlier, server: BenchServer, on: () => boolean): Promise<void> {
  if (earlier === 'append-at-once') {
    const proto = PostgresEventStore.prototype as unknown as { append(...args: unknown[]): Promise<unknown> };
    const append = proto.append;
    proto.append = function (this: { writePending(): void }, ...args: unknown[]) {
      const appended = append.apply(this, args);
      // The statement starts now, as it did; the end of the turn then finds nothing left to start.
      if (on()) this.writePending();
      return appended;
    };
    return;
  }
  const runner = server.server.platform.runner as unknown as {
    store: EventStore;
    stop(): Promise<void>;
    start(): Promise<void>;
  };
  await runner.stop();
  const store = runner.store;
  runner.store = Object.create(store, {
    subscribe: {
      value: (handler: Parameters<EventStore['subscribe']>[0], options: SubscribeOptions = {}) => {
        const gatherMs = options.gatherMs;
        // The subscription reads gatherMs before each pause.
        return store.subscribe(
          handler,
          Object.create(options, { gatherMs: { get: () => (on() ? 20 : gatherMs) } }) as SubscribeOptions,
        );
      },
    },
  }) as EventStore;
  await runner.start();
}

runProbe(main);
