import { createEventStoreDbEventStore } from '../../../libs/event-store/src/eventstoredb';
import { describeEventStoreContract } from '../event-store.contract';
import { FakeEventStoreDbServer } from './fake-eventstoredb-server';

const quiet = { warn: () => undefined };

describeEventStoreContract('EventStoreDB adapter on the in-process test server', async () => {
  // Advertising BatchAppend makes the client append the way it does against real servers.
  const server = await FakeEventStoreDbServer.start({ advertiseBatchAppend: true });
  const store = await createEventStoreDbEventStore(server.connectionString, { logger: quiet });
  const otherWriter = await createEventStoreDbEventStore(server.connectionString, { logger: quiet });
  return {
    store,
    otherWriter,
    cleanup: async () => {
      await store.close();
      await otherWriter.close();
      await server.stop();
    },
  };
});

const realServer = process.env.EVENTSTORE_CONNECTION_STRING;

if (realServer) {
  // Every test writes streams under a fresh random prefix, so runs do not see each other.
  // They are left on the server afterwards.
  describeEventStoreContract('EventStoreDB adapter on a real server', async () => {
    const store = await createEventStoreDbEventStore(realServer);
    const otherWriter = await createEventStoreDbEventStore(realServer);
    return {
      store,
      otherWriter,
      cleanup: async () => {
        await store.close();
        await otherWriter.close();
      },
    };
  });
} else {
  describe.skip(
    'EventStoreDB contract suite against a real server skipped: ' + 'EVENTSTORE_CONNECTION_STRING is not set',
    () => {
      it('runs when EVENTSTORE_CONNECTION_STRING points at an EventStoreDB or KurrentDB server', () => undefined);
    },
  );
}
