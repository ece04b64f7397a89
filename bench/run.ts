import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendBenchmark } from './append';
import { capacityBenchmark } from './capacity';
import { commandsBenchmark } from './commands';
import { benchConfig } from './config';
import { documentsBenchmark } from './documents';
import { longStreamBenchmark } from './long-streams';
import { portfolioBenchmark } from './portfolio';
import { rebuildBenchmark } from './rebuild';
import { BenchReport, machineFacts, renderReport } from './report';
import { startBenchServer } from './support/bench-server';
import { checkpoints } from './support/checkpoints';
import {
  createSchema,
  dropEverything,
  dropLeftovers,
  pgClient,
  postgresSettings,
  postgresUrl,
} from './support/databases';
import { elapsedSeconds, progress } from './support/progress';

type Section = 'append' | 'commands' | 'rebuild' | 'documents' | 'portfolio' | 'capacity';

/**
 * `npm run bench [-- --quick] [-- --only=append,commands]`: runs the benchmarks one after
 * another on this machine and writes docs/benchmarks.md (only when every section ran).
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const config = benchConfig(argv);
  const only = argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',') as Section[] | undefined;
  const runs = (section: Section) => !only || only.includes(section);
  const leftovers = await dropLeftovers().catch((error: Error) => {
    throw new Error(`PostgreSQL is not reachable at ${postgresUrl} (set BENCH_DATABASE_URL): ${error.message}`);
  });
  if (leftovers > 0) progress(`Dropped ${leftovers} schemas an interrupted run left behind`);
  const report: BenchReport = {
    command: `npm run bench${config.quick ? ' -- --quick' : ''}`,
    quick: config.quick,
    startedAt: new Date().toISOString(),
    machine: machineFacts(),
    postgres: await postgresSettings(),
  };
  await checkpoints.start();
  // Each section on PostgreSQL starts on a clean slate: what the one before it wrote goes out first.
  const begin = async (label: string) => {
    checkpoints.during(label);
    await checkpoints.checkpoint();
  };
  progress(
    `Scope Ledger benchmarks${config.quick ? ' (quick)' : ''} on ${report.machine.cpus} cores, ` +
      `load average ${report.machine.loadAverageAtStart.join(' ')}`,
  );

  const interrupt = () => {
    process.stderr.write('\nInterrupted: dropping the benchmark schemas\n');
    void dropEverything().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  try {
    if (runs('append')) {
      await begin('append');
      report.append = await appendBenchmark(config);
    }
    if (runs('commands')) {
      await begin('HTTP: opening projects');
      const schema = await createSchema('http');
      const sql = pgClient(schema);
      const server = await startBenchServer(sql);
      try {
        report.commands = await commandsBenchmark(config, server);
        report.longStreams = await longStreamBenchmark(config, server);
      } finally {
        await server.close();
        await sql.close();
      }
    }
    if (runs('portfolio')) {
      await begin('portfolio');
      report.portfolio = await portfolioBenchmark(config);
    }
    if (runs('capacity')) {
      await begin('capacity');
      report.capacity = await capacityBenchmark(config);
    }
    if (runs('rebuild')) {
      await begin('rebuild on PostgreSQL');
      report.rebuild = await rebuildBenchmark(config);
    }
    if (runs('documents')) {
      checkpoints.during('documents');
      report.documents = await documentsBenchmark(config);
    }
  } finally {
    report.checkpoints = await checkpoints.stop();
    await dropEverything();
    process.off('SIGINT', interrupt);
  }
  report.seconds = elapsedSeconds();
  report.machine.loadAverageAtEnd = machineFacts().loadAverageAtStart;
  const markdown = renderReport(report);
  if (only) {
    process.stdout.write(markdown);
    progress(`Done in ${report.seconds.toFixed(0)} s (a partial run: docs/benchmarks.md left as it was)`);
  } else {
    const file = join(__dirname, '..', '..', 'docs', 'benchmarks.md');
    writeFileSync(file, markdown);
    progress(`Done in ${report.seconds.toFixed(0)} s; wrote docs/benchmarks.md`);
  }
}

main().catch(async (error: Error) => {
  process.stderr.write(`Benchmark failed: ${error.stack ?? error.message}\n`);
  await dropEverything().catch(() => undefined);
  process.exit(1);
});
