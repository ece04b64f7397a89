import { PROJECT_EVENT_TYPES, ProjectEvent, ProjectEventType } from '@scope-ledger/domain';
import { EventToFold } from '@scope-ledger/event-store';

const KNOWN = new Set<string>(PROJECT_EVENT_TYPES);
export const PROJECT_STREAM_PREFIX = 'project-';

/** A stored event as the domain sees it; undefined for types this version does not know. */
export function toProjectEvent(recorded: Pick<EventToFold, 'type' | 'data'>): ProjectEvent | undefined {
  if (!KNOWN.has(recorded.type)) return undefined;
  return { type: recorded.type as ProjectEventType, data: recorded.data } as ProjectEvent;
}

export function projectIdOf(streamId: string): string {
  return streamId.slice(PROJECT_STREAM_PREFIX.length);
}
