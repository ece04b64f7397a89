import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { LoadRequest, LoadResult } from './load-worker';

export type { LoadRequest, LoadResult };

/** Runs autocannon in a child process against a server of this process. */
export function runLoad(request: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'load-worker.js'), [JSON.stringify(request)], {
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: LoadResult | undefined;
    child.on('message', (message) => {
      result = message as LoadResult;
    });
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`load worker exited with ${code}`))));
  });
}

/** Sequential requests from this process, timed one by one (ms). */
export async function timeSequential(count: number, send: (i: number) => Promise<Response>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await send(i);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`Request ${i} answered ${response.status}`);
    samples.push(performance.now() - started);
  }
  return samples;
}
