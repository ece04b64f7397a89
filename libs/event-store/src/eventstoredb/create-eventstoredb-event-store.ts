import { EventStoreDBClient } from '@eventstore/db-client';
import { EventStoreDbEventStore, type EventStoreDbEventStoreOptions } from './eventstoredb-event-store';

export interface ConnectOptions extends EventStoreDbEventStoreOptions {
  /** How long the first read may take before the server counts as unreachable. */
  readonly connectTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** Connects and proves the server answers: the client connects lazily, so a wrong address fails the first command. */
export async function createEventStoreDbEventStore(
  connectionString: string,
  options: ConnectOptions = {},
): Promise<EventStoreDbEventStore> {
  const client = EventStoreDBClient.connectionString(connectionString);
  const store = new EventStoreDbEventStore(client, options);
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([store.headPosition(), timeout]);
    return store;
  } catch (error) {
    await client.dispose().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    // Connection strings may carry a user and password; error messages must not.
    const address = connectionString.replace(/\/\/[^@/]*@/, '//');
    throw new Error(`EventStoreDB at ${address} is unreachable or refused a first read: ${reason}`);
  } finally {
    clearTimeout(timer);
  }
}
