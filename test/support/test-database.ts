import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { PgliteSqlClient, PgSqlClient, quoteIdentifier, SqlClient } from '@scope-ledger/event-store';

/**
 * Test databases. On the embedded default one PGlite instance serves a whole test file
 * (a new one takes seconds to initialise) and every test gets its own schema. With
 * TEST_DATABASE=postgres the same tests run on the PostgreSQL server, a schema per test.
 */
export const testDatabaseKind: 'pglite' | 'postgres' = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'pglite';

export const postgresUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let sharedPglite: Promise<PGlite> | undefined;

function pglite(): Promise<PGlite> {
  sharedPglite ??= PGlite.create();
  return sharedPglite;
}

// Jest loads this module once per test file: close the file's PGlite when the file is done.
afterAll(async () => {
  if (sharedPglite) await (await sharedPglite).close();
  sharedPglite = undefined;
});

export interface TestDatabase {
  readonly sql: SqlClient;
  readonly schema: string;
  /** Opens another client on the same schema (a second server process would). */
  connectAgain(): Promise<SqlClient>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  if (testDatabaseKind === 'postgres') {
    const sql = new PgSqlClient({ connectionString: postgresUrl, schema, max: 12 });
    await sql.exec(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
    const others: SqlClient[] = [];
    return {
      sql,
      schema,
      async connectAgain() {
        const other = new PgSqlClient({ connectionString: postgresUrl, schema, max: 12 });
        others.push(other);
        return other;
      },
      async drop() {
        for (const other of others) await other.close();
        await sql.exec(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
        await sql.close();
      },
    };
  }
  const db = await pglite();
  const sql = await PgliteSqlClient.onInstance(db, schema);
  return {
    sql,
    schema,
    async connectAgain() {
      return PgliteSqlClient.onInstance(db, schema);
    },
    async drop() {
      await db.exec(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE; SET search_path TO public`);
    },
  };
}
