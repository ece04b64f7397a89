import { jsonEvent, type AllStreamResolvedEvent, type ResolvedEvent } from '@eventstore/db-client';
import type { EventMetadata, NewEvent, RecordedEvent } from '../event-store.port';

/**
 * EventStoreDB has no schema-version field, so the version travels in the event's metadata
 * beside ours. `schemaVersion` is therefore a reserved metadata key for this adapter.
 */
interface StoredMetadata extends EventMetadata {
  readonly schemaVersion?: number;
}

/** Events written before versioning existed are version 1. */
const UNVERSIONED = 1;

export function toEventData(event: NewEvent) {
  const metadata: StoredMetadata = { ...event.metadata, schemaVersion: event.schemaVersion };
  return jsonEvent({ id: event.id, type: event.type, data: event.data, metadata });
}

/** EventStoreDB system streams start with `$`; they are never part of the ledger. */
export function isSystemStream(streamId: string): boolean {
  return streamId.startsWith('$');
}

/**
 * Maps what the client read into the port's shape. Returns undefined for anything that is not
 * one of our events: system events, and links whose target was not resolved.
 */
export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || isSystemStream(event.streamId)) return undefined;
  if (!event.isJson) {
    throw new Error(`Event ${event.id} in ${event.streamId} is not JSON; the ledger only writes JSON events`);
  }
  if (!event.position) {
    throw new Error(
      `Event ${event.id} in ${event.streamId} came without a log position (EventStoreDB 22.6 or later sends one)`,
    );
  }
  const { schemaVersion = UNVERSIONED, ...metadata } = (event.metadata ?? {}) as StoredMetadata;
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
