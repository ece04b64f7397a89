import { PGlite, Results, Transaction } from '@electric-sql/pglite';
import { Leadership, SqlClient, SqlQueryable } from './sql-client';
import { quoteIdentifier } from './pg-client';

/**
 * SqlClient over embedded PGlite: one connection, so concurrent callers are serialised.
 * PGlite runs with fsync off and does not flush after a transaction's COMMIT, so each committed
 * transaction is flushed here: an answered command survives the process being killed
 * (test/reliability/crash.e2e-spec.ts), though not a power cut. Use PostgreSQL where that matters.
 */
export class PgliteSqlClient implements SqlClient {
  readonly dialect = 'pglite' as const;

  private constructor(
    private readonly db: PGlite,
    private readonly ownsDb: boolean,
  ) {}

  static async open(dataDir: string | undefined, schema?: string): Promise<PgliteSqlClient> {
    return new PgliteSqlClient(await PGlite.create(dataDir ? { dataDir } : {}), true).useSchema(schema);
  }

  /** Shares an existing instance (tests reuse one PGlite with a schema per test). */
  static async onInstance(db: PGlite, schema?: string): Promise<PgliteSqlClient> {
    return new PgliteSqlClient(db, false).useSchema(schema);
  }

  private async useSchema(schema: string | undefined): Promise<this> {
    const name = schema && quoteIdentifier(schema);
    if (name) await this.db.exec(`CREATE SCHEMA IF NOT EXISTS ${name}; SET search_path TO ${name}`);
    return this;
  }

  async query<Row>(sql: string, params: readonly unknown[] = []) {
    return toResult(await this.db.query<Row>(sql, params as unknown[]));
  }

  async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const result = await this.db.transaction((tx: Transaction) =>
      fn({ query: async (sql, params = []) => toResult(await tx.query(sql, params as unknown[])) }),
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

function toResult<Row>(result: Results<Row>) {
  return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
}
