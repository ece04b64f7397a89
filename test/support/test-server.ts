import request from 'supertest';
import type { App } from 'supertest/types';
import { configFromEnv, ServerConfig } from '../../apps/server/src/config';
import { createServer, RunningServer } from '../../apps/server/src/server';
import { createTestDatabase, TestDatabase } from './test-database';

export const ADMIN_KEY = 'sl_test_admin_key_0123456789abcdef';

export interface TestServer {
  server: RunningServer;
  database: TestDatabase;
  http: App;
  /** supertest with the admin key already set. */
  api: {
    get(path: string): request.Test;
    post(path: string, body?: unknown): request.Test;
    patch(path: string, body?: unknown): request.Test;
    delete(path: string): request.Test;
  };
  /** A key with the given role. */
  keyFor(role: 'pm' | 'finance' | 'admin'): Promise<string>;
  /** Base URL when listening (listen: true). */
  baseUrl?: string;
  close(): Promise<void>;
}

/**
 * A whole server on a fresh test schema (PGlite by default, PostgreSQL with
 * TEST_DATABASE=postgres). With listen: true it also binds 127.0.0.1 on a free port.
 */
export async function startTestServer(
  options: { listen?: boolean; config?: Partial<ServerConfig> } = {},
): Promise<TestServer> {
  const database = await createTestDatabase();
  const config: ServerConfig = {
    ...configFromEnv({}),
    port: 0,
    host: '127.0.0.1',
    adminApiKey: ADMIN_KEY,
    dataDir: `/tmp/scope-ledger-test-${database.schema}`,
    // Issuing needs the company's name and address; a test that wants them unset says so.
    mspName: 'Northwind Managed IT',
    mspEmail: 'projects@northwind-it.example',
    // Suites probe many routes with bad keys from one address; the throttle's own suite sets a low limit.
    authFailureLimit: 10_000,
    ...options.config,
  };
  const server = await createServer(config, { sql: database.sql, logger: false }).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  let baseUrl: string | undefined;
  if (options.listen) {
    await server.app.listen(config.port, '127.0.0.1');
    const address = server.app.getHttpServer().address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}`;
  } else {
    await server.app.init();
  }
  const http = server.app.getHttpServer() as App;
  const auth = (test: request.Test) => test.set('Authorization', `Bearer ${ADMIN_KEY}`);
  return {
    server,
    database,
    http,
    baseUrl,
    api: {
      get: (path) => auth(request(http).get(path)),
      post: (path, body) => auth(request(http).post(path)).send(body as object),
      patch: (path, body) => auth(request(http).patch(path)).send(body as object),
      delete: (path) => auth(request(http).delete(path)),
    },
    async keyFor(role) {
      return (await server.apiKeys.create(`${role} tester`, role)).key;
    },
    async close() {
      await server.close();
      await database.drop();
    },
  };
}
