import { PGlite, Transaction } from '@electric-sql/pglite';
import { Leadership, SqlClient, SqlQueryable } from './sql-client';
import { quoteIdentifier } from './pg-client';

/**
 * SqlClient over embedded PGlite. PGlite has one connection; it queues queries and runs
 * transactions exclusively, so concurrent callers are serialised rather than interleaved.
 *
 * Durability: PGlite writes its files through the operating system after each statement
 * outside a transaction but not after a transaction's COMMIT, so we flush explicitly after
 * every committed transaction. (On a data folder PGlite writes straight to the files and the
 * flush finds nothing left to do; it matters for the other PGlite file systems.)
 *
 * What an acknowledged write means on the embedded default: PGlite runs PostgreSQL with
 * fsync = off, and writes the commit's WAL record with write() before the query returns. So
 * an answered command survives the process being killed at any moment (SIGKILL, OOM killer,
 * a crash: test/reliability/crash.e2e-spec.ts) but may be lost if the machine itself loses
 * power or its kernel crashes before the OS writes its cache out. Use PostgreSQL
 * (DATABASE_URL) where that matters.
 */
export class PgliteSqlClient implements SqlClient {
  readonly dialect = 'pglite' as const;

  private constructor(
    private readonly db: PGlite,
    private readonly ownsDb: boolean,
  ) {}

  static async open(dataDir: string | undefined, schema?: string): Promise<PgliteSqlClient> {
    const db = await PGlite.create(dataDir ? { dataDir } : {});
    const client = new PgliteSqlClient(db, true);
    if (schema) await client.useSchema(schema);
    return client;
  }

  /** Shares an existing instance (tests reuse one PGlite with a schema per test). */
  static async onInstance(db: PGlite, schema?: string): Promise<PgliteSqlClient> {
    const client = new PgliteSqlClient(db, false);
    if (schema) await client.useSchema(schema);
    return client;
  }

  private async useSchema(schema: string): Promise<void> {
    await this.db.exec(
      `CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}; SET search_path TO ${quoteIdentifier(schema)}`,
    );
  }

  async query<Row>(sql: string, params: readonly unknown[] = []) {
    const result = await this.db.query<Row>(sql, params as unknown[]);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  }

  async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const result = await this.db.transaction(async (tx: Transaction) =>
      fn({
        async query<Row>(sql: string, params: readonly unknown[] = []) {
          const r = await tx.query<Row>(sql, params as unknown[]);
          return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
        },
      }),
    );
    await this.db.syncToFs();
    return result;
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  /** One process owns an embedded data folder (it is locked), so it always leads. */
  async tryLeadership(): Promise<Leadership | undefined> {
    return { lost: new Promise<void>(() => undefined), release: async () => undefined };
  }

  async close(): Promise<void> {
    if (this.ownsDb) await this.db.close();
  }
}
