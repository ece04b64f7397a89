import canonicalize from 'canonicalize';
import { hash as digest } from 'node:crypto';
import { NewEvent, RecordedEvent } from './event-store.port';

export const GENESIS_HASH = '0'.repeat(64);

/** Links each event to the one before by hash: altering, removing or reordering one breaks every later link. */
export function chainEvents(
  streamId: string,
  previousHash: string,
  firstRevision: bigint,
  events: readonly NewEvent[],
): NewEvent[] {
  let previous = previousHash;
  return events.map((event, index) => {
    const { hash: _hash, previousHash: _previous, ...metadata } = event.metadata;
    const link = { previousHash: previous, hash: eventHash(streamId, firstRevision + BigInt(index), previous, event) };
    previous = link.hash;
    return { ...event, metadata: { ...metadata, ...link } };
  });
}

export interface ChainVerification {
  streamId: string;
  events: number;
  valid: boolean;
  headHash: string;
  firstBreak?: { revision: bigint; eventId: string; type: string; reason: string };
}

export function verifyChain(streamId: string, events: readonly RecordedEvent[]): ChainVerification {
  let previous = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    const fail = (reason: string): ChainVerification => ({
      streamId,
      events: events.length,
      valid: false,
      headHash: previous,
      firstBreak: { revision: event.revision, eventId: event.id, type: event.type, reason },
    });
    if (event.revision !== BigInt(index)) return fail(`expected revision ${index}, found ${event.revision}`);
    if (event.metadata.previousHash !== previous) return fail('the link to the previous event does not match');
    const expected = eventHash(streamId, event.revision, previous, event);
    if (event.metadata.hash !== expected) return fail('the event content does not match its hash');
    previous = expected;
  }
  return { streamId, events: events.length, valid: true, headHash: previous };
}

/** SHA-256 over the event's RFC 8785 canonical JSON, so a jsonb round trip that reorders keys hashes the same. */
function eventHash(streamId: string, revision: bigint, previousHash: string, event: NewEvent): string {
  const { hash: _hash, previousHash: _previous, ...metadata } = event.metadata;
  const { type, schemaVersion, data } = event;
  const content = { streamId, revision: revision.toString(), previousHash, type, schemaVersion, data, metadata };
  return digest('sha256', canonicalize(content)!, 'hex');
}
