import { PostgresEventStore } from '@scope-ledger/event-store';
import { ProjectionRunner } from '@scope-ledger/projections';
import { bulkLoad } from '../support/bulk-load';
import { machineBusySeconds, postgresCpuSeconds } from '../support/cpu-usage';
import { createSchema, dropEverything, pgClient } from '../support/databases';
import { interleavedHistories } from '../support/event-mix';
import { runProbe } from '../support/probe';

/**
 * Rebuilds one PostgreSQL log several times in this process and prints, per round, events/s
 * and where the CPU went: this process, every `postgres` process, and the machine as a whole.
 * For comparing two versions of the code side by side (alternate their runs: the machine is
 * shared and its speed drifts), which `npm run bench` cannot do within one run.
 *
 *   npm run build && npx swc bench -d dist --config-file .swcrc --quiet
 *   EVENTS=100000 ROUNDS=3 KEEP=1 node dist/bench/probes/rebuild-rounds.js   # writes a log, keeps its schema
 *   SCHEMA=<kept schema> ROUNDS=3 node dist/bench/probes/rebuild-rounds.js   # rebuilds that log again
 */
async function main(): Promise<void> {
  const schema = process.env.SCHEMA ? { schema: process.env.SCHEMA, url: '' } : await createSchema('probe');
  const sql = pgClient(schema);
  const store = await PostgresEventStore.create(sql);
  if (!process.env.SCHEMA) {
    const totalEvents = Number(process.env.EVENTS ?? 100_000);
    await bulkLoad(
      sql,
      interleavedHistories({ totalEvents, activeProjects: 200, eventsPerProject: [30, 150], seed: 100 }),
      { rowsPerStatement: 2_000 },
    );
  }
  await ProjectionRunner.prepare(sql);
  const runner = new ProjectionRunner(store, sql, { log: () => undefined, error: (m) => console.error(m) });
  for (let round = 0; round < Number(process.env.ROUNDS ?? 3); round++) {
    const cpu = process.cpuUsage();
    const machine = machineBusySeconds();
    const postgres = postgresCpuSeconds();
    const started = performance.now();
    const events = await runner.rebuild();
    const seconds = (performance.now() - started) / 1000;
    const own = process.cpuUsage(cpu);
    console.log(
      `round ${round}: ${events} events in ${seconds.toFixed(2)} s = ${Math.round(events / seconds)}/s; ` +
        `CPU s: this process ${((own.user + own.system) / 1e6).toFixed(2)}, ` +
        `postgres ${(postgresCpuSeconds() - postgres).toFixed(2)}, ` +
        `machine ${(machineBusySeconds() - machine).toFixed(2)}`,
    );
  }
  await store.close();
  await sql.close();
  if (process.env.KEEP && !process.env.SCHEMA) console.log(`kept schema ${schema.schema}`);
  else if (!process.env.SCHEMA) await dropEverything();
}

runProbe(main);
