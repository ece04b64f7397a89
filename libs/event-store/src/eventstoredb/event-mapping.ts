import { jsonEvent, type AllStreamResolvedEvent, type ResolvedEvent } from '@eventstore/db-client';
import type { EventMetadata, NewEvent, RecordedEvent } from '../event-store.port';

/** EventStoreDB has no schema-version field, so the version travels in the metadata, a key reserved here. */
interface StoredMetadata extends EventMetadata {
  readonly schemaVersion?: number;
}

export function toEventData(event: NewEvent) {
  const metadata: StoredMetadata = { ...event.metadata, schemaVersion: event.schemaVersion };
  return jsonEvent({ id: event.id, type: event.type, data: event.data, metadata });
}

/** The port's shape of what the client read; undefined for system events (`$` streams) and unresolved links. */
export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || event.streamId.startsWith('$')) return undefined;
  const what = `Event ${event.id} in ${event.streamId}`;
  if (!event.isJson) throw new Error(`${what} is not JSON; the ledger only writes JSON events`);
  if (!event.position) throw new Error(`${what} came without a log position (EventStoreDB 22.6 or later sends one)`);
  // Events written before versioning existed are version 1.
  const { schemaVersion = 1, ...metadata } = (event.metadata ?? {}) as StoredMetadata;
  return {
    id: event.id,
    type: event.type,
    schemaVersion,
    data: event.data as Record<string, unknown>,
    metadata: metadata as EventMetadata,
    streamId: event.streamId,
    revision: event.revision,
    position: { commit: event.position.commit, prepare: event.position.prepare },
    recordedAt: event.created.toISOString(),
  };
}
