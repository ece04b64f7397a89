import {
  EventStore,
  GENESIS_HASH,
  Position,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '@scope-ledger/event-store';
import { chainedEvents, CommandContext, commandMetadata } from './project-commands';

export interface LoadedStream<S> {
  readonly state: S;
  /** Revision of the last event, -1n when the stream does not exist. */
  readonly revision: bigint;
  readonly headHash: string;
}

export interface StreamOutcome<S, E> extends LoadedStream<S> {
  readonly events: readonly E[];
  readonly position?: Position;
}

/** What a small stream of its own needs: its id, its decider and fold, and how to read and version its events. */
export interface StreamDefinition<S, C, E extends { type: string; data: object }> {
  readonly streamId: string;
  readonly initialState: S;
  decide(command: C, state: S): E[];
  fold(events: Iterable<E>, from: S): S;
  /** A stored event as this stream reads it: undefined for types it does not know. */
  toEvent(type: string, data: unknown): E | undefined;
  schemaVersionOf(type: E['type']): number;
}

const ATTEMPTS = 10;

/**
 * The command path of a stream that holds a whole small aggregate (the catalogue, the staff users), the
 * project's in small: load the stream (kept folded in memory and topped up with what other processes appended),
 * decide, append with the expected revision, retry on conflict. Commands run one at a time in this process.
 * Reads fold the same stream: these aggregates are small and need no read table.
 */
export class SingleStreamCommands<S, C extends { now: string }, E extends { type: string; data: object }> {
  private current: LoadedStream<S>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    protected readonly store: EventStore,
    private readonly definition: StreamDefinition<S, C, E>,
  ) {
    this.current = { state: definition.initialState, revision: -1n, headHash: GENESIS_HASH };
  }

  /** The stream's aggregate as it stands now. */
  async load(): Promise<LoadedStream<S>> {
    const { streamId, fold } = this.definition;
    const recorded = await this.store.readStream(streamId, { fromRevision: this.current.revision + 1n });
    // A load that ran alongside may have folded some of these already.
    const unseen = recorded.filter((r) => r.revision > this.current.revision);
    const last = unseen.at(-1);
    if (last) {
      this.current = {
        state: fold(
          unseen.flatMap((r) => this.known(r)),
          this.current.state,
        ),
        revision: last.revision,
        headHash: String(last.metadata.hash ?? this.current.headHash),
      };
    }
    return this.current;
  }

  /** The aggregate as this process last loaded or wrote it, without a round trip to the store. */
  get lastLoaded(): LoadedStream<S> {
    return this.current;
  }

  execute(command: C, context: CommandContext): Promise<StreamOutcome<S, E>> {
    const run = this.queue.then(
      () => this.decideAndAppend(command, context),
      () => this.decideAndAppend(command, context),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async decideAndAppend(command: C, context: CommandContext): Promise<StreamOutcome<S, E>> {
    const { streamId, decide, fold, schemaVersionOf } = this.definition;
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.load();
      const events = decide(command, loaded.state);
      if (events.length === 0) return { ...loaded, events };
      const metadata = commandMetadata(command.now, context);
      const chained = chainedEvents(streamId, loaded, events, schemaVersionOf, metadata);
      const expected = loaded.revision < 0n ? 'no_stream' : loaded.revision;
      try {
        const { nextExpectedRevision, position } = await this.store.append(streamId, chained, expected);
        this.current = {
          state: fold(events, loaded.state),
          revision: nextExpectedRevision,
          headHash: String(chained.at(-1)!.metadata.hash),
        };
        return { ...this.current, events, position };
      } catch (error) {
        // Another process wrote first: decide again on the stream as it now stands.
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  private known(recorded: RecordedEvent): E[] {
    const event = this.definition.toEvent(recorded.type, recorded.data);
    return event ? [event] : [];
  }
}
