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
import { readAllFiltered } from './filtered-read-all';
import { streamSelection } from './stream-selection';

export interface EventStoreDbEventStoreOptions {
  /** Where subscription drops are reported. */
  readonly logger?: SubscriptionLogger;
}

const DEFAULT_BATCH_SIZE = 100;

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

  /** The server sends each event's metadata whole: it is read as it comes. */
  readAllToFold(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAll(options);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { limit, streamPrefix } = options;
    if (limit === 0) return [];
    const after = afterStart(options.after);
    // A read of $all includes the event at its starting position; the port's `after` does not.
    const maxCount = limit === undefined ? Number.MAX_SAFE_INTEGER : after ? limit + 1 : limit;
    const read = readAllFiltered(this.client, {
      fromPosition: after ?? FROM_START,
      direction: FORWARDS,
      maxCount,
      filter: streamSelection(streamPrefix),
    });

    const events = ledgerEvents(await readToEnd(read));
    return events.filter((event) => !after || comparePositions(event.position, after) > 0).slice(0, limit);
  }

  subscribe(handler: BatchHandler, options: SubscribeOptions = {}): Subscription {
    const subscription = new CatchUpSubscription(this.client, handler, {
      after: afterStart(options.after),
      streamPrefix: options.streamPrefix,
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      logger: this.logger,
    });
    this.subscriptions.add(subscription);
    return {
      stop: async () => {
        this.subscriptions.delete(subscription);
        await subscription.stop();
      },
      hurry: () => subscription.hurry(),
    };
  }

  /** The position of the last ledger event; system events written after it do not count. */
  async headPosition(): Promise<Position> {
    const read = readAllFiltered(this.client, {
      fromPosition: END,
      direction: BACKWARDS,
      maxCount: 1,
      filter: streamSelection(),
    });
    const [last] = ledgerEvents(await readToEnd(read));
    return last?.position ?? START;
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

/**
 * Reads never stop early: a read left half-consumed keeps its gRPC call open, and the client's
 * dispose() then waits for it forever. Counts keep what is read short.
 */
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
