import { Platform } from '@scope-ledger/platform';
import { ApiKeysService } from '../../apps/server/src/auth/api-keys.service';
import { createKey, listKeys, revokeKey } from '../../apps/cli/src/keys.command';
import {
  CliTestDatabase,
  createSeparateDatabase,
  openTestPlatform,
  runCli,
  SETUP_TIMEOUT_MS,
} from './cli-test-support';

describe('keys', () => {
  let database: CliTestDatabase;
  let platform: Platform;
  let keys: ApiKeysService;

  beforeAll(async () => {
    database = await createSeparateDatabase();
    platform = await openTestPlatform(database.sql);
    keys = new ApiKeysService(database.sql);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await platform.close();
    await database.drop();
  });

  it('creates a key that the server accepts with its role, printing it once', async () => {
    const run = await runCli(database.sql, ['keys', 'create', '--name', 'Priya (PM)', '--role', 'pm']);
    expect(run.exitCode).toBe(0);
    const key = /^ +(sl_[A-Za-z0-9_-]{32})$/m.exec(run.stdout)?.[1];
    expect(key).toBeDefined();
    expect(run.stdout).toContain('shown only once');
    expect(await keys.verify(key!)).toMatchObject({ name: 'Priya (PM)', role: 'pm', revokedAt: null });

    const list = await runCli(database.sql, ['keys', 'list']);
    expect(list.stdout).toMatch(/^ID\s+NAME\s+ROLE\s+CREATED\s+REVOKED\n/);
    expect(list.stdout).toMatch(/Priya \(PM\)\s+pm\s/);
    expect(list.stdout).not.toContain(key!);
  });

  it('revokes a key, after which the server refuses it', async () => {
    const created = await createKey(platform, 'Finance desk', 'finance');
    const run = await runCli(database.sql, ['keys', 'revoke', created.id]);
    expect(run).toMatchObject({ exitCode: 0, stdout: `Revoked key ${created.id}.\n` });
    expect(await keys.verify(created.key)).toBeUndefined();
    expect((await listKeys(platform)).find((k) => k.id === created.id)?.revokedAt).not.toBeNull();
  });

  it('exits with 1 when the key is unknown or already revoked', async () => {
    const created = await createKey(platform, 'Temporary', 'admin');
    expect(await revokeKey(platform, created.id)).toBe(true);
    const run = await runCli(database.sql, ['keys', 'revoke', created.id]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('No active key with id');
  });

  it('accepts only the known roles', async () => {
    await expect(
      runCli(database.sql, ['keys', 'create', '--name', 'Someone', '--role', 'owner']),
    ).rejects.toMatchObject({
      code: 'commander.invalidArgument',
      message: expect.stringContaining('Allowed choices are admin, pm, finance'),
    });
  });
});
