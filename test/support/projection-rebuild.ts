import { setTimeout as sleep } from 'node:timers/promises';

/** The answer of GET /api/admin/projections/rebuild. */
export interface RebuildStatus {
  state: 'idle' | 'running' | 'done' | 'failed';
  done: number;
  total: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  events: number | null;
  milliseconds: number | null;
}

type Call = (method: 'GET' | 'POST', path: string) => Promise<{ status: number; body: any }>;

/** Starts a rebuild (202) and reads its status until it has finished; answers the last status read. */
export async function rebuildReadModels(call: Call, timeoutMs = 60_000): Promise<RebuildStatus> {
  const started = await call('POST', '/api/admin/projections/rebuild');
  if (started.status !== 202)
    throw new Error(`The rebuild answered ${started.status}: ${JSON.stringify(started.body)}`);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await call('GET', started.body.statusUrl);
    if (body.state !== 'running') return body as RebuildStatus;
    if (Date.now() > until) throw new Error(`The rebuild still runs after ${timeoutMs} ms: ${JSON.stringify(body)}`);
    await sleep(20);
  }
}

/** The calls of a test server's admin API client, for rebuildReadModels. */
export function adminCalls(api: { get(path: string): PromiseLike<any>; post(path: string): PromiseLike<any> }): Call {
  return async (method, path) => (method === 'GET' ? api.get(path) : api.post(path));
}
