import { SqlClient } from './sql-client';

export interface Migration {
  /** Unique across the whole database, e.g. "event-store/001-events". Applied in array order. */
  readonly id: string;
  readonly sql: string;
}

/** Applies each migration not yet recorded in one transaction with its record, under an advisory lock. */
export async function migrate(client: SqlClient, migrations: readonly Migration[]): Promise<void> {
  await client.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  for (const migration of migrations) {
    await client.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('scope-ledger-migrations'))`);
      const done = await tx.query(`SELECT 1 FROM schema_migrations WHERE id = $1`, [migration.id]);
      if (done.rows.length > 0) return;
      // Migrations are plain DDL without function bodies, so splitting on ";" is enough.
      const statements = migration.sql.split(/;\s*(?:\n|$)/).map((statement) => statement.trim());
      for (const statement of statements.filter(Boolean)) await tx.query(statement);
      await tx.query(`INSERT INTO schema_migrations (id) VALUES ($1)`, [migration.id]);
    });
  }
}
