import { randomUUID } from 'node:crypto';
import { postChangeRequest, startBenchServer } from '../support/bench-server';
import { startCpuProfile } from '../support/cpu-profile';
import { bulkLoad } from '../support/bulk-load';
import { createSchema, dropEverything, pgClient } from '../support/databases';
import { projectHistory } from '../support/event-mix';
import { timeSequential } from '../support/load';
import { median } from '../support/stats';
import { runProbe } from '../support/probe';

/**
 * Section 3 of the benchmarks with more commands and, with PROF=<file>, a CPU profile of the
 * server (this process) while it answers the commands on the long project: open it in Chrome
 * DevTools. Prints both medians and their ratio.
 *
 *   npm run build && npx swc bench -d dist --config-file .swcrc --quiet
 *   COMMANDS=100 PROF=/tmp/long.cpuprofile node dist/bench/probes/long-stream-profile.js
 */
async function main(): Promise<void> {
  const schema = await createSchema('probe');
  const sql = pgClient(schema);
  const bench = await startBenchServer(sql);
  try {
    const { platform } = bench.server;
    const shortId = randomUUID();
    const longId = randomUUID();
    await bulkLoad(platform.sql, projectHistory(shortId, 10, 21));
    await bulkLoad(platform.sql, projectHistory(longId, 10_000, 22));
    await platform.runner.waitFor(await platform.store.headPosition(), 120_000);
    const post = (id: string) => postChangeRequest(bench.baseUrl, id);
    const commands = Number(process.env.COMMANDS ?? 100);
    await timeSequential(5, post(shortId));
    const short = await timeSequential(commands, post(shortId));
    await timeSequential(5, post(longId));
    const profile = await startCpuProfile(process.env.PROF, 100);
    const long = await timeSequential(commands, post(longId));
    await profile.stop();
    console.log(
      `median ${median(short).toFixed(2)} ms at 10 events, ${median(long).toFixed(2)} ms at 10,000: ` +
        `${(median(long) / median(short)).toFixed(2)}×`,
    );
  } finally {
    await bench.close();
    await sql.close();
    await dropEverything();
  }
}

runProbe(main);
