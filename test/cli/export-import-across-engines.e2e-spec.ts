import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { PgliteSqlClient, PgSqlClient, quoteIdentifier, SqlClient } from '@scope-ledger/event-store';
import { Platform, verifyAuditTrail } from '@scope-ledger/platform';
import { seedDemo } from '../../apps/cli/src/demo.command';
import { exportEvents, ExportedEvent, importEvents } from '../../apps/cli/src/events.command';
import { rebuildProjections } from '../../apps/cli/src/projections.command';
import { postgresUrl, testDatabaseKind } from '../support/test-database';
import { openTestPlatform, readModelRows, SETUP_TIMEOUT_MS, testConfig } from './cli-test-support';

/** Needs the PostgreSQL server, so it runs only in the `postgres` project. */
const describeOnPostgres = testDatabaseKind === 'postgres' ? describe : describe.skip;

describeOnPostgres(
  'events export and import across engines: PGlite → PostgreSQL → PGlite ' +
    '(needs TEST_DATABASE=postgres, skipped otherwise)',
  () => {
    const schema = `cli_${Date.now().toString(36)}`;
    let folder: string;
    let pglite: PgliteSqlClient;
    let postgres: PgSqlClient;
    let pgliteAgain: PgliteSqlClient;
    const platforms: Platform[] = [];

    async function platformOn(sql: SqlClient): Promise<Platform> {
      const platform = await openTestPlatform(sql);
      platforms.push(platform);
      return platform;
    }

    async function exportTo(platform: Platform, name: string): Promise<string> {
      const file = join(folder, name);
      const out = createWriteStream(file);
      await exportEvents(platform, out);
      out.end();
      await finished(out);
      return file;
    }

    const eventsIn = (file: string) =>
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => {
          // recordedAt is when the importing store wrote the event; everything else must survive.
          const { recordedAt: _recordedAt, ...event } = JSON.parse(line) as ExportedEvent;
          return event;
        });

    beforeAll(async () => {
      folder = mkdtempSync(join(tmpdir(), 'scope-ledger-engines-'));
      pglite = await PgliteSqlClient.open(undefined);
      pgliteAgain = await PgliteSqlClient.open(undefined);
      postgres = new PgSqlClient({ connectionString: postgresUrl, schema });
      await postgres.exec(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
    }, SETUP_TIMEOUT_MS);

    afterAll(async () => {
      for (const platform of platforms) await platform.close();
      await postgres.exec(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
      await postgres.close();
      await pglite.close();
      await pgliteAgain.close();
      rmSync(folder, { recursive: true, force: true });
    });

    it(
      'carries every event from PGlite to PostgreSQL and back, with identical read models on each',
      async () => {
        const onPglite = await platformOn(pglite);
        await seedDemo(onPglite, { config: testConfig, today: '2026-03-20' });
        const fromPglite = await exportTo(onPglite, 'from-pglite.ndjson');

        const onPostgres = await platformOn(postgres);
        await importEvents(onPostgres, fromPglite);
        const fromPostgres = await exportTo(onPostgres, 'from-postgres.ndjson');
        expect(eventsIn(fromPostgres)).toEqual(eventsIn(fromPglite));

        const backOnPglite = await platformOn(pgliteAgain);
        await importEvents(backOnPglite, fromPostgres);
        expect(eventsIn(await exportTo(backOnPglite, 'back-on-pglite.ndjson'))).toEqual(eventsIn(fromPglite));

        for (const platform of [onPglite, onPostgres, backOnPglite]) {
          await rebuildProjections(platform);
          expect(await verifyAuditTrail(platform)).toMatchObject({ streams: 5, catalogue: true, broken: [] });
        }
        const expected = await readModelRows(pglite);
        // The network refresh's two orders and the cloud migration's credit order.
        expect(expected.change_orders.filter((row) => (row as { status: string }).status === 'signed')).toHaveLength(3);
        expect(await readModelRows(postgres)).toEqual(expected);
        expect(await readModelRows(pgliteAgain)).toEqual(expected);
      },
      SETUP_TIMEOUT_MS,
    );
  },
);
