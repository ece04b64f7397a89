import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Command } from 'commander';
import { OpenAPIObject } from '@nestjs/swagger';
import { PgliteSqlClient } from '@scope-ledger/event-store';
import { configFromEnv } from '../../server/src/config';
import { createServer } from '../../server/src/server';
import { CliContext, print } from './cli-context';

/**
 * The server's OpenAPI document, built by the server's own code on a throwaway in-memory database with the
 * default settings: nothing listens, the configured data folder and database are not opened, and the document
 * is the same wherever it is built.
 */
export async function buildOpenApiDocument(): Promise<OpenAPIObject> {
  const dataDir = mkdtempSync(join(tmpdir(), 'scope-ledger-openapi-'));
  const sql = await PgliteSqlClient.open(undefined);
  try {
    const config = { ...configFromEnv({}), dataDir };
    const server = await createServer(config, { sql, logger: false });
    await server.close();
    return server.openApi;
  } finally {
    await sql.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function registerOpenApiCommand(program: Command, cli: CliContext): void {
  program
    .command('openapi')
    .description('print the OpenAPI document of the API (as served at /api/docs-json) without starting a server')
    .option('--output <file>', 'write it to this file instead of standard output')
    .action(async (options: { output?: string }) => {
      // The server's start-up notes would mix into the document on standard output.
      Logger.overrideLogger(false);
      const text = `${JSON.stringify(await buildOpenApiDocument(), null, 2)}\n`;
      if (options.output) writeFileSync(options.output, text);
      else print(cli.stdout, text);
    });
}
