import { createServer } from 'node:net';
import {
  START,
  WrongExpectedRevisionError,
  comparePositions,
  type RecordedEvent,
} from '../../../libs/event-store/src/event-store.port';
import { createEventStoreDbEventStore, type EventStoreDbEventStore } from '../../../libs/event-store/src/eventstoredb';
import { FakeEventStoreDbServer, type FakeServerOptions } from './fake-eventstoredb-server';
import { waitFor } from '../event-store.contract';
import { BatchRecorder, changeRequestLogged, projectStream, recordingLogger } from './test-helpers';

async function connect(options: FakeServerOptions = {}) {
  const server = await FakeEventStoreDbServer.start(options);
  const logger = recordingLogger();
  const store = await createEventStoreDbEventStore(server.connectionString, { logger });
  return { server, store, logger };
}

describe('EventStoreDB adapter, through the real client, against the in-process test server', () => {
  let server: FakeEventStoreDbServer;
  let store: EventStoreDbEventStore;
  let logger: ReturnType<typeof recordingLogger>;

  afterEach(async () => {
    await store?.close();
    await server?.stop();
  });

  describe.each([
    { wire: 'Streams.Append (servers that do not advertise BatchAppend)', advertiseBatchAppend: false },
    { wire: 'Streams.BatchAppend (what EventStoreDB 21.10 and later offer)', advertiseBatchAppend: true },
  ])('appending over $wire', ({ advertiseBatchAppend }) => {
    beforeEach(async () => ({ server, store, logger } = await connect({ advertiseBatchAppend })));

    it('reads back what was appended: ids, types, data, metadata, schema version, revisions', async () => {
      const stream = projectStream();
      const logged = [changeRequestLogged('Add a VPN for the Leeds office'), changeRequestLogged('Second mailbox')];

      const result = await store.append(stream, logged, 'no_stream');
      const read = await store.readStream(stream);

      expect(result.nextExpectedRevision).toBe(1n);
      const asWritten = read.map(({ id, type, schemaVersion, data, metadata, streamId, revision }) => ({
        id,
        type,
        schemaVersion,
        data,
        metadata,
        streamId,
        revision,
      }));
      expect(asWritten).toEqual(
        logged.map((event, index) => ({ ...event, streamId: stream, revision: BigInt(index) })),
      );
      expect(read[1].position).toEqual(result.position);
      expect(comparePositions(read[0].position, read[1].position)).toBeLessThan(0);
      expect(Number.isNaN(Date.parse(read[0].recordedAt))).toBe(false);
    });

    it('refuses no_stream when the stream exists, naming the stream and its current revision', async () => {
      const stream = projectStream();
      await store.append(stream, [changeRequestLogged('first')], 'no_stream');

      const conflict = store.append(stream, [changeRequestLogged('racing')], 'no_stream');

      await expect(conflict).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(conflict).rejects.toMatchObject({ streamId: stream, expected: 'no_stream', actual: 0n });
      expect(await store.readStream(stream)).toHaveLength(1);
    });

    it('refuses a stale exact revision and appends none of the batch', async () => {
      const stream = projectStream();
      await store.append(stream, [changeRequestLogged('a'), changeRequestLogged('b')], 'no_stream');

      const conflict = store.append(stream, [changeRequestLogged('c'), changeRequestLogged('d')], 0n);

      await expect(conflict).rejects.toMatchObject({
        name: 'WrongExpectedRevisionError',
        streamId: stream,
        expected: 0n,
        actual: 1n,
      });
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    it('refuses an exact revision on a stream that does not exist yet', async () => {
      const stream = projectStream();
      await expect(store.append(stream, [changeRequestLogged('a')], 3n)).rejects.toMatchObject({
        streamId: stream,
        expected: 3n,
        actual: 'no_stream',
      });
    });

    it('appends at the exact revision it was told, and with "any" whatever the revision', async () => {
      const stream = projectStream();
      await store.append(stream, [changeRequestLogged('a')], 'no_stream');
      await store.append(stream, [changeRequestLogged('b')], 0n);
      const result = await store.append(stream, [changeRequestLogged('c')], 'any');
      expect(result.nextExpectedRevision).toBe(2n);
      expect((await store.readStream(stream)).map((event) => event.data.title)).toEqual(['a', 'b', 'c']);
    });
  });

  describe('reading', () => {
    beforeEach(async () => ({ server, store, logger } = await connect()));

    it('reads nothing from a stream that does not exist, and reads from a revision on', async () => {
      const stream = projectStream();
      expect(await store.readStream(stream)).toEqual([]);
      await store.append(stream, ['a', 'b', 'c'].map(changeRequestLogged), 'no_stream');
      expect((await store.readStream(stream, { fromRevision: 1n })).map((event) => event.data.title)).toEqual([
        'b',
        'c',
      ]);
    });

    it('reads all streams in log order, only those with the prefix, never system events', async () => {
      const first = projectStream();
      const second = projectStream();
      await store.append(first, [changeRequestLogged('1')], 'no_stream');
      server.writeSystemEvent(`$$${first}`, '$metadata');
      await store.append('tenant-settings', [changeRequestLogged('not a project')], 'no_stream');
      await store.append(second, [changeRequestLogged('2')], 'no_stream');
      await store.append(first, [changeRequestLogged('3')], 0n);

      const projects = await store.readAll({ streamPrefix: 'project-' });
      const everything = await store.readAll();

      expect(projects.map((event) => event.data.title)).toEqual(['1', '2', '3']);
      expect(everything.map((event) => event.data.title)).toEqual(['1', 'not a project', '2', '3']);
      expect(everything.every((event) => !event.streamId.startsWith('$'))).toBe(true);
      const positions = everything.map((event) => event.position);
      expect([...positions].sort(comparePositions)).toEqual(positions);
    });

    it('reads strictly after a position, up to a limit', async () => {
      const stream = projectStream();
      await store.append(stream, ['a', 'b', 'c', 'd'].map(changeRequestLogged), 'no_stream');
      const [a, b] = await store.readAll({ streamPrefix: 'project-' });

      const afterA = await store.readAll({ after: a.position, limit: 2, streamPrefix: 'project-' });
      const afterStart = await store.readAll({ after: START, limit: 1 });

      expect(afterA.map((event) => event.data.title)).toEqual(['b', 'c']);
      expect(afterA[0].position).toEqual(b.position);
      expect(afterStart.map((event) => event.data.title)).toEqual(['a']);
    });

    it('gives the position of the last ledger event as head, START while there is none', async () => {
      expect(await store.headPosition()).toEqual(START);
      const stream = projectStream();
      const { position } = await store.append(stream, [changeRequestLogged('a')], 'no_stream');
      server.writeSystemEvent('$scavenges', '$scavengeStarted');
      expect(await store.headPosition()).toEqual(position);
    });

    it('reads $all across many requests: past other streams, up to a limit, back past system events', async () => {
      const stream = projectStream();
      const titles = Array.from({ length: 600 }, (_, i) => `setting ${i}`);
      for (let i = 0; i < titles.length; i += 100) {
        await store.append('tenant-settings', titles.slice(i, i + 100).map(changeRequestLogged), 'any');
      }
      await store.append(stream, ['a', 'b', 'c'].map(changeRequestLogged), 'no_stream');
      for (let i = 0; i < 600; i++) server.writeSystemEvent('$stats', '$statsCollected');

      const projects = await store.readAll({ streamPrefix: 'project-' });
      const first = await store.readAll({ limit: 400 });
      const rest = await store.readAll({ after: first[first.length - 1].position, limit: 1_000 });

      expect(projects.map((event) => event.data.title)).toEqual(['a', 'b', 'c']);
      expect([...first, ...rest].map((event) => event.data.title)).toEqual([...titles, 'a', 'b', 'c']);
      expect(await store.headPosition()).toEqual(projects[2].position);
    });
  });

  describe('positions above 2^53', () => {
    const firstPosition = 2n ** 53n + 1n;

    beforeEach(async () => ({ server, store, logger } = await connect({ firstPosition })));

    it(
      'keeps every digit, including those no double can hold, ' + 'through append, reads, head and subscriptions',
      async () => {
        const stream = projectStream();
        const first = await store.append(stream, [changeRequestLogged('a')], 'no_stream');
        const second = await store.append(stream, [changeRequestLogged('b')], 0n);
        const recorder = new BatchRecorder<RecordedEvent>();
        const subscription = store.subscribe(recorder.handle, { streamPrefix: 'project-' });
        await waitFor(() => recorder.items.length === 2);
        await subscription.stop();

        const logged = server.log
          .eventsAfter('start', (event) => event.streamId === stream)
          .map((event) => event.position);
        expect(logged.every((position) => position > firstPosition)).toBe(true);
        expect(logged.some((position) => BigInt(Number(position)) !== position)).toBe(true);
        expect([first.position, second.position]).toEqual(
          logged.map((position) => ({ commit: position, prepare: position })),
        );
        expect((await store.readStream(stream)).map((event) => event.position)).toEqual([
          first.position,
          second.position,
        ]);
        expect((await store.readAll({ after: first.position })).map((event) => event.position)).toEqual([
          second.position,
        ]);
        expect(await store.headPosition()).toEqual(second.position);
        expect(recorder.items.map((event) => event.position)).toEqual([first.position, second.position]);
      },
    );
  });

  describe('subscriptions', () => {
    beforeEach(async () => ({ server, store, logger } = await connect()));

    it('catches up, then follows live appends, in order, one batch at a time', async () => {
      const stream = projectStream();
      await store.append(stream, ['1', '2', '3', '4', '5'].map(changeRequestLogged), 'no_stream');
      await store.append('tenant-settings', [changeRequestLogged('other prefix')], 'no_stream');
      const recorder = new BatchRecorder<RecordedEvent>(20);

      const subscription = store.subscribe(recorder.handle, { streamPrefix: 'project-' });
      await waitFor(() => recorder.items.length === 5);
      await store.append(stream, ['6', '7'].map(changeRequestLogged), 4n);
      await waitFor(() => recorder.items.length === 7);
      await subscription.stop();

      expect(recorder.items.map((event) => event.data.title)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
      expect(recorder.batches.every((batch) => batch.length >= 1)).toBe(true);
      expect(recorder.overlapped).toBe(false);
    });

    it('starts strictly after the position it is given', async () => {
      const stream = projectStream();
      await store.append(stream, ['a', 'b', 'c'].map(changeRequestLogged), 'no_stream');
      const [a] = await store.readAll();
      const recorder = new BatchRecorder<RecordedEvent>();

      const subscription = store.subscribe(recorder.handle, { after: a.position });
      await waitFor(() => recorder.items.length === 2);
      await subscription.stop();

      expect(recorder.items.map((event) => event.data.title)).toEqual(['b', 'c']);
    });

    it('delivers nothing after stop, and closes its server subscription', async () => {
      const stream = projectStream();
      const recorder = new BatchRecorder<RecordedEvent>();
      const subscription = store.subscribe(recorder.handle);
      await store.append(stream, [changeRequestLogged('before stop')], 'no_stream');
      await waitFor(() => recorder.items.length === 1);

      await subscription.stop();
      await store.append(stream, [changeRequestLogged('after stop')], 0n);
      await new Promise((resolve) => setTimeout(resolve, 100));

      expect(recorder.items.map((event) => event.data.title)).toEqual(['before stop']);
      await waitFor(() => server.openSubscriptions === 0);
    });

    it('resubscribes from the last delivered position after the server drops it: no gap, no repeat', async () => {
      const stream = projectStream();
      const recorder = new BatchRecorder<RecordedEvent>();
      const subscription = store.subscribe(recorder.handle, { streamPrefix: 'project-' });
      await store.append(stream, ['a', 'b'].map(changeRequestLogged), 'no_stream');
      await waitFor(() => recorder.items.length === 2);

      server.dropSubscriptions();
      await store.append(stream, [changeRequestLogged('c')], 1n);
      await waitFor(() => recorder.items.length === 3);
      await subscription.stop();

      expect(recorder.items.map((event) => event.data.title)).toEqual(['a', 'b', 'c']);
      expect(server.subscriptionStarts).toEqual(['start', recorder.items[1].position.commit]);
      expect(logger.warnings[0]).toMatch(/dropped .*UNAVAILABLE.*resubscribing after 100 ms/);
    });

    it('backs off, doubling the wait, while the server refuses to resubscribe', async () => {
      const stream = projectStream();
      const recorder = new BatchRecorder<RecordedEvent>();
      const subscription = store.subscribe(recorder.handle);
      await waitFor(() => server.openSubscriptions === 1);

      server.refuseSubscriptions = true;
      server.dropSubscriptions();
      await waitFor(() => logger.warnings.length >= 4);
      server.refuseSubscriptions = false;
      await store.append(stream, [changeRequestLogged('after the outage')], 'no_stream');
      await waitFor(() => recorder.items.length === 1);
      await subscription.stop();

      const waits = logger.warnings.slice(0, 4).map((warning) => Number(/after (\d+) ms/.exec(warning)?.[1]));
      expect(waits).toEqual([100, 200, 400, 800]);
    });

    it('delivers a batch again when its handler failed', async () => {
      const stream = projectStream();
      await store.append(stream, [changeRequestLogged('flaky')], 'no_stream');
      let attempts = 0;
      const delivered: string[] = [];

      const subscription = store.subscribe(async (batch) => {
        attempts += 1;
        if (attempts === 1) throw new Error('projection table locked');
        delivered.push(...batch.map((event) => String(event.data.title)));
      });
      await waitFor(() => delivered.length === 1);
      await subscription.stop();

      expect(delivered).toEqual(['flaky']);
      expect(logger.warnings[0]).toMatch(/projection table locked/);
    });

    it('stops its subscriptions when the store closes', async () => {
      const recorder = new BatchRecorder<RecordedEvent>();
      store.subscribe(recorder.handle);
      await waitFor(() => server.openSubscriptions === 1);

      await store.close();

      await waitFor(() => server.openSubscriptions === 0);
    });
  });

  describe('connecting', () => {
    it('fails fast, with the address, when nothing answers', async () => {
      const port = await unusedPort();
      const started = Date.now();

      const attempt = createEventStoreDbEventStore(`esdb://127.0.0.1:${port}?tls=false`, { connectTimeoutMs: 3_000 });

      await expect(attempt).rejects.toThrow(`EventStoreDB at esdb://127.0.0.1:${port}?tls=false is unreachable`);
      expect(Date.now() - started).toBeLessThan(4_000);
    });

    it('keeps the password out of the error message', async () => {
      const port = await unusedPort();
      const attempt = createEventStoreDbEventStore(`esdb://admin:changeit@127.0.0.1:${port}?tls=false`, {
        connectTimeoutMs: 3_000,
      });
      await expect(attempt).rejects.toThrow(/EventStoreDB at esdb:\/\/127\.0\.0\.1:\d+\?tls=false is unreachable/);
    });
  });
});

async function unusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}
