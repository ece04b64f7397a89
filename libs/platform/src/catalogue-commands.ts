import {
  CATALOGUE_SCHEMA_VERSIONS,
  CATALOGUE_STREAM_ID,
  CatalogueCommand,
  CatalogueEvent,
  CatalogueState,
  decideCatalogue,
  foldCatalogue,
  initialCatalogueState,
  toCatalogueEvent,
} from '@scope-ledger/domain';
import {
  EventStore,
  GENESIS_HASH,
  Position,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '@scope-ledger/event-store';
import { chainedEvents, CommandContext, commandMetadata } from './project-commands';

export interface LoadedCatalogue {
  readonly state: CatalogueState;
  /** Revision of the last event, -1n when the stream does not exist. */
  readonly revision: bigint;
  readonly headHash: string;
}

export interface CatalogueOutcome extends LoadedCatalogue {
  readonly events: readonly CatalogueEvent[];
  readonly position?: Position;
}

const ATTEMPTS = 10;
const EMPTY: LoadedCatalogue = { state: initialCatalogueState, revision: -1n, headHash: GENESIS_HASH };

/**
 * The catalogue's command path, the project's in small: load the stream `catalogue` (kept folded in memory and
 * topped up with what other processes appended), decide, append with the expected revision, retry on conflict.
 * Reads fold the same stream: the catalogue is small and needs no read table.
 */
export class CatalogueCommands {
  private current: LoadedCatalogue = EMPTY;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: EventStore) {}

  /** The catalogue as its stream stands now. */
  async load(): Promise<LoadedCatalogue> {
    const recorded = await this.store.readStream(CATALOGUE_STREAM_ID, { fromRevision: this.current.revision + 1n });
    // A load that ran alongside may have folded some of these already.
    const unseen = recorded.filter((r) => r.revision > this.current.revision);
    const last = unseen.at(-1);
    if (last) {
      this.current = {
        state: foldCatalogue(unseen.flatMap(catalogueEvent), this.current.state),
        revision: last.revision,
        headHash: String(last.metadata.hash ?? this.current.headHash),
      };
    }
    return this.current;
  }

  execute(command: CatalogueCommand, context: CommandContext): Promise<CatalogueOutcome> {
    const run = this.queue.then(
      () => this.decideAndAppend(command, context),
      () => this.decideAndAppend(command, context),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async decideAndAppend(command: CatalogueCommand, context: CommandContext): Promise<CatalogueOutcome> {
    for (let attempt = 1; ; attempt++) {
      const catalogue = await this.load();
      const events = decideCatalogue(command, catalogue.state);
      if (events.length === 0) return { ...catalogue, events };
      const metadata = commandMetadata(command.now, context);
      const versionOf = (type: CatalogueEvent['type']) => CATALOGUE_SCHEMA_VERSIONS[type];
      const chained = chainedEvents(CATALOGUE_STREAM_ID, catalogue, events, versionOf, metadata);
      const expected = catalogue.revision < 0n ? 'no_stream' : catalogue.revision;
      try {
        const { nextExpectedRevision, position } = await this.store.append(CATALOGUE_STREAM_ID, chained, expected);
        this.current = {
          state: foldCatalogue(events, catalogue.state),
          revision: nextExpectedRevision,
          headHash: String(chained.at(-1)!.metadata.hash),
        };
        return { ...this.current, events, position };
      } catch (error) {
        // Another process wrote first: decide again on the catalogue as it now stands.
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }
}

function catalogueEvent(recorded: RecordedEvent): CatalogueEvent[] {
  const event = toCatalogueEvent(recorded.type, recorded.data);
  return event ? [event] : [];
}
