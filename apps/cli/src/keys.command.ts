import { Command, Option } from 'commander';
import { DomainError, findStaffUserByEmail, invalid, notFound, roleCovers } from '@scope-ledger/domain';
import { Platform } from '@scope-ledger/platform';
import { ApiKeysService, STAFF_ROLES, StaffKey, StaffRole } from '../../server/src/auth/api-keys.service';
import { CliContext, print, withPlatform } from './cli-context';
import { formatTable } from './output';

async function apiKeys(platform: Platform): Promise<ApiKeysService> {
  const keys = new ApiKeysService(platform.sql);
  await keys.prepare();
  return keys;
}

/** A key owned by the staff user with `ownerEmail` acts as them; its role may not exceed theirs. */
export async function createKey(platform: Platform, name: string, role: StaffRole, ownerEmail?: string) {
  if (!name.trim()) throw new Error('Give the key a name, such as the person who will use it');
  if (ownerEmail === undefined) return (await apiKeys(platform)).create(name.trim(), role);
  const owner = findStaffUserByEmail((await platform.staff.load()).state, ownerEmail);
  if (!owner?.active) throw notFound(`No active staff user has the email ${ownerEmail}`);
  if (!roleCovers(owner.role, role))
    throw invalid(`A ${role} key cannot belong to ${owner.name}, who has the ${owner.role} role`, 'role');
  return (await apiKeys(platform)).create(name.trim(), role, undefined, owner.userId);
}

export async function listKeys(platform: Platform): Promise<StaffKey[]> {
  return (await apiKeys(platform)).list();
}

/** False when no active key has this id (unknown or already revoked). */
export async function revokeKey(platform: Platform, id: string): Promise<boolean> {
  return (await apiKeys(platform)).revoke(id);
}

function formatKeys(keys: readonly StaffKey[]): string {
  if (keys.length === 0) return 'No API keys yet.\n';
  return formatTable(
    ['ID', 'NAME', 'ROLE', 'CREATED', 'REVOKED'],
    keys.map((k) => [k.id, k.name, k.role, utcMinute(k.createdAt), k.revokedAt ? utcMinute(k.revokedAt) : '-']),
  );
}

/** "2026-11-26 01:54 UTC" from the database's timestamp text. */
function utcMinute(timestamp: string): string {
  const time = new Date(timestamp);
  return Number.isNaN(time.getTime()) ? timestamp : `${time.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function registerKeysCommands(program: Command, cli: CliContext): void {
  const keys = program.command('keys').description('staff API keys (stored only as SHA-256 hashes)');

  keys
    .command('create')
    .description('create a key and print it once')
    .requiredOption('--name <name>', 'who or what uses the key')
    .addOption(new Option('--role <role>', 'what the key may do').choices(STAFF_ROLES).makeOptionMandatory())
    .option('--owner <email>', 'the staff user the key acts as (its role may not exceed theirs)')
    .action(async (options: { name: string; role: StaffRole; owner?: string }) => {
      const created = await withPlatform(cli, (platform) =>
        createKey(platform, options.name, options.role, options.owner),
      ).catch((error: unknown) => {
        // An unknown owner or a role above theirs is a message, not a crash.
        if (!(error instanceof DomainError)) throw error;
        print(cli.stderr, `Not created: ${error.message}`);
        cli.setExitCode(1);
      });
      if (!created) return;
      print(
        cli.stdout,
        `Created ${created.role} key "${created.name}" (id ${created.id}).\n` +
          `Store it now, it is shown only once:\n\n  ${created.key}\n`,
      );
    });

  keys
    .command('list')
    .description('list keys with their role and whether they are revoked')
    .action(async () => {
      print(cli.stdout, formatKeys(await withPlatform(cli, listKeys)));
    });

  keys
    .command('revoke')
    .description('revoke a key: requests with it are refused from now on')
    .argument('<id>', 'key id, as shown by "keys list"')
    .action(async (id: string) => {
      if (await withPlatform(cli, (platform) => revokeKey(platform, id))) {
        print(cli.stdout, `Revoked key ${id}.`);
      } else {
        print(cli.stderr, `No active key with id ${id} (unknown or already revoked).`);
        cli.setExitCode(1);
      }
    });
}
