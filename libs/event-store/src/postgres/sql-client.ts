/** What the event store and projections need of PostgreSQL: a `pg` pool or embedded PGlite run the same SQL. */
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
   * Takes a named session advisory lock on a connection of its own, or resolves undefined when
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
