import { Platform } from '@scope-ledger/platform';
import { loadSigningSecret } from '@scope-ledger/platform';
import { ApiKeysService } from '../../apps/server/src/auth/api-keys.service';
import { StaffUsers } from '../../apps/server/src/auth/staff-users.service';
import {
  CliTestDatabase,
  createSeparateDatabase,
  openTestPlatform,
  runCli,
  SETUP_TIMEOUT_MS,
} from './cli-test-support';

describe('users', () => {
  let database: CliTestDatabase;
  let platform: Platform;

  beforeAll(async () => {
    database = await createSeparateDatabase();
    platform = await openTestPlatform(database.sql);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await platform.close();
    await database.drop();
  });

  it('adds a user and prints a one-time link where they choose their password', async () => {
    const run = await runCli(database.sql, [
      'users',
      'add',
      '--name',
      'Priya Raman',
      '--email',
      'Priya@Northwind-IT.example',
      '--role',
      'pm',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Added pm Priya Raman');
    const token = /\/app\/set-password\?token=([\w-]{43})$/m.exec(run.stdout)?.[1];
    expect(token).toBeDefined();

    const users = new StaffUsers(database.sql, platform.staff, await loadSigningSecret(database.sql));
    await users.prepare();
    const priya = await users.findByEmail('priya@northwind-it.example');
    expect(priya).toMatchObject({ name: 'Priya Raman', role: 'pm', active: true });
    expect(priya!.passwordSetAt).toBeUndefined();
    expect((await users.passwordLinkUser(token!))?.userId).toBe(priya!.userId);
    const [added] = await platform.store.readStream('staff');
    expect(added.metadata.actor).toEqual({ kind: 'system', id: 'cli', name: 'Command line' });
  });

  it('refuses an email that is already taken', async () => {
    const run = await runCli(database.sql, [
      'users',
      'add',
      '--name',
      'P. Raman',
      '--email',
      'priya@northwind-it.example',
      '--role',
      'finance',
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('priya@northwind-it.example already belongs to Priya Raman');
  });

  it('creates an API key owned by a user, which acts as them and may not exceed their role', async () => {
    await runCli(database.sql, [
      'users',
      'add',
      '--name',
      'Fran Lee',
      '--email',
      'fran@northwind-it.example',
      '--role',
      'finance',
    ]);
    const refused = await runCli(database.sql, [
      'keys',
      'create',
      '--name',
      'Fran script',
      '--role',
      'pm',
      '--owner',
      'fran@northwind-it.example',
    ]);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain('cannot belong to Fran Lee, who has the finance role');

    const run = await runCli(database.sql, [
      'keys',
      'create',
      '--name',
      'Fran script',
      '--role',
      'finance',
      '--owner',
      'FRAN@northwind-it.example',
    ]);
    expect(run.exitCode).toBe(0);
    const key = /^ +(sl_[A-Za-z0-9_-]{32})$/m.exec(run.stdout)?.[1];
    const users = new StaffUsers(database.sql, platform.staff, await loadSigningSecret(database.sql));
    await users.prepare();
    const fran = await users.findByEmail('fran@northwind-it.example');
    const keys = new ApiKeysService(database.sql);
    expect(await keys.verify(key!)).toMatchObject({ role: 'finance', ownerUserId: fran!.userId });

    const unknown = await runCli(database.sql, [
      'keys',
      'create',
      '--name',
      'Ghost',
      '--role',
      'pm',
      '--owner',
      'nobody@northwind-it.example',
    ]);
    expect(unknown.stderr).toContain('No active staff user has the email nobody@northwind-it.example');
  });
});
