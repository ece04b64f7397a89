import { closeSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';
import { changeRequestLoad, openProject, startBenchServer } from '../support/bench-server';
import { createSchema, dropEverything, pgClient } from '../support/databases';
import { runLoad } from '../support/load';
import { runProbe } from '../support/probe';

/**
 * What the server keeps per change request logged: the live heap that every full garbage
 * collection has to mark, which grows with the requests of the projects kept warm (section 2's
 * p99 at half rate hangs on how long that marking takes). Logs section 2's load (16 connections
 * over 100 projects, flat out) for SECONDS, waits for the projection, collects fully, and
 * compares the used heap and the number of heap objects (from a heap snapshot) with before.
 *
 *   npm run build && npx swc bench -d dist --config-file .swcrc --quiet
 *   SECONDS=30 node --expose-gc --max-semi-space-size=64 dist/bench/probes/live-heap.js
 */
async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('Run node with --expose-gc');
  const sql = pgClient(await createSchema('live_heap'));
  const server = await startBenchServer(sql);
  try {
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) ids.push(await openProject(server.projects, `Load test project ${i + 1}`));
    await server.server.platform.runner.waitFor(server.projects.lastWrittenPosition);
    const before = liveHeap(gc);
    const result = await runLoad(changeRequestLoad(server.baseUrl, ids, Number(process.env.SECONDS ?? 30)));
    await server.server.platform.runner.waitFor(server.projects.lastWrittenPosition);
    const after = liveHeap(gc);
    const requests = result.ok;
    console.log(
      `${requests} change requests logged at ${Math.round(result.requestsPerSecond)}/s: ` +
        `live heap ${mib(before.bytes)} -> ${mib(after.bytes)} MiB, ` +
        `${before.objects} -> ${after.objects} objects; ` +
        `per request ${Math.round((after.bytes - before.bytes) / requests)} bytes ` +
        `and ${((after.objects - before.objects) / requests).toFixed(1)} objects`,
    );
  } finally {
    await server.close();
    await sql.close();
    await dropEverything();
  }
}

const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);

/** Used heap after full collections, and the number of objects in a heap snapshot. */
function liveHeap(gc: () => void): { bytes: number; objects: number } {
  gc();
  gc();
  const bytes = getHeapStatistics().used_heap_size;
  const file = writeHeapSnapshot(join(tmpdir(), `live-heap-${process.pid}.heapsnapshot`));
  try {
    // The snapshot's header gives its node count; the rest of the file need not be read.
    const head = Buffer.alloc(4096);
    const fd = openSync(file, 'r');
    readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    const objects = Number(/"node_count":(\d+)/.exec(head.toString('utf8'))?.[1]);
    return { bytes, objects };
  } finally {
    rmSync(file, { force: true });
  }
}

runProbe(main);
