import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  NO_STREAM,
  START as FROM_START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type Direction,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import {
  AppendResult,
  comparePositions,
  EventStore,
  ExpectedRevision,
  NewEvent,
  Position,
  ReadAllOptions,
  RecordedEvent,
  START,
  SubscribeOptions,
  Subscription,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { BatchHandler, CatchUpSubscription, SubscriptionLogger } from './catch-up-subscription';
import { toEventData, toRecordedEvent } from './event-mapping';

export interface EventStoreDbEventStoreOptions {
  /** Where subscription drops are reported. */
  readonly logger?: SubscriptionLogger;
}

const DEFAULT_READ_LIMIT = 1000;
/** Events of $all per request; the client's readAll filters nothing, so pages hold every stream's. */
const PAGE_SIZE = 500;

/** The event-store port on EventStoreDB / KurrentDB, through `@eventstore/db-client`. */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<Subscription>();

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EventStoreDbEventStoreOptions = {},
  ) {}

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error(`Nothing to append to ${streamId}: no events given`);
    try {
      const expectedRevision = expected === 'no_stream' ? NO_STREAM : expected === 'any' ? ANY : expected;
      const result = await this.client.appendToStream(streamId, events.map(toEventData), { expectedRevision });
      if (!result.position) throw new Error(`EventStoreDB accepted the append to ${streamId} but sent no position`);
      return { nextExpectedRevision: result.nextExpectedRevision, position: result.position };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      throw new WrongExpectedRevisionError(streamId, expected, error.actualVersion);
    }
  }

  async readStream(streamId: string, options: { fromRevision?: bigint } = {}): Promise<RecordedEvent[]> {
    try {
      const read = this.client.readStream(streamId, { fromRevision: options.fromRevision ?? FROM_START });
      return (await readToEnd(read)).map(toRecordedEvent).filter((event) => event !== undefined);
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
      logger: this.options.logger ?? console,
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
   * Our events in $all, page by page: forwards strictly after `after`, or backwards from the end. Each page
   * is read to its end: a read left half-consumed keeps its gRPC call open and dispose() waits for it forever.
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

async function readToEnd<T>(read: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of read) all.push(item);
  return all;
}

/** START means "from the beginning", which EventStoreDB spells as a start marker, not a position. */
function afterStart(position: Position | undefined): Position | undefined {
  return position && comparePositions(position, START) > 0 ? position : undefined;
}
