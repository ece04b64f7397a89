/**
 * The small slice of a PostgreSQL connection that the event store and the projections
 * need. Implemented over a `pg` pool and over embedded PGlite, so both run the same SQL.
 */
export interface SqlQueryable {
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<{ rows: Row[]; rowCount: number }>;
  /**
   * Runs a statement the server keeps prepared under `name` (parsed and planned once per
   * connection), for statements on the hottest paths and big ones run many times. Every output
   * column must be text (cast with ::text): values come back as the server sends them. Every
   * client has it; inside a transaction only where the connection can (a pg connection).
   */
  queryPrepared?<Row = Record<string, string | null>>(
    name: string,
    sql: string,
    params: readonly unknown[],
  ): Promise<{ rows: Row[] }>;
}

export interface SqlClient extends SqlQueryable {
  readonly dialect: 'postgres' | 'pglite';
  queryPrepared<Row = Record<string, string | null>>(
    name: string,
    sql: string,
    params: readonly unknown[],
  ): Promise<{ rows: Row[] }>;
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

/**
 * A statement run prepared where the client can (see queryPrepared), and as a plain query
 * where it cannot (a transaction on PGlite). For statements that return no rows, or only text.
 */
export function queryKept(
  sql: SqlQueryable,
  name: string,
  text: string,
  params: readonly unknown[],
): Promise<{ rows: unknown[] }> {
  return sql.queryPrepared ? sql.queryPrepared(name, text, params) : sql.query(text, params);
}
