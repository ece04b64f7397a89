import { Pool, PoolClient, PoolConfig } from 'pg';
import { SqlClient, SqlQueryable } from './sql-client';

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
  };
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
