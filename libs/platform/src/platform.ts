import { join } from 'node:path';
import {
  createEventStoreDbEventStore,
  EventStore,
  PgliteSqlClient,
  PgSqlClient,
  PostgresEventStore,
  SqlClient,
} from '@scope-ledger/event-store';
import { EventProcessor, ProcessorLogger, ProjectReadModel } from '@scope-ledger/projections';
import { lockDataFolder } from './data-folder-lock';
import { CatalogueCommands } from './catalogue-commands';
import { CompanyCommands } from './company-commands';
import { ProjectCommands } from './project-commands';
import { StaffCommands } from './staff-commands';
import { TeamCommands } from './team-commands';

export interface PlatformSettings {
  /** Folder for the embedded database and local files (seal certificate). */
  dataDir: string;
  /** PostgreSQL for events and read models; the embedded PGlite when absent. */
  databaseUrl?: string;
  /** Use an existing SQL client instead (tests). */
  sql?: SqlClient;
  /** `esdb://…`: keep events in EventStoreDB / KurrentDB; read models stay in PostgreSQL. */
  eventStoreConnectionString?: string;
  logger?: ProcessorLogger;
}

/** What a server or CLI process runs on: the event store, the command path, the read models and their processor. */
export interface Platform {
  readonly sql: SqlClient;
  readonly store: EventStore;
  readonly commands: ProjectCommands;
  /** Products and licences, in the stream `catalogue`. */
  readonly catalogue: CatalogueCommands;
  /** The company's name, contact, branding and defaults, in the stream `company`. */
  readonly company: CompanyCommands;
  /** Staff users and their roles, in the stream `staff`. */
  readonly staff: StaffCommands;
  /** The people who deliver the work, their time off and reactive work, in the stream `team`. */
  readonly team: TeamCommands;
  readonly processor: EventProcessor;
  readonly readModel: ProjectReadModel;
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
    const esdb = settings.eventStoreConnectionString;
    const store = esdb ? await createEventStoreDbEventStore(esdb) : await PostgresEventStore.create(sql);
    const processor = await EventProcessor.create(store, sql, { logger: settings.logger });
    return {
      sql,
      store,
      commands: new ProjectCommands(store),
      catalogue: new CatalogueCommands(store),
      company: new CompanyCommands(store),
      staff: new StaffCommands(store),
      team: new TeamCommands(store),
      processor,
      readModel: new ProjectReadModel(sql),
      description: esdb ? `events in EventStoreDB, read models in ${description}` : description,
      async close() {
        await processor.stop();
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
