import { createHash } from 'node:crypto';
import { Client, Pool, PoolClient, PoolConfig } from 'pg';
import { Leadership, SqlClient, SqlQueryable } from './sql-client';

export interface PgClientOptions {
  readonly connectionString: string;
  readonly schema?: string;
  readonly max?: number;
}

// A lost connection emits 'error', which would end the process unheard; the query on it fails, and callers act on that.
const ignoreConnectionError = () => undefined;

/** SqlClient over a `pg` pool. Every connection uses the configured schema. */
export class PgSqlClient implements SqlClient {
  readonly dialect = 'postgres' as const;
  private readonly config: PoolConfig;
  private readonly pool: Pool;
  /** Connections holding a leadership lock, ended by close(). */
  private readonly leaders = new Set<Client>();

  constructor(options: PgClientOptions) {
    this.config = { connectionString: options.connectionString, max: options.max ?? 10 };
    if (options.schema) this.config.options = `-c search_path=${quoteIdentifier(options.schema)}`;
    this.pool = new Pool(this.config);
    this.pool.on('error', ignoreConnectionError);
    // The pool listens on its idle connections only; this listener stays while one is checked out too.
    this.pool.on('connect', (client) => client.on('error', ignoreConnectionError));
  }

  query<Row>(sql: string, params: readonly unknown[] = []) {
    return queryOn<Row>(this.pool, sql, params);
  }

  async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn({ query: (sql, params = []) => queryOn(client, sql, params) });
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      // A connection that cannot even roll back is broken: the pool drops it rather than lend it again.
      const broken = await client.query('ROLLBACK').then(
        () => undefined,
        (rollbackError: Error) => rollbackError,
      );
      client.release(broken);
      throw error;
    }
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  /** The lock lives on a connection of its own, outside the pool, for as long as it is held. */
  async tryLeadership(name: string): Promise<Leadership | undefined> {
    // Keep-alive probes notice a connection that died silently (a network partition): it then ends, and `lost` settles.
    const client = new Client({ ...this.config, keepAlive: true });
    let signalLost!: () => void;
    const lost = new Promise<void>((resolve) => (signalLost = resolve));
    client.on('error', signalLost);
    client.on('end', signalLost);
    try {
      await client.connect();
      const { rows } = await client.query<{ acquired: boolean }>(
        `SELECT pg_try_advisory_lock(hashtext($1)) AS acquired`,
        [name],
      );
      if (!rows[0].acquired) {
        await client.end();
        return undefined;
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.leaders.add(client);
    let released = false;
    return {
      lost,
      release: async () => {
        if (released) return;
        released = true;
        this.leaders.delete(client);
        // Ending the session releases its locks too; unlocking first says so at once.
        await client.query(`SELECT pg_advisory_unlock(hashtext($1))`, [name]).catch(() => undefined);
        await client.end().catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.leaders].map((client) => client.end().catch(() => undefined)));
    this.leaders.clear();
    await this.pool.end();
  }
}

/** Statements with parameters are prepared once per connection, under a name derived from their text. */
async function queryOn<Row>(on: Pool | PoolClient, sql: string, params: readonly unknown[]) {
  const query = params.length > 0 ? { name: statementName(sql), text: sql, values: [...params] } : sql;
  const result = await on.query(query);
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
}

const statementNames = new Map<string, string>();

function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) statementNames.set(sql, (name = `sl_${createHash('sha256').update(sql).digest('hex').slice(0, 40)}`));
  return name;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
