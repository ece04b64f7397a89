import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { conflict } from '@scope-ledger/domain';
import { formatPosition } from '@scope-ledger/event-store';
import { countEvents, Platform } from '@scope-ledger/platform';
import { PLATFORM } from '../platform.token';

export type RebuildState = 'idle' | 'running' | 'done' | 'failed';

/** Where the last rebuild of the read models stands, on this server. */
export interface RebuildStatus {
  state: RebuildState;
  /** Events replayed so far, of `total` in the store when the rebuild began. */
  done: number;
  total: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  /** Once done: the events replayed and how long it took. */
  events: number | null;
  milliseconds: number | null;
}

const NEVER_RUN: RebuildStatus = {
  state: 'idle',
  done: 0,
  total: 0,
  startedAt: null,
  finishedAt: null,
  error: null,
  events: null,
  milliseconds: null,
};

/** Rebuilds the read models in the background, one at a time, and tells how far it has got. */
@Injectable()
export class ProjectionRebuild implements OnModuleDestroy {
  private readonly logger = new Logger('ProjectionRebuild');
  private status: RebuildStatus = NEVER_RUN;
  private running?: Promise<void>;

  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  get current(): RebuildStatus {
    return { ...this.status };
  }

  /** Starts a rebuild and answers once it is under way; refused while one runs. */
  async start(): Promise<RebuildStatus> {
    if (this.status.state === 'running') throw conflict('A rebuild of the read models is already running');
    const started = Date.now();
    this.status = { ...NEVER_RUN, state: 'running', startedAt: new Date(started).toISOString() };
    try {
      this.status.total = await countEvents(this.platform);
    } catch (error) {
      this.finish({ state: 'failed', error: describe(error) });
      throw error;
    }
    this.running = this.platform.processor
      .rebuild(({ processed }) => {
        this.status.done = processed;
        // Events written while the rebuild runs are replayed too.
        this.status.total = Math.max(this.status.total, processed);
      })
      .then(
        (events) => this.finish({ state: 'done', done: events, events, milliseconds: Date.now() - started }),
        (error: unknown) => {
          this.logger.error(`Rebuilding the read models failed: ${describe(error)}`);
          this.finish({ state: 'failed', error: describe(error) });
        },
      );
    return this.current;
  }

  /** Resolves when no rebuild is running. */
  async settled(): Promise<void> {
    await this.running;
  }

  async onModuleDestroy(): Promise<void> {
    await this.settled();
  }

  private finish(outcome: Partial<RebuildStatus>): void {
    this.status = { ...this.status, ...outcome, finishedAt: new Date().toISOString() };
    if (this.status.state === 'done') this.status.total = Math.max(this.status.total, this.status.done);
  }
}

/** Lag is counted up to this many events; beyond it the page says "more than". */
const LAG_COUNTED_UP_TO = 1_000;

/** How far the read models are behind the event store, as this server sees it. */
export async function projectionStatus(platform: Platform) {
  const { processor, store } = platform;
  const checkpoint = processor.checkpoint;
  const [head, behind, parked] = await Promise.all([
    store.headPosition(),
    store.readAll({ after: checkpoint, limit: LAG_COUNTED_UP_TO + 1 }),
    processor.parkedEvents(),
  ]);
  return {
    /** Whether this server runs the projections (of several servers, one does). */
    active: processor.isActive,
    checkpoint: formatPosition(checkpoint),
    head: formatPosition(head),
    /** Events in the store after the checkpoint, counted up to 1,000 (`lagCapped` when there are more). */
    lag: Math.min(behind.length, LAG_COUNTED_UP_TO),
    lagCapped: behind.length > LAG_COUNTED_UP_TO,
    parked,
  };
}

export type ProjectionStatus = Awaited<ReturnType<typeof projectionStatus>>;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
