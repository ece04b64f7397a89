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
import { EventStore } from '@scope-ledger/event-store';
import { LoadedStream, SingleStreamCommands, StreamOutcome } from './single-stream-commands';

export type LoadedCatalogue = LoadedStream<CatalogueState>;
export type CatalogueOutcome = StreamOutcome<CatalogueState, CatalogueEvent>;

/** Products and licences: the stream `catalogue`, folded in memory. */
export class CatalogueCommands extends SingleStreamCommands<CatalogueState, CatalogueCommand, CatalogueEvent> {
  constructor(store: EventStore) {
    super(store, {
      streamId: CATALOGUE_STREAM_ID,
      initialState: initialCatalogueState,
      decide: decideCatalogue,
      fold: foldCatalogue,
      toEvent: toCatalogueEvent,
      schemaVersionOf: (type) => CATALOGUE_SCHEMA_VERSIONS[type],
    });
  }
}
