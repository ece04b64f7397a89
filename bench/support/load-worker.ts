import autocannon from 'autocannon';

/**
 * autocannon in a child process, so that the load generator does not share the server's
 * event loop. Started by load.ts; reports one result over IPC and exits.
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
  /** Requests per second over all connections; unlimited when absent. */
  readonly overallRate?: number;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2]) as LoadRequest;
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
  const answer: LoadResult = {
    requestsPerSecond: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
  };
  process.send!(answer, () => process.exit(0));
}

main().catch((error: Error) => {
  process.stderr.write(`load worker failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
