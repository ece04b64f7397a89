import { configFromEnv, ServerConfig } from '../../apps/server/src/config';
import { createServer, RunningServer } from '../../apps/server/src/server';
import { ADMIN_KEY, TestServer } from '../support/test-server';

/**
 * Another server process on the test server's database: its own memory, caches and settings,
 * the same events and keys. (On PGlite a second test database in one file would move the
 * shared connection's search path away from the first server's schema.)
 */
export async function secondServer(
  t: TestServer,
  config: Partial<ServerConfig> = {},
  options: { logger?: boolean } = { logger: false },
): Promise<RunningServer> {
  const settings: ServerConfig = {
    ...configFromEnv({}),
    port: 0,
    host: '127.0.0.1',
    adminApiKey: ADMIN_KEY,
    dataDir: `/tmp/scope-ledger-test-${t.database.schema}-second`,
    ...config,
  };
  const server = await createServer(settings, { sql: await t.database.connectAgain(), ...options });
  await server.app.init();
  return server;
}
