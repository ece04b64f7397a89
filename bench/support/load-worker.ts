import { Agent, request as httpRequest } from 'node:http';
import autocannon from 'autocannon';

/**
 * The load generator in a child process, so that it does not share the server's event loop.
 * Started by load.ts; reports one result over IPC and exits.
 *
 * At full speed it is autocannon: each connection sends its next request when the previous
 * answer arrives. At a set rate it paces requests itself, because autocannon's rate limit lets
 * each connection send as fast as it can until its quota for the second is used up and then
 * pause, so the server sees bursts at full speed, not the rate asked for.
 */
export interface LoadRequest {
  readonly baseUrl: string;
  readonly method: 'GET' | 'POST';
  /** Each request goes to one of these paths, at random. */
  readonly paths: readonly string[];
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly connections: number;
  readonly seconds: number;
  /**
   * Requests per second, evenly spaced (open loop: a request starts at its time whether or not
   * earlier ones have been answered, on up to `connections` kept-alive connections, more if
   * they are all busy). Latency counts from the time the request was due, so waiting for a
   * connection counts too. Unlimited (autocannon) when absent.
   */
  readonly overallRate?: number;
  /**
   * Paced runs: seconds sent at the same rate before the measured ones and not counted
   * (default 1). The first requests of a new load process open its connections and run its
   * code cold; counted from when they were due, they measured the load generator's start.
   */
  readonly leadInSeconds?: number;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  /** Paced runs only: the 99.9th percentile and the slowest request (ms). */
  readonly p999Ms?: number;
  readonly maxMs?: number;
  /**
   * Paced runs only: the slowest hundredth of the requests, when each was due (ms from the start) and how long it
   * took.
   */
  readonly slowest?: readonly { readonly dueMs: number; readonly ms: number }[];
  /** Paced runs only: when the first counted request was due (ms since the epoch). */
  readonly startedAt?: number;
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2]) as LoadRequest;
  const answer = request.overallRate ? await paced(request, request.overallRate) : await flatOut(request);
  process.send!(answer, () => process.exit(0));
}

async function flatOut(request: LoadRequest): Promise<LoadResult> {
  const result = await autocannon({
    url: request.baseUrl,
    connections: request.connections,
    duration: request.seconds,
    ...(request.overallRate ? { overallRate: request.overallRate } : {}),
    requests: [
      {
        method: request.method,
        headers: request.headers,
        ...(request.body ? { body: request.body } : {}),
        setupRequest: (req) => ({ ...req, path: request.paths[Math.floor(Math.random() * request.paths.length)] }),
      },
    ],
  });
  return {
    requestsPerSecond: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

async function paced(request: LoadRequest, rate: number): Promise<LoadResult> {
  const url = new URL(request.baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: request.connections });
  const body = request.body ? Buffer.from(request.body) : undefined;
  const headers = { ...request.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
  const latencies: number[] = [];
  const dues: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  /** Sends one request due at `due`; counted only when `counted`, but its failures always. */
  const send = (due: number, counted: boolean) =>
    new Promise<void>((resolve) => {
      const path = request.paths[Math.floor(Math.random() * request.paths.length)];
      const req = httpRequest(
        { host: url.hostname, port: url.port, method: request.method, path, headers, agent },
        (res) => {
          res.resume();
          res.on('end', () => {
            const success = res.statusCode! >= 200 && res.statusCode! < 300;
            if (!success) non2xx += 1;
            if (counted) {
              latencies.push(performance.now() - due);
              dues.push(due);
              if (success) ok += 1;
            }
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end(body);
    });
  const intervalMs = 1000 / rate;
  const leadIn = Math.round(rate * (request.leadInSeconds ?? 1));
  const total = leadIn + Math.round(rate * request.seconds);
  const firstDue = performance.now();
  const started = firstDue + leadIn * intervalMs;
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = firstDue + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send(due, i >= leadIn));
  }
  await Promise.all(inFlight);
  const elapsedSeconds = (performance.now() - started) / 1000;
  agent.destroy();
  const byLatency = latencies
    .map((ms, i) => ({ dueMs: Math.round(dues[i] - started), ms: Number(ms.toFixed(2)) }))
    .sort((a, b) => a.ms - b.ms);
  const at = (q: number) => byLatency[Math.min(byLatency.length - 1, Math.ceil(q * byLatency.length) - 1)]?.ms ?? NaN;
  const slowest = byLatency.slice(Math.floor(byLatency.length * 0.99)).sort((a, b) => a.dueMs - b.dueMs);
  return {
    requestsPerSecond: ok / elapsedSeconds,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    p999Ms: at(0.999),
    maxMs: at(1),
    ok,
    non2xx,
    errors,
    slowest,
    startedAt: performance.timeOrigin + started,
  };
}

main().catch((error: Error) => {
  process.stderr.write(`load worker failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
