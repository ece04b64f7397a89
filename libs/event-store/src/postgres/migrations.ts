import { SqlClient } from './sql-client';

export interface Migration {
  /** Unique across the whole database, e.g. "event-store/001-events". Applied in array order. */
  readonly id: string;
  readonly sql: string;
}

/**
 * Applies the migrations not yet recorded, each in its own transaction together with its
 * record. An advisory lock keeps two servers starting at once from racing.
 */
export async function migrate(client: SqlClient, migrations: readonly Migration[]): Promise<void> {
  await client.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  for (const migration of migrations) {
    await client.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('scope-ledger-migrations'))`);
      const done = await tx.query(`SELECT 1 FROM schema_migrations WHERE id = $1`, [migration.id]);
      if (done.rows.length > 0) return;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query(`INSERT INTO schema_migrations (id) VALUES ($1)`, [migration.id]);
    });
  }
}

/** Migrations are plain DDL without functions bodies, so splitting on ";" is enough. */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
