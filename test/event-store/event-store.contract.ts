import { randomUUID } from 'node:crypto';
import {
  comparePositions,
  EventStore,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
  START,
  WrongExpectedRevisionError,
} from '@scope-ledger/event-store';

export interface ContractSubject {
  readonly store: EventStore;
  readonly cleanup: () => Promise<void>;
  /** A second store on the same data, for concurrency tests (defaults to `store`). */
  readonly otherWriter?: EventStore;
}

export function newEvent(type: string, data: Record<string, unknown> = {}): NewEvent {
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: {
      actor: { kind: 'system', id: 'contract-test' },
      occurredAt: '2026-01-05T09:00:00.000Z',
      correlationId: randomUUID(),
      causationId: randomUUID(),
    },
  };
}

/** The behaviour every EventStore adapter must have. */
export function describeEventStoreContract(adapterName: string, create: () => Promise<ContractSubject>): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let subject: ContractSubject;
    let store: EventStore;
    let prefix: string;

    beforeEach(async () => {
      subject = await create();
      store = subject.store;
      prefix = `project-${randomUUID().slice(0, 8)}`;
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    it('appends a batch to a new stream and reads it back in order with its data and metadata', async () => {
      const events = [
        newEvent('ProjectOpened', { name: 'Cloud move' }),
        newEvent('BaselineEstablished', { items: [1, 2] }),
      ];
      const result = await store.append(`${prefix}-a`, events, 'no_stream');
      expect(result.nextExpectedRevision).toBe(1n);

      const read = await store.readStream(`${prefix}-a`);
      expect(read.map((e) => [e.type, e.revision, e.id])).toEqual([
        ['ProjectOpened', 0n, events[0].id],
        ['BaselineEstablished', 1n, events[1].id],
      ]);
      expect(read[0].data).toEqual({ name: 'Cloud move' });
      expect(read[1].metadata.actor).toEqual({ kind: 'system', id: 'contract-test' });
      expect(read[1].metadata.occurredAt).toBe('2026-01-05T09:00:00.000Z');
      expect(comparePositions(read[1].position, result.position)).toBe(0);
    });

    it('reads an unknown stream as empty', async () => {
      expect(await store.readStream(`${prefix}-missing`)).toEqual([]);
    });

    it('refuses no_stream when the stream exists and writes nothing', async () => {
      await store.append(`${prefix}-a`, [newEvent('A')], 'no_stream');
      await expect(store.append(`${prefix}-a`, [newEvent('B')], 'no_stream')).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      expect((await store.readStream(`${prefix}-a`)).map((e) => e.type)).toEqual(['A']);
    });

    it('refuses a stale or future exact revision with a typed error naming the stream', async () => {
      await store.append(`${prefix}-a`, [newEvent('A'), newEvent('B')], 'no_stream');
      const stale = store.append(`${prefix}-a`, [newEvent('C')], 0n);
      await expect(stale).rejects.toMatchObject({
        name: 'WrongExpectedRevisionError',
        streamId: `${prefix}-a`,
        actual: 1n,
      });
      await expect(store.append(`${prefix}-a`, [newEvent('C')], 5n)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(store.append(`${prefix}-missing`, [newEvent('C')], 0n)).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      // Batches too: nothing of a refused batch is written, not even its first rows.
      await expect(
        store.append(`${prefix}-a`, [newEvent('C'), newEvent('D'), newEvent('E')], 5n),
      ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(store.append(`${prefix}-a`, [newEvent('C'), newEvent('D')], 0n)).rejects.toMatchObject({
        name: 'WrongExpectedRevisionError',
        actual: 1n,
      });
      await expect(store.append(`${prefix}-missing`, [newEvent('C'), newEvent('D')], 0n)).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      expect(await store.readStream(`${prefix}-missing`)).toEqual([]);
      const ok = await store.append(`${prefix}-a`, [newEvent('C')], 1n);
      expect(ok.nextExpectedRevision).toBe(2n);
      expect((await store.readStream(`${prefix}-a`)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
    });

    it('gives each of many simultaneous appends to different streams its own outcome', async () => {
      const existing = Array.from({ length: 8 }, (_, i) => `${prefix}-existing-${i}`);
      for (const streamId of existing) await store.append(streamId, [newEvent('Opened')], 'no_stream');
      const fresh = Array.from({ length: 8 }, (_, i) => `${prefix}-fresh-${i}`);
      const outcomes = await Promise.allSettled([
        ...fresh.map((streamId) => store.append(streamId, [newEvent('Opened'), newEvent('Named')], 'no_stream')),
        ...existing
          .slice(0, 4)
          .map((streamId) => store.append(streamId, [newEvent('Moved'), newEvent('Moved'), newEvent('Moved')], 0n)),
        ...existing.slice(4, 6).map((streamId) => store.append(streamId, [newEvent('Stale')], 3n)),
        ...existing.slice(6, 8).map((streamId) => store.append(streamId, [newEvent('Reopened')], 'no_stream')),
      ]);
      const revisions = outcomes.map((o) =>
        o.status === 'fulfilled' ? o.value.nextExpectedRevision : (o.reason as Error).name,
      );
      expect(revisions).toEqual([
        ...fresh.map(() => 1n),
        3n,
        3n,
        3n,
        3n,
        ...Array(4).fill('WrongExpectedRevisionError'),
      ]);
      for (const streamId of fresh)
        expect((await store.readStream(streamId)).map((e) => e.type)).toEqual(['Opened', 'Named']);
      for (const streamId of existing.slice(0, 4))
        expect((await store.readStream(streamId)).map((e) => e.type)).toEqual(['Opened', 'Moved', 'Moved', 'Moved']);
      for (const streamId of existing.slice(4))
        expect((await store.readStream(streamId)).map((e) => e.type)).toEqual(['Opened']);
      // Nothing of the refused appends anywhere: the 8 openings, 8 new streams of 2, 4 moves of 3.
      expect(await store.readAll({ after: START, streamPrefix: prefix, limit: 1000 })).toHaveLength(8 + 8 * 2 + 4 * 3);
    });

    it('lets exactly one of two writers at the same revision win', async () => {
      await store.append(`${prefix}-a`, [newEvent('A')], 'no_stream');
      const other = subject.otherWriter ?? store;
      const results = await Promise.allSettled([
        store.append(`${prefix}-a`, [newEvent('B1'), newEvent('B2')], 0n),
        other.append(`${prefix}-a`, [newEvent('C1')], 0n),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(failure.reason).toBeInstanceOf(WrongExpectedRevisionError);
      const types = (await store.readStream(`${prefix}-a`)).map((e) => e.type);
      expect([
        ['A', 'B1', 'B2'],
        ['A', 'C1'],
      ]).toContainEqual(types);
    });

    it.each([1, 3, 600])('checks the expected revision the same way for an append of %i events', async (size) => {
      const batch = (type: string) => Array.from({ length: size }, (_, i) => newEvent(type, { i }));
      const stream = `${prefix}-batch`;
      const first = await store.append(stream, batch('First'), 'no_stream');
      expect(first.nextExpectedRevision).toBe(BigInt(size) - 1n);
      const second = await store.append(stream, batch('Second'), first.nextExpectedRevision);
      const head = 2n * BigInt(size) - 1n;
      expect(second.nextExpectedRevision).toBe(head);

      const refused = (type: string, expected: ExpectedRevision, target = stream) =>
        expect(store.append(target, batch(type), expected)).rejects.toMatchObject({
          name: 'WrongExpectedRevisionError',
          actual: target === stream ? head : 'no_stream',
        });
      await refused('Again', 'no_stream');
      await refused('Stale', first.nextExpectedRevision);
      await refused('Future', head + 1n);
      await refused('Missing', 0n, `${prefix}-missing`);

      const any = await store.append(stream, batch('Any'), 'any');
      expect(any.nextExpectedRevision).toBe(3n * BigInt(size) - 1n);
      const read = await store.readStream(stream);
      expect(read.map((e) => e.revision)).toEqual(Array.from({ length: 3 * size }, (_, i) => BigInt(i)));
      expect(read.map((e) => `${e.type} ${e.data.i}`)).toEqual(
        ['First', 'Second', 'Any'].flatMap((type) => Array.from({ length: size }, (_, i) => `${type} ${i}`)),
      );
      expect(await store.readStream(`${prefix}-missing`)).toEqual([]);
      expect(comparePositions(read[read.length - 1].position, any.position)).toBe(0);
    });

    it("appends every 'any' batch of writers racing on one stream after the head", async () => {
      const other = subject.otherWriter ?? store;
      const stream = `${prefix}-any`;
      await Promise.all(
        Array.from({ length: 6 }, (_, w) =>
          (w % 2 === 0 ? store : other).append(stream, [newEvent('Noted', { w }), newEvent('Noted', { w })], 'any'),
        ),
      );
      const read = await store.readStream(stream);
      expect(read.map((e) => e.revision)).toEqual(Array.from({ length: 12 }, (_, i) => BigInt(i)));
      // Each writer's two events stay together.
      for (let i = 0; i < 12; i += 2) expect(read[i].data.w).toBe(read[i + 1].data.w);
    });

    it('reads a stream from a revision', async () => {
      await store.append(`${prefix}-a`, [newEvent('A'), newEvent('B'), newEvent('C')], 'no_stream');
      expect((await store.readStream(`${prefix}-a`, { fromRevision: 1n })).map((e) => e.type)).toEqual(['B', 'C']);
    });

    it('reads all events after a position, filtered by stream prefix, in commit order', async () => {
      await store.append(`${prefix}-a`, [newEvent('A1')], 'no_stream');
      await store.append(`other-${prefix}`, [newEvent('X')], 'no_stream');
      await store.append(`${prefix}-b`, [newEvent('B1'), newEvent('B2')], 'no_stream');
      await store.append(`${prefix}-a`, [newEvent('A2')], 0n);

      const all = await readAllOf(store, prefix);
      expect(all.map((e) => e.type)).toEqual(['A1', 'B1', 'B2', 'A2']);
      for (let i = 1; i < all.length; i++)
        expect(comparePositions(all[i - 1].position, all[i].position)).toBeLessThan(0);

      const afterSecond = await store.readAll({ after: all[1].position, streamPrefix: prefix });
      expect(afterSecond.map((e) => e.type)).toEqual(['B2', 'A2']);

      const limited = await store.readAll({ after: START, streamPrefix: prefix, limit: 2 });
      expect(limited.map((e) => e.type)).toEqual(['A1', 'B1']);
    });

    it('reports the head position of the log', async () => {
      const written = await store.append(`${prefix}-a`, [newEvent('A'), newEvent('B')], 'no_stream');
      const head = await store.headPosition();
      expect(comparePositions(head, written.position)).toBeGreaterThanOrEqual(0);
    });

    it('delivers every event exactly once, in order, to a subscription that catches up and then follows', async () => {
      await store.append(`${prefix}-a`, [newEvent('E0'), newEvent('E1')], 'no_stream');
      const seen: RecordedEvent[] = [];
      const subscription = store.subscribe(async (batch) => void seen.push(...batch), { streamPrefix: prefix });
      try {
        let revision = 1n;
        for (let i = 2; i < 10; i++) {
          revision = (await store.append(`${prefix}-a`, [newEvent(`E${i}`)], revision)).nextExpectedRevision;
        }
        await waitFor(() => seen.length >= 10);
        expect(seen.map((e) => e.type)).toEqual(Array.from({ length: 10 }, (_, i) => `E${i}`));
      } finally {
        await subscription.stop();
      }
    });

    it("delivers its own events and another writer's to a subscription, each with its data and metadata", async () => {
      const other = subject.otherWriter ?? store;
      const seen: RecordedEvent[] = [];
      const subscription = store.subscribe(async (batch) => void seen.push(...batch), { streamPrefix: prefix });
      try {
        const written = [
          { writer: store, event: newEvent('Own', { n: 1, note: 'written here' }) },
          { writer: other, event: newEvent('Other', { n: 2, nested: { list: [1, 2, 3] } }) },
          { writer: store, event: newEvent('Own', { n: 3 }) },
        ];
        for (const [i, { writer, event }] of written.entries())
          await writer.append(`${prefix}-${i}`, [event], 'no_stream');
        await waitFor(() => seen.length >= written.length);
        expect(seen.map(({ id, type, data, metadata }) => ({ id, type, data, metadata }))).toEqual(
          written.map(({ event }) => ({ id: event.id, type: event.type, data: event.data, metadata: event.metadata })),
        );
      } finally {
        await subscription.stop();
      }
    });

    it('hands a batch whose handler failed to the handler again, and skips nothing', async () => {
      const written = Array.from({ length: 5 }, (_, i) => newEvent('Noted', { i }));
      await store.append(`${prefix}-a`, written, 'no_stream');
      let failedBatch: string[] | undefined;
      const handled: string[] = [];
      const subscription = store.subscribe(
        async (batch) => {
          if (!failedBatch) {
            failedBatch = batch.map((e) => e.id);
            throw new Error('read model table locked');
          }
          handled.push(...batch.map((e) => e.id));
        },
        { streamPrefix: prefix },
      );
      try {
        await waitFor(() => handled.length >= written.length);
        const later = newEvent('Noted', { i: 5 });
        await store.append(`${prefix}-a`, [later], 4n);
        await waitFor(() => handled.length >= written.length + 1);
        expect(handled.slice(0, failedBatch!.length)).toEqual(failedBatch);
        expect(handled).toEqual([...written, later].map((e) => e.id));
      } finally {
        await subscription.stop();
      }
    });

    it('never skips or repeats an event while many writers append concurrently and a reader polls', async () => {
      const writers = 8;
      const perWriter = 25;
      const other = subject.otherWriter ?? store;
      const seen: RecordedEvent[] = [];
      let after = START;
      let writing = true;

      const reader = (async () => {
        while (writing || seen.length < writers * perWriter) {
          const batch = await store.readAll({ after, streamPrefix: prefix, limit: 17 });
          for (const event of batch) seen.push(event);
          if (batch.length > 0) after = batch[batch.length - 1].position;
          else await new Promise((r) => setTimeout(r, 2));
          if (!writing && batch.length === 0 && seen.length >= writers * perWriter) break;
        }
      })();

      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          const target = w % 2 === 0 ? store : other;
          let expected: 'no_stream' | bigint = 'no_stream';
          for (let i = 0; i < perWriter; i++) {
            const result = await target.append(`${prefix}-w${w}`, [newEvent('Tick', { writer: w, i })], expected);
            expected = result.nextExpectedRevision;
          }
        }),
      );
      writing = false;
      await withTimeout(reader, 20_000);

      expect(seen).toHaveLength(writers * perWriter);
      expect(new Set(seen.map((e) => e.id)).size).toBe(writers * perWriter);
      for (let w = 0; w < writers; w++) {
        const mine = seen.filter((e) => e.data.writer === w).map((e) => e.data.i);
        expect(mine).toEqual(Array.from({ length: perWriter }, (_, i) => i));
      }
      for (let i = 1; i < seen.length; i++)
        expect(comparePositions(seen[i - 1].position, seen[i].position)).toBeLessThan(0);
    });
  });
}

export async function readAllOf(store: EventStore, prefix: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let after = START;
  for (;;) {
    const batch = await store.readAll({ after, streamPrefix: prefix, limit: 100 });
    if (batch.length === 0) return events;
    events.push(...batch);
    after = batch[batch.length - 1].position;
  }
}

export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
