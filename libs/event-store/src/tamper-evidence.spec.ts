import { hash as digest } from 'node:crypto';
import { NewEvent, RecordedEvent } from './event-store.port';
import { chainEvents, GENESIS_HASH, verifyChain } from './tamper-evidence';

const streamId = 'project-1';

function newEvent(n: number, data: Record<string, unknown> = { number: n, title: `Request ${n}` }): NewEvent {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    type: 'ChangeRequestLogged',
    schemaVersion: 1,
    data,
    metadata: {
      actor: { kind: 'staff', id: 'pm-1' },
      occurredAt: new Date(Date.UTC(2026, 2, 2, 9, n)).toISOString(),
      correlationId: `c-${n}`,
      causationId: `c-${n}`,
    },
  };
}

/** As the store gives events back: data and metadata through JSON, as a jsonb column holds them. */
const recorded = (events: readonly NewEvent[]): RecordedEvent[] =>
  events.map((event, index) => ({
    ...event,
    data: JSON.parse(JSON.stringify(event.data)),
    metadata: JSON.parse(JSON.stringify(event.metadata)),
    streamId,
    revision: BigInt(index),
    position: { commit: BigInt(index), prepare: BigInt(index) },
    recordedAt: event.metadata.occurredAt,
  }));

describe('chainEvents', () => {
  it('links each event to the one before it, so that verifyChain accepts the stream and notices a change', () => {
    const first = chainEvents(streamId, GENESIS_HASH, 0n, [newEvent(1)]);
    const rest = chainEvents(streamId, first[0].metadata.hash!, 1n, [newEvent(2), newEvent(3)]);
    const events = [...first, ...rest];
    expect(events.map((e) => e.metadata.previousHash)).toEqual([
      GENESIS_HASH,
      events[0].metadata.hash,
      events[1].metadata.hash,
    ]);
    expect(verifyChain(streamId, recorded(events))).toMatchObject({
      valid: true,
      events: 3,
      headHash: events[2].metadata.hash,
    });

    const altered = recorded(events);
    altered[1] = { ...altered[1], data: { number: 2, title: 'Something else' } };
    expect(verifyChain(streamId, altered)).toMatchObject({
      valid: false,
      firstBreak: { revision: 1n, reason: 'the event content does not match its hash' },
    });
  });

  it('leaves the new events as they were', () => {
    const event = newEvent(1);
    chainEvents(streamId, GENESIS_HASH, 0n, [event]);
    expect(event.metadata).toEqual(newEvent(1).metadata);
  });
});

/**
 * The canonical JSON the chain was hashed with before RFC 8785's `canonicalize`, copied as it was
 * (less its cache of quoted keys), kept here only as the reference for events already stored.
 */
function canonicalJsonOfStoredEvents(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let json = '[';
    for (let i = 0; i < value.length; i++) json += (i === 0 ? '' : ',') + canonicalJsonOfStoredEvents(value[i]);
    return json + ']';
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let json = '{';
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    json +=
      (json.length === 1 ? '' : ',') +
      JSON.stringify(key) +
      ':' +
      (typeof item === 'string' ? JSON.stringify(item) : canonicalJsonOfStoredEvents(item));
  }
  return json + '}';
}

/** chainEvents as it was: how the events in existing data folders got their hashes. */
function chainedAsStored(events: readonly NewEvent[]): NewEvent[] {
  let previous = GENESIS_HASH;
  return events.map((event, revision) => {
    const { hash: _hash, previousHash: _previous, ...metadata } = event.metadata;
    const content = { streamId, revision: String(revision), previousHash: previous, type: event.type };
    const hash = digest(
      'sha256',
      canonicalJsonOfStoredEvents({ ...content, schemaVersion: event.schemaVersion, data: event.data, metadata }),
      'hex',
    );
    const chained = { ...event, metadata: { ...metadata, previousHash: previous, hash } };
    previous = hash;
    return chained;
  });
}

/** Keys a user may type, parsed from JSON so that `__proto__` is an own key as it is in stored events. */
const reservedNames = JSON.parse(
  '{"__proto__": {"x": 1}, "constructor": "c", "toString": "t", "valueOf": 0, "hasOwnProperty": [], "toJSON": "j"}',
);

const variedData: Record<string, unknown>[] = [
  { title: 'Add a VPN', hours: 2.25, rate: 12000, tags: [] },
  { nested: { deeper: { deepest: [1, { a: [2, [3, { b: null }]] }] } }, empty: {} },
  { list: [1, 'two', true, false, null, undefined, { three: 3 }, [4, [5]]] },
  { skipped: undefined, kept: 'yes', alsoSkipped: undefined, inside: { gone: undefined, here: 0 } },
  { unicode: 'Zürich – Łódź – 東京 – مرحبا – 😀 – e\u0301', control: 'tab\tnew\nline\u0000\u001f\u007f' },
  { quotes: 'say "hi" \\ back\\slash /slash', lineSeparators: '\u2028\u2029', lone: '\ud800' },
  { é: 1, z: 2, Z: 3, '1': 4, '10': 5, '2': 6, '': 7, '\uff21': 8, '😀': 9, aa: 10, a: 11, 'a b': 12 },
  {
    numbers: [0, -0, 1, -1, 1.5, 0.1 + 0.2, 1e21, 1e-7, 123456789012345680000, 5e-324, Number.MAX_SAFE_INTEGER],
    more: [2 ** 53 + 2, -1.7976931348623157e308, 100, 1e2, 0.000001, 4.35, 1 / 3],
  },
  { ...reservedNames, lines: [{ ...reservedNames, ref: 'toString' }] },
  Object.assign(Object.create(null), { role: 'constructor', rates: Object.assign(Object.create(null), reservedNames) }),
];

describe('hashes of events already stored', () => {
  it('are the same with RFC 8785 canonical JSON as with the canonical JSON they were made with', () => {
    const events = variedData.map((data, n) => newEvent(n, data));
    const asStored = chainedAsStored(events);
    let previous = GENESIS_HASH;
    for (const [revision, event] of events.entries()) {
      const [chained] = chainEvents(streamId, previous, BigInt(revision), [event]);
      expect({ data: event.data, hash: chained.metadata.hash }).toEqual({
        data: event.data,
        hash: asStored[revision].metadata.hash,
      });
      previous = chained.metadata.hash!;
    }
  });

  it('verify as they are read back from the log', () => {
    const stored = recorded(chainedAsStored(variedData.map((data, n) => newEvent(n, data))));
    expect(verifyChain(streamId, stored)).toMatchObject({ valid: true, events: variedData.length });
  });

  it('verify when a number that was not finite at append was stored as null', () => {
    const stored = recorded(chainedAsStored([newEvent(1, { hours: Number.NaN, rate: Number.POSITIVE_INFINITY })]));
    expect(stored[0].data).toEqual({ hours: null, rate: null });
    expect(verifyChain(streamId, stored).valid).toBe(true);
  });
});
