import { projectStreamId, STAFF_STREAM_ID } from '@scope-ledger/domain';
import { Platform, verifyAuditTrail } from '@scope-ledger/platform';
import { DemoProject, seedDemo } from '../../apps/cli/src/demo.command';
import {
  CliTestDatabase,
  createSeparateDatabase,
  openTestPlatform,
  runCli,
  SETUP_TIMEOUT_MS,
  testConfig,
} from './cli-test-support';

describe('audit verify', () => {
  let database: CliTestDatabase;
  let platform: Platform;
  let projects: DemoProject[];

  beforeAll(async () => {
    database = await createSeparateDatabase();
    platform = await openTestPlatform(database.sql);
    projects = await seedDemo(platform, { config: testConfig, today: '2026-03-20' });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await platform.close();
    await database.drop();
  });

  it("passes on untouched streams, the product catalogue's included, and exits with 0", async () => {
    expect(await verifyAuditTrail(platform)).toMatchObject({ streams: 5, catalogue: true, broken: [] });
    const run = await runCli(database.sql, ['audit', 'verify']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(
      /^Verified 3 project streams, the product catalogue and the team \(\d+ events\): every hash chain is intact\.\n$/,
    );
  });

  describe('after a stored event was altered by hand', () => {
    let tampered: DemoProject;
    let forgedRevision: bigint;

    beforeAll(async () => {
      tampered = projects[0];
      const streamId = projectStreamId(tampered.id);
      const logged = (await platform.store.readStream(streamId)).find((e) => e.type === 'ChangeRequestLogged')!;
      forgedRevision = logged.revision;
      await database.sql.query(
        `UPDATE events SET data = jsonb_set(data, '{title}', '"forged"') WHERE stream_id = $1 AND stream_revision = $2`,
        [streamId, forgedRevision.toString()],
      );
    });

    it('reports the stream with the first broken revision and why', async () => {
      const report = await verifyAuditTrail(platform);
      expect(report.streams).toBe(5);
      expect(report.broken).toHaveLength(1);
      expect(report.broken[0]).toMatchObject({
        streamId: projectStreamId(tampered.id),
        valid: false,
        firstBreak: {
          revision: forgedRevision,
          type: 'ChangeRequestLogged',
          reason: 'the event content does not match its hash',
        },
      });
    });

    it('prints the broken stream and exits with 1', async () => {
      const run = await runCli(database.sql, ['audit', 'verify']);
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toContain(
        `BROKEN ${projectStreamId(tampered.id)} at revision ${forgedRevision} (ChangeRequestLogged, event `,
      );
      expect(run.stdout).toContain('Verified 3 project streams');
      expect(run.stdout).toContain(': 1 broken.');
    });

    it('still passes for one untouched project checked on its own', async () => {
      const untouched = projects[1];
      const run = await runCli(database.sql, ['audit', 'verify', untouched.id]);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toMatch(/^Verified 1 project stream \(\d+ events\): every hash chain is intact\./);
    });

    it('fails for the altered project checked on its own', async () => {
      const run = await runCli(database.sql, ['audit', 'verify', tampered.id]);
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toContain(`at revision ${forgedRevision}`);
    });
  });

  it("checks every other stream too, such as the staff users'", async () => {
    await platform.staff.execute(
      {
        type: 'CreateOwner',
        now: '2026-03-20T09:00:00.000Z',
        userId: '00000000-0000-4000-8000-000000000001',
        name: 'Ana Owner',
        email: 'ana@northwind-it.example',
      },
      { actor: { kind: 'system', id: 'setup', name: 'Setup page' } },
    );
    const report = await verifyAuditTrail(platform);
    expect(report).toMatchObject({ streams: 6, catalogue: true, others: 2 });
    expect(report.results.find((r) => r.streamId === STAFF_STREAM_ID)).toMatchObject({ valid: true, events: 1 });
    const run = await runCli(database.sql, ['audit', 'verify']);
    expect(run.stdout).toContain('Verified 3 project streams, the product catalogue, the team and the staff users (');
  });

  it('says so when the project does not exist', async () => {
    await expect(verifyAuditTrail(platform, '00000000-0000-4000-8000-000000000000')).rejects.toThrow(
      'No project 00000000-0000-4000-8000-000000000000 in the event store',
    );
  });
});
