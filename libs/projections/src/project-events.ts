import { ProjectEvent, upcastProjectEvent } from '@scope-ledger/domain';
import { RecordedEvent } from '@scope-ledger/event-store';

export const PROJECT_STREAM_PREFIX = 'project-';

export function projectIdOf(streamId: string): string {
  return streamId.slice(PROJECT_STREAM_PREFIX.length);
}

/** A stored event as this version of the domain reads it; undefined for types it does not know. */
export function toProjectEvent(
  recorded: Pick<RecordedEvent, 'type' | 'schemaVersion' | 'data' | 'metadata'>,
): ProjectEvent | undefined {
  return upcastProjectEvent(recorded.type, recorded.schemaVersion, recorded.data, recorded.metadata.occurredAt);
}
