import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteSqlClient, PgSqlClient, quoteIdentifier } from '@scope-ledger/event-store';

/**
 * The databases a run measures on: schemas on the PostgreSQL server, dropped when the run
 * ends, and PGlite data folders in a temporary directory, removed likewise.
 */
export const postgresUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const runId = randomBytes(3).toString('hex');
const schemas = new Set<string>();
const folders = new Set<string>();

export interface BenchSchema {
  readonly schema: string;
  /** A connection string whose sessions use the schema (for clients that take only a URL). */
  readonly url: string;
}

export async function createSchema(label: string): Promise<BenchSchema> {
  const schema = `bench_${runId}_${label}`;
  const admin = new PgSqlClient({ connectionString: postgresUrl, max: 1 });
  try {
    await admin.exec(
      `DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE; CREATE SCHEMA ${quoteIdentifier(schema)}`,
    );
  } finally {
    await admin.close();
  }
  schemas.add(schema);
  return { schema, url: withSearchPath(postgresUrl, schema) };
}

export function pgClient(schema: BenchSchema, max = 10): PgSqlClient {
  return new PgSqlClient({ connectionString: postgresUrl, schema: schema.schema, max });
}

export function withSearchPath(url: string, schema: string): string {
  const separator = url.includes('?') ? '&' : '?';
  return `${url}${separator}options=${encodeURIComponent(`-c search_path=${quoteIdentifier(schema)}`)}`;
}

/**
 * A new, empty PGlite data folder (the embedded default keeps its data in a folder, so do
 * we). Initialising a folder takes seconds; it is done once and copied after that.
 */
export async function pgliteFolder(label: string): Promise<string> {
  const root = join(tmpdir(), `scope-ledger-bench-${runId}`);
  const template = join(root, '_empty');
  if (!existsSync(template)) {
    mkdirSync(root, { recursive: true });
    const empty = await PgliteSqlClient.open(template);
    await empty.close();
  }
  const folder = join(root, label);
  rmSync(folder, { recursive: true, force: true });
  cpSync(template, folder, { recursive: true });
  folders.add(folder);
  return folder;
}

export function openPglite(folder: string): Promise<PgliteSqlClient> {
  return PgliteSqlClient.open(folder);
}

/**
 * Drops what runs killed before they could clean up left behind: their schemas (Emmett creates
 * its functions only when no schema in the database has them yet, so a leftover one breaks the
 * next run's Emmett) and their temporary folders. Run before anything else.
 */
export async function dropLeftovers(): Promise<number> {
  const admin = new PgSqlClient({ connectionString: postgresUrl, max: 1 });
  try {
    const { rows } = await admin.query<{ name: string }>(
      `SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'bench\\_%'`,
    );
    for (const { name } of rows) await admin.exec(`DROP SCHEMA ${quoteIdentifier(name)} CASCADE`);
    for (const entry of readdirSync(tmpdir()))
      if (entry.startsWith('scope-ledger-bench-')) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
    return rows.length;
  } finally {
    await admin.close();
  }
}

export async function dropEverything(): Promise<void> {
  if (schemas.size > 0) {
    const admin = new PgSqlClient({ connectionString: postgresUrl, max: 1 });
    try {
      for (const schema of schemas) await admin.exec(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    } finally {
      await admin.close();
    }
    schemas.clear();
  }
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  rmSync(join(tmpdir(), `scope-ledger-bench-${runId}`), { recursive: true, force: true });
  folders.clear();
}

/** The server settings that decide what an acknowledged write means, as the run found them. */
export async function postgresSettings(): Promise<Record<string, string>> {
  const admin = new PgSqlClient({ connectionString: postgresUrl, max: 1 });
  try {
    const names = [
      'server_version',
      'fsync',
      'synchronous_commit',
      'wal_sync_method',
      'full_page_writes',
      'commit_delay',
      'shared_buffers',
      'checkpoint_timeout',
      'max_wal_size',
      'checkpoint_completion_target',
    ];
    const result: Record<string, string> = {};
    for (const name of names) {
      const { rows } = await admin.query<Record<string, string>>(`SHOW ${name}`);
      result[name] = Object.values(rows[0])[0];
    }
    return result;
  } finally {
    await admin.close();
  }
}
