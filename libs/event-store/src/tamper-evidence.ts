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
    // Added to the copy the destructuring made: on Node 20, keys added after a spread (`{ ...metadata,
    // hash }`) give each event's metadata hidden classes of its own (see `extended` in @scope-ledger/domain).
    const chained: NewEvent = { ...event, metadata: Object.assign(metadata, { previousHash: previous, hash }) };
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

function eventHash(
  streamId: string,
  revision: bigint,
  previousHash: string,
  type: string,
  schemaVersion: number,
  data: unknown,
  metadata: unknown,
): string {
  // One call, no Hash object: this runs for every event appended and verified.
  return digest(
    'sha256',
    canonicalJson({ streamId, revision: revision.toString(), previousHash, type, schemaVersion, data, metadata }),
    'hex',
  );
}

/** JSON with object keys sorted, so the same content always hashes the same after a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // Loops and string concatenation: this runs over every event appended (its hash) and verified.
  if (Array.isArray(value)) {
    let json = '[';
    for (let i = 0; i < value.length; i++) json += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return json + ']';
  }
  const record = value as Record<string, unknown>;
  // Sorted by UTF-16 code units, as the comparison operators order strings.
  const keys = Object.keys(record).sort();
  let json = '{';
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    json +=
      (json.length === 1 ? '' : ',') +
      quotedKey(key) +
      ':' +
      (typeof item === 'string' ? JSON.stringify(item) : canonicalJson(item));
  }
  return json + '}';
}

/** Events use a few dozen keys over and over: each is quoted once (up to a bound, for odd data). */
const quotedKeys = new Map<string, string>();

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 4_096) quotedKeys.set(key, quoted);
  }
  return quoted;
}
