/**
 * The small slice of a PostgreSQL connection that the event store and the projections
 * need. Implemented over a `pg` pool and over embedded PGlite, so both run the same SQL.
 */
export interface SqlQueryable {
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<{ rows: Row[]; rowCount: number }>;
}

export interface SqlClient extends SqlQueryable {
  readonly dialect: 'postgres' | 'pglite';
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /**
   * Tries to become the one holder of a named lock for as long as this process lives
   * (a PostgreSQL session advisory lock on a dedicated connection). Resolves undefined when
   * another process holds it. `lost` settles if the connection, and with it the lock, goes.
   */
  tryLeadership(name: string): Promise<Leadership | undefined>;
  /** Runs several statements separated by semicolons (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export interface Leadership {
  readonly lost: Promise<void>;
  release(): Promise<void>;
}
