import { START, streamNameFilter, type AllStreamSubscription, type EventStoreDBClient } from '@eventstore/db-client';
import { comparePositions, formatPosition, Position, RecordedEvent, Subscription } from '../event-store.port';
import { toRecordedEvent } from './event-mapping';

export type BatchHandler = (batch: readonly RecordedEvent[]) => Promise<void>;

export interface SubscriptionLogger {
  warn(message: string): void;
}

interface CatchUpOptions {
  readonly after?: Position;
  readonly streamPrefix?: string;
  readonly logger: SubscriptionLogger;
}

const BATCH_SIZE = 500;
const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 5_000;

/**
 * A catch-up subscription to $all that survives drops, ended subscriptions and failing handlers:
 * it subscribes again from the last batch handled (at least once), backing off up to five seconds.
 */
export class CatchUpSubscription implements Subscription {
  private stopped = false;
  private lastDelivered: Position | undefined;
  private current: AllStreamSubscription | undefined;
  private cutPauseShort: (() => void) | undefined;
  private readonly running: Promise<void>;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly handler: BatchHandler,
    private readonly options: CatchUpOptions,
  ) {
    this.lastDelivered = options.after;
    this.running = this.run();
  }

  /** Resolves once no handler call is running and none will start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cutPauseShort?.();
    const current = this.current;
    if (current) {
      await current.unsubscribe();
      // The client swallows the error its own cancel causes, so the stream would otherwise never end.
      current.destroy();
    }
    await this.running;
  }

  private async run(): Promise<void> {
    let retryDelay = FIRST_RETRY_DELAY_MS;
    while (!this.stopped) {
      let reason = 'the server ended the subscription';
      try {
        await this.follow(() => (retryDelay = FIRST_RETRY_DELAY_MS));
      } catch (error) {
        reason = error instanceof Error ? error.message : String(error);
      }
      if (this.stopped) return;
      const from = this.lastDelivered ? formatPosition(this.lastDelivered) : 'the start';
      this.options.logger.warn(
        `EventStoreDB subscription dropped (${reason}); resubscribing after ${retryDelay} ms from ${from}`,
      );
      await this.pause(retryDelay);
      retryDelay = Math.min(retryDelay * 2, MAX_RETRY_DELAY_MS);
    }
  }

  /** Reads one server subscription until it ends, handing the handler one batch at a time. */
  private async follow(onConfirmed: () => void): Promise<void> {
    const prefix = this.options.streamPrefix;
    const subscription = this.client.subscribeToAll({
      // Subscriptions start strictly after the position they are given.
      fromPosition: this.lastDelivered ?? START,
      // The prefix, or else every stream but the server's own (their names start with `$`).
      filter: prefix ? streamNameFilter({ prefixes: [prefix] }) : streamNameFilter({ regex: '^[^$]' }),
    });
    this.current = subscription;
    subscription.on('confirmation', onConfirmed);
    try {
      let batch: RecordedEvent[] = [];
      // While the handler runs nothing is read: the buffer fills and gRPC flow control holds the server back.
      for await (const resolved of subscription) {
        const event = toRecordedEvent(resolved);
        if (event && this.isAfterLastDelivered(event)) batch.push(event);
        if (batch.length >= BATCH_SIZE || (batch.length > 0 && subscription.readableLength === 0)) {
          if (this.stopped) return;
          await this.handler(batch);
          this.lastDelivered = batch[batch.length - 1].position;
          batch = [];
        }
        if (this.stopped) return;
      }
    } finally {
      await subscription.unsubscribe();
    }
  }

  /** Guards against redelivery when a resubscription overlaps what was already handled. */
  private isAfterLastDelivered(event: RecordedEvent): boolean {
    return !this.lastDelivered || comparePositions(event.position, this.lastDelivered) > 0;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.cutPauseShort = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
