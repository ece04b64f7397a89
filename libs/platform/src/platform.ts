import { join } from 'node:path';
import {
  createEventStoreDbEventStore,
  EventStore,
  PgliteSqlClient,
  PgSqlClient,
  PostgresEventStore,
  SqlClient,
} from '@scope-ledger/event-store';
import { ProjectionLogger, ProjectionRunner, ReadModelQueries } from '@scope-ledger/projections';
import { lockDataFolder } from './data-folder-lock';

export interface PlatformSettings {
  /** Folder for the embedded database and local files (seal certificate). */
  dataDir: string;
  /** PostgreSQL for events and read models; the embedded PGlite when absent. */
  databaseUrl?: string;
  /** Use an existing SQL client instead (tests). */
  sql?: SqlClient;
  /** `esdb://…`: keep events in EventStoreDB / KurrentDB; read models stay in PostgreSQL. */
  eventStoreConnectionString?: string;
  /** Or any other event store (tests). */
  eventStore?: (sql: SqlClient) => Promise<EventStore>;
  logger?: ProjectionLogger;
  pollIntervalMs?: number;
}

/** The storage a server or CLI process runs on: event store, read models and their runner. */
export interface Platform {
  readonly sql: SqlClient;
  readonly store: EventStore;
  readonly runner: ProjectionRunner;
  readonly queries: ReadModelQueries;
  readonly description: string;
  close(): Promise<void>;
}

export async function openPlatform(settings: PlatformSettings): Promise<Platform> {
  let unlock: (() => Promise<void>) | undefined;
  let sql: SqlClient;
  let description: string;
  if (settings.sql) {
    sql = settings.sql;
    description = `${sql.dialect} (provided)`;
  } else if (settings.databaseUrl) {
    sql = new PgSqlClient({ connectionString: settings.databaseUrl });
    await sql.query('SELECT 1').catch((error: Error) => {
      throw new Error(`Cannot reach PostgreSQL at DATABASE_URL: ${error.message}`);
    });
    description = 'PostgreSQL';
  } else {
    unlock = await lockDataFolder(settings.dataDir);
    sql = await PgliteSqlClient.open(join(settings.dataDir, 'pglite'));
    description = `embedded PGlite in ${settings.dataDir}`;
  }
  try {
    const external =
      settings.eventStore ??
      (settings.eventStoreConnectionString
        ? () => createEventStoreDbEventStore(settings.eventStoreConnectionString!)
        : undefined);
    const store = external
      ? await external(sql)
      : await PostgresEventStore.create(sql, { pollIntervalMs: settings.pollIntervalMs });
    await ProjectionRunner.prepare(sql);
    const runner = new ProjectionRunner(store, sql, settings.logger);
    return {
      sql,
      store,
      runner,
      queries: new ReadModelQueries(sql),
      description: external ? `events in EventStoreDB, read models in ${description}` : description,
      async close() {
        await runner.stop();
        await store.close();
        if (!settings.sql) await sql.close();
        await unlock?.();
      },
    };
  } catch (error) {
    if (!settings.sql) await sql.close().catch(() => undefined);
    await unlock?.();
    throw error;
  }
}
