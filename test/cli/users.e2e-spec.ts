import { Platform } from '@scope-ledger/platform';
import { loadSigningSecret } from '@scope-ledger/platform';
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
});
