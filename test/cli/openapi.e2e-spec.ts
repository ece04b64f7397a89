import { Logger } from '@nestjs/common';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliTestDatabase, createSeparateDatabase, runCli, SETUP_TIMEOUT_MS } from './cli-test-support';

describe('openapi', () => {
  let database: CliTestDatabase;
  const folder = mkdtempSync(join(tmpdir(), 'scope-ledger-openapi-cli-'));

  beforeAll(async () => {
    database = await createSeparateDatabase();
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    // The command silences the server's start-up notes for the rest of its process.
    Logger.overrideLogger(['log', 'warn', 'error']);
    await database.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it(
    'prints the API document without starting a server, and writes it to a file with --output',
    async () => {
      const printed = await runCli(database.sql, ['openapi']);
      expect(printed.exitCode).toBe(0);
      const document = JSON.parse(printed.stdout);
      expect(document.info.title).toBe('Scope Ledger API');
      expect(document.paths['/api/projects/{id}'].get['x-roles']).toEqual(['admin', 'pm', 'finance']);

      const file = join(folder, 'openapi.json');
      const written = await runCli(database.sql, ['openapi', '--output', file]);
      expect(written.stdout).toBe('');
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(document);
    },
    SETUP_TIMEOUT_MS,
  );
});
