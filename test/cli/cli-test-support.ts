import { PROJECT_TABLES } from '@scope-ledger/projections';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Command } from 'commander';
import { PgliteSqlClient, SqlClient } from '@scope-ledger/event-store';
import { openPlatform, Platform } from '@scope-ledger/platform';
import { CliContext } from '../../apps/cli/src/cli-context';
import { buildProgram } from '../../apps/cli/src/main';
import { configFromEnv, ServerConfig } from '../../apps/server/src/config';
import { createTestDatabase, testDatabaseKind } from '../support/test-database';

/** Opening PGlite instances takes seconds, many more on a busy machine. */
export const SETUP_TIMEOUT_MS = 120_000;

/**
 * A database of its own. PGlite has one connection whose search_path selects the schema, so
 * two schemas of one PGlite instance cannot be used side by side: on the embedded default
 * each database here is its own in-memory PGlite. On PostgreSQL it is a schema per database.
 */
export interface CliTestDatabase {
  sql: SqlClient;
  drop(): Promise<void>;
}

export async function createSeparateDatabase(): Promise<CliTestDatabase> {
  if (testDatabaseKind === 'postgres') {
    const database = await createTestDatabase();
    return { sql: database.sql, drop: () => database.drop() };
  }
  const sql = await PgliteSqlClient.open(undefined);
  return { sql, drop: () => sql.close() };
}

/**
 * The server settings a test's CLI sees. Its data folder only receives the local seal
 * certificate, created when a demo order is signed.
 */
export const testConfig: ServerConfig = {
  ...configFromEnv({}),
  dataDir: join(tmpdir(), `scope-ledger-cli-${process.pid}`),
};

afterAll(() => rmSync(testConfig.dataDir, { recursive: true, force: true }));

/** The platform a CLI command opens, on a test database. */
export function openTestPlatform(sql: SqlClient): Promise<Platform> {
  return openPlatform({ dataDir: testConfig.dataDir, sql });
}

class TextSink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export interface CliRun {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs the CLI program in this process against a test database, as a person would type it. */
export async function runCli(sql: SqlClient, args: string[]): Promise<CliRun> {
  const stdout = new TextSink();
  const stderr = new TextSink();
  let exitCode = 0;
  const cli: CliContext = {
    config: testConfig,
    openPlatform: () => openTestPlatform(sql),
    stdout,
    stderr,
    progress: () => ({ start: () => undefined, update: () => undefined, stop: () => undefined }),
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  const program = buildProgram(cli);
  // Commander would end the process on a usage error; here it throws instead.
  const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap(everyCommand)];
  for (const command of everyCommand(program)) command.exitOverride();
  await program.parseAsync(['node', 'scope-ledger', ...args]);
  return { stdout: stdout.text, stderr: stderr.text, exitCode };
}

/**
 * The docs of the read-model tables, each table in the order its rows were first written, and
 * the revision each project row reflects. Row numbers (`seq`) are left out: another database
 * numbers the same rows differently.
 */
export async function readModelRows(sql: SqlClient): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const table of [...PROJECT_TABLES, 'portfolio_rows']) {
    const { rows } = await sql.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY project_id, seq`);
    tables[table] = rows.map(({ seq: _seq, ...row }) => ({
      ...row,
      ...(row.revision ? { revision: String(row.revision) } : {}),
    }));
  }
  return tables;
}
