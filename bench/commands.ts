import { join } from 'node:path';
import { BenchConfig } from './config';
import { BenchServer, BENCH_ADMIN_KEY, changeRequestBody, openProject, startBareEndpoint } from './support/bench-server';
import { startCpuProfile } from './support/cpu-profile';
import { LoadResult, runLoad } from './support/load';
import { progress } from './support/progress';
import { StatementCount } from './support/statement-count';

/**
 * POST /api/projects/:id/change-requests under concurrent load, against a bare Nest endpoint
 * in the same process that parses and validates the same DTO and does nothing else. The
 * command path adds authentication (an API-key lookup), decide, the hash chain, one durable
 * append and the projection that follows it.
 */
export interface CommandsResult {
  readonly connections: number;
  readonly projects: number;
  readonly seconds: number;
  readonly bare: LoadResult;
  readonly ledger: LoadResult;
  readonly halfRate: LoadResult & { readonly targetRate: number };
  /** Statements the server sent to the database per command answered, during the peak run. */
  readonly statementsPerCommand: number;
}

export async function commandsBenchmark(config: BenchConfig, bench: BenchServer, database: StatementCount): Promise<CommandsResult> {
  progress(`Commands over HTTP: opening ${config.httpProjects} projects`);
  const ids: string[] = [];
  for (let i = 0; i < config.httpProjects; i++) ids.push(await openProject(bench.projects, `Load test project ${i + 1}`));
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
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`${label}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
      return result;
    };
    progress('  bare endpoint: warm-up, then peak');
    await run('bare warm-up', bare.baseUrl, config.httpWarmupSeconds);
    const bareResult = await run('bare', bare.baseUrl, config.httpSeconds);
    progress(`  bare endpoint: ${Math.round(bareResult.requestsPerSecond)} req/s, p50 ${bareResult.p50Ms} ms, p99 ${bareResult.p99Ms} ms`);

    progress('  log change request: warm-up, then peak');
    await run('command warm-up', bench.baseUrl, config.httpWarmupSeconds);
    const statementsBefore = database.statements();
    // BENCH_CPU_PROF=<folder> profiles this process (the server; the load comes from a child process) during the peak run.
    const folder = process.env.BENCH_CPU_PROF;
    const profile = await startCpuProfile(folder ? join(folder, 'commands-peak.cpuprofile') : undefined);
    const ledger = await run('command', bench.baseUrl, config.httpSeconds);
    await profile.stop();
    // Work the last commands set off (projection, notifications) counts too.
    await bench.server.platform.runner.waitFor(bench.projects.lastWrittenPosition);
    const statementsPerCommand = (database.statements() - statementsBefore) / ledger.ok;
    progress(`  log change request: ${Math.round(ledger.requestsPerSecond)} req/s, p50 ${ledger.p50Ms} ms, p99 ${ledger.p99Ms} ms`);

    const targetRate = Math.max(1, Math.floor(ledger.requestsPerSecond / 2));
    progress(`  log change request at half the peak rate (${targetRate} req/s)`);
    const half = await run('command at half rate', bench.baseUrl, config.httpSeconds, targetRate);
    progress(`  half rate: ${Math.round(half.requestsPerSecond)} req/s, p50 ${half.p50Ms} ms, p99 ${half.p99Ms} ms`);
    return {
      connections: config.httpConnections,
      projects: config.httpProjects,
      seconds: config.httpSeconds,
      bare: bareResult,
      ledger,
      halfRate: { ...half, targetRate },
      statementsPerCommand,
    };
  } finally {
    await bare.app.close();
  }
}
