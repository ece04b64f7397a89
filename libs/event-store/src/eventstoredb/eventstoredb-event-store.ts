import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  NO_STREAM,
  START as FROM_START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type Direction,
  type EventStoreDBClient,
  type ResolvedEvent,
} from '@eventstore/db-client';
import {
  START,
  WrongExpectedRevisionError,
  comparePositions,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type Position,
  type ReadAllOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port';
import { CatchUpSubscription, type BatchHandler, type SubscriptionLogger } from './catch-up-subscription';
import { toEventData, toRecordedEvent } from './event-mapping';

export interface EventStoreDbEventStoreOptions {
  /** Where subscription drops are reported. */
  readonly logger?: SubscriptionLogger;
}

const DEFAULT_READ_LIMIT = 1000;
/** Events of $all read per request; the client's readAll has no server-side filter, so pages hold every stream's. */
const PAGE_SIZE = 500;

/** The event-store port on EventStoreDB / KurrentDB, through `@eventstore/db-client`. */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<Subscription>();
  private readonly logger: SubscriptionLogger;

  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbEventStoreOptions = {},
  ) {
    this.logger = options.logger ?? console;
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error(`Nothing to append to ${streamId}: no events given`);
    try {
      const result = await this.client.appendToStream(streamId, events.map(toEventData), {
        expectedRevision: toClientRevision(expected),
      });
      if (!result.position) throw new Error(`EventStoreDB accepted the append to ${streamId} but sent no position`);
      return { nextExpectedRevision: result.nextExpectedRevision, position: result.position };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new WrongExpectedRevisionError(streamId, expected, error.actualVersion);
      }
      throw error;
    }
  }

  async readStream(streamId: string, options: { fromRevision?: bigint } = {}): Promise<RecordedEvent[]> {
    try {
      const read = this.client.readStream(streamId, {
        fromRevision: options.fromRevision ?? FROM_START,
        direction: FORWARDS,
      });
      return ledgerEvents(await readToEnd(read));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { limit = DEFAULT_READ_LIMIT, streamPrefix } = options;
    const events: RecordedEvent[] = [];
    if (limit <= 0) return events;
    for await (const event of this.eventsOfAll(FORWARDS, options.after)) {
      if (streamPrefix && !event.streamId.startsWith(streamPrefix)) continue;
      events.push(event);
      if (events.length === limit) break;
    }
    return events;
  }

  subscribe(handler: BatchHandler, options: SubscribeOptions = {}): Subscription {
    const subscription = new CatchUpSubscription(this.client, handler, {
      after: afterStart(options.after),
      streamPrefix: options.streamPrefix,
      logger: this.logger,
    });
    this.subscriptions.add(subscription);
    return {
      stop: async () => {
        this.subscriptions.delete(subscription);
        await subscription.stop();
      },
    };
  }

  /** The position of the last ledger event; system events written after it do not count. */
  async headPosition(): Promise<Position> {
    for await (const event of this.eventsOfAll(BACKWARDS)) return event.position;
    return START;
  }

  /**
   * Our events in $all, page by page: forwards strictly after `after`, or backwards from the end.
   * Each page is read to its end, since a read left half-consumed keeps its gRPC call open and the
   * client's dispose() then waits for it forever; stopping between pages is safe.
   */
  private async *eventsOfAll(direction: Direction, after?: Position): AsyncGenerator<RecordedEvent> {
    // Undefined: from the start forwards, from the end backwards.
    let from = direction === FORWARDS ? afterStart(after) : undefined;
    for (;;) {
      const fromPosition = from ?? (direction === FORWARDS ? FROM_START : END);
      const page = await readToEnd(this.client.readAll({ fromPosition, direction, maxCount: PAGE_SIZE }));
      for (const resolved of page) {
        const event = toRecordedEvent(resolved);
        // A forward read from a position starts with the event there, which was read already.
        if (event && !(direction === FORWARDS && from && comparePositions(event.position, from) <= 0)) yield event;
      }
      const last = page.at(-1)?.event;
      if (page.length < PAGE_SIZE || !last) return;
      from = last.position;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.subscriptions.clear();
    await this.client.dispose();
  }
}

function toClientRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'any':
      return ANY;
    default:
      return expected;
  }
}

async function readToEnd<T>(read: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of read) all.push(item);
  return all;
}

function ledgerEvents(read: Array<ResolvedEvent | AllStreamResolvedEvent>): RecordedEvent[] {
  return read.map(toRecordedEvent).filter((event): event is RecordedEvent => event !== undefined);
}

/** START means "from the beginning", which EventStoreDB spells as a start marker, not a position. */
function afterStart(position: Position | undefined): Position | undefined {
  return position && comparePositions(position, START) > 0 ? position : undefined;
}
