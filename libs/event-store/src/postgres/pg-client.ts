import { Pool, PoolClient, PoolConfig } from 'pg';
import { Leadership, SqlClient, SqlQueryable } from './sql-client';

export interface PgClientOptions {
  readonly connectionString: string;
  readonly schema?: string;
  readonly max?: number;
}

/** SqlClient over a `pg` pool. Every connection uses the configured schema. */
export class PgSqlClient implements SqlClient {
  readonly dialect = 'postgres' as const;
  private readonly pool: Pool;

  constructor(options: PgClientOptions) {
    const config: PoolConfig = { connectionString: options.connectionString, max: options.max ?? 10 };
    if (options.schema) config.options = `-c search_path=${quoteIdentifier(options.schema)}`;
    this.pool = new Pool(config);
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async query<Row>(sql: string, params: readonly unknown[] = []) {
    const result = await this.pool.query(sql, params as unknown[]);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  }

  async queryPrepared<Row = Record<string, string | null>>(name: string, sql: string, params: readonly unknown[]) {
    const result = await this.pool.query({ name, text: sql, values: params as unknown[] });
    return { rows: result.rows as Row[] };
  }

  async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(wrap(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async tryLeadership(name: string): Promise<Leadership | undefined> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ acquired: boolean }>(
        `SELECT pg_try_advisory_lock(hashtext($1)) AS acquired`,
        [name],
      );
      if (!rows[0].acquired) {
        client.release();
        return undefined;
      }
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    let released = false;
    let signalLost!: () => void;
    const lost = new Promise<void>((resolve) => (signalLost = resolve));
    client.once('error', signalLost);
    client.once('end', signalLost);
    // A connection that silently dies would keep us believing we lead: probe it.
    const probe = setInterval(() => {
      client.query('SELECT 1').catch(() => client.emit('error', new Error('leadership connection lost')));
    }, 5_000);
    probe.unref();
    void lost.then(() => clearInterval(probe));
    return {
      lost,
      async release() {
        if (released) return;
        released = true;
        clearInterval(probe);
        await client.query(`SELECT pg_advisory_unlock(hashtext($1))`, [name]).catch(() => undefined);
        // The connection goes back to the pool: its next holder must not inherit these listeners.
        client.off('error', signalLost);
        client.off('end', signalLost);
        client.release();
      },
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function wrap(client: PoolClient): SqlQueryable {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, params as unknown[]);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    },
    async queryPrepared<Row>(name: string, sql: string, params: readonly unknown[]) {
      const result = await client.query({ name, text: sql, values: params as unknown[] });
      return { rows: result.rows as Row[] };
    },
  };
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
