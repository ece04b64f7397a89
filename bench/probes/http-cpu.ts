import { join } from 'node:path';
import { changeRequestLoad, openProject, startBareEndpoint, startBenchServer } from '../support/bench-server';
import { startCpuProfile } from '../support/cpu-profile';
import { machineBusySeconds, postgresCpuSeconds } from '../support/cpu-usage';
import { createSchema, dropEverything, pgClient } from '../support/databases';
import { LoadResult, runLoad } from '../support/load';
import { runProbe } from '../support/probe';

/**
 * Section 2's load (16 connections logging change requests over 40 projects) on the bare
 * endpoint and on the server in turn, for several rounds, with the CPU each one cost per
 * request: this process (the server; the load comes from a child process), every `postgres`
 * process, and the machine as a whole. Throughput drifts with the machine; CPU per request
 * drifts less, so it compares two versions of the code better (alternate their runs).
 *
 *   npm run build && npx swc bench -d dist --config-file .swcrc --quiet
 *   ROUNDS=3 SECONDS=4 node dist/bench/probes/http-cpu.js
 *   PROF=<folder> ...   also writes a CPU profile of each run of the last round
 */
async function main(): Promise<void> {
  const rounds = Number(process.env.ROUNDS ?? 3);
  const seconds = Number(process.env.SECONDS ?? 4);
  const sql = pgClient(await createSchema('http_cpu'));
  const server = await startBenchServer(sql);
  const bare = await startBareEndpoint();
  try {
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push(await openProject(server.projects, `Load test project ${i + 1}`));
    const load = (baseUrl: string, secs: number) => runLoad(changeRequestLoad(baseUrl, ids, secs));
    const measure = async (label: string, baseUrl: string, profileTo?: string): Promise<LoadResult> => {
      const cpu = process.cpuUsage();
      const postgres = postgresCpuSeconds();
      const machine = machineBusySeconds();
      const profile = await startCpuProfile(profileTo);
      const result = await load(baseUrl, seconds);
      await profile.stop();
      // The projection's and notifications' work for the last commands counts too.
      if (baseUrl === server.baseUrl) await server.server.platform.runner.waitFor(server.projects.lastWrittenPosition);
      const own = process.cpuUsage(cpu);
      const perRequest = (cpuSeconds: number) => `${Math.round((cpuSeconds * 1e6) / result.ok)} µs`;
      console.log(
        `${label.padEnd(6)} ${String(Math.round(result.requestsPerSecond)).padStart(5)} req/s, ` +
          `p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms; ` +
          `CPU per request: this process ${perRequest((own.user + own.system) / 1e6)}, ` +
          `postgres ${perRequest(postgresCpuSeconds() - postgres)}, ` +
          `machine ${perRequest(machineBusySeconds() - machine)}`,
      );
      return result;
    };
    await load(bare.baseUrl, 1);
    await load(server.baseUrl, 1);
    for (let round = 1; round <= rounds; round++) {
      const folder = round === rounds ? process.env.PROF : undefined;
      const first = await measure('bare', bare.baseUrl, folder && join(folder, 'bare.cpuprofile'));
      const second = await measure('server', server.baseUrl, folder && join(folder, 'server.cpuprofile'));
      console.log(
        `round ${round}: ${(second.requestsPerSecond / first.requestsPerSecond).toFixed(2)}× the bare endpoint's rate`,
      );
    }
  } finally {
    await bare.app.close();
    await server.close();
    await sql.close();
    await dropEverything();
  }
}

runProbe(main);
