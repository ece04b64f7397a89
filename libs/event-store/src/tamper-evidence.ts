import canonicalize from 'canonicalize';
import { hash as digest } from 'node:crypto';
import { NewEvent, RecordedEvent } from './event-store.port';

/**
 * Each event's metadata carries a SHA-256 over the previous event's hash and its own
 * content, so altering, removing or reordering a stored event breaks every later link.
 */
export const GENESIS_HASH = '0'.repeat(64);

export function chainEvents(
  streamId: string,
  previousHash: string,
  firstRevision: bigint,
  events: readonly NewEvent[],
): NewEvent[] {
  let previous = previousHash;
  return events.map((event, index) => {
    const { hash: _hash, previousHash: _previous, ...metadata } = event.metadata;
    const hash = eventHash(
      streamId,
      firstRevision + BigInt(index),
      previous,
      event.type,
      event.schemaVersion,
      event.data,
      metadata,
    );
    const chained: NewEvent = { ...event, metadata: { ...metadata, previousHash: previous, hash } };
    previous = hash;
    return chained;
  });
}

export interface ChainBreak {
  revision: bigint;
  eventId: string;
  type: string;
  reason: string;
}

export interface ChainVerification {
  streamId: string;
  events: number;
  valid: boolean;
  headHash: string;
  firstBreak?: ChainBreak;
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
    const { hash, previousHash, ...metadata } = event.metadata;
    if (previousHash !== previous) return fail('the link to the previous event does not match');
    const expected = eventHash(
      streamId,
      event.revision,
      previous,
      event.type,
      event.schemaVersion,
      event.data,
      metadata,
    );
    if (hash !== expected) return fail('the event content does not match its hash');
    previous = expected;
  }
  return { streamId, events: events.length, valid: true, headHash: previous };
}

export function headHashOf(events: readonly RecordedEvent[]): string {
  const last = events[events.length - 1];
  return (last?.metadata.hash as string | undefined) ?? GENESIS_HASH;
}

/**
 * SHA-256 over the RFC 8785 canonical JSON of the event, so the same content hashes the same
 * after a jsonb round trip has reordered its keys.
 */
function eventHash(
  streamId: string,
  revision: bigint,
  previousHash: string,
  type: string,
  schemaVersion: number,
  data: unknown,
  metadata: unknown,
): string {
  const content = { streamId, revision: revision.toString(), previousHash, type, schemaVersion, data, metadata };
  return digest('sha256', canonicalize(content)!, 'hex');
}
