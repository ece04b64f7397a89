/** How much each benchmark does: `--quick` measures less, for trying the benchmarks out. */
export interface BenchConfig {
  readonly quick: boolean;
  /** Rounds per append scenario (the report shows the median) and the length of one. */
  readonly appendRounds: number;
  readonly appendMs: number;
  /** autocannon: connections, warm-up and measured seconds per run; peak runs alternate in rounds. */
  readonly httpConnections: number;
  readonly httpWarmupSeconds: number;
  readonly httpSeconds: number;
  readonly httpRounds: number;
  /** Length of the run at half the peak rate, whose p99 the latency goal is judged on. */
  readonly httpHalfRateSeconds: number;
  readonly httpProjects: number;
  /** Sequential commands timed per project in the long-stream comparison. */
  readonly longStreamCommands: number;
  readonly longStreamEvents: number;
  /** Events rebuilt at the smaller and the larger size. */
  readonly rebuildPostgres: readonly [number, number];
  readonly rebuildPglite: readonly [number, number];
  readonly documentRuns: number;
  readonly portfolioProjects: number;
  readonly portfolioEventsPerProject: number;
  readonly portfolioRequests: number;
  readonly capacityPeople: number;
  readonly capacityProjects: number;
  readonly capacityWeeks: number;
  readonly capacityRequests: number;
}

export function benchConfig(argv: readonly string[]): BenchConfig {
  const quick = argv.includes('--quick');
  return quick
    ? {
        quick,
        appendRounds: 4,
        appendMs: 150,
        httpConnections: 16,
        httpWarmupSeconds: 1,
        httpSeconds: 2,
        httpRounds: 3,
        httpHalfRateSeconds: 4,
        httpProjects: 40,
        longStreamCommands: 30,
        longStreamEvents: 10_000,
        rebuildPostgres: [50_000, 100_000],
        rebuildPglite: [10_000, 20_000],
        documentRuns: 12,
        portfolioProjects: 1_000,
        portfolioEventsPerProject: 50,
        portfolioRequests: 30,
        capacityPeople: 200,
        capacityProjects: 1_000,
        capacityWeeks: 26,
        capacityRequests: 10,
      }
    : {
        quick,
        appendRounds: 5,
        appendMs: 1_500,
        httpConnections: 16,
        httpWarmupSeconds: 20,
        httpSeconds: 5,
        httpRounds: 5,
        httpHalfRateSeconds: 60,
        httpProjects: 100,
        longStreamCommands: 200,
        longStreamEvents: 10_000,
        rebuildPostgres: [500_000, 1_000_000],
        rebuildPglite: [50_000, 100_000],
        documentRuns: 60,
        portfolioProjects: 1_000,
        portfolioEventsPerProject: 50,
        portfolioRequests: 200,
        capacityPeople: 200,
        capacityProjects: 1_000,
        capacityWeeks: 26,
        capacityRequests: 50,
      };
}
