import { Command, Option } from 'commander';
import { DomainError, STAFF_ROLES, StaffRole } from '@scope-ledger/domain';
import { loadSigningSecret, Platform } from '@scope-ledger/platform';
import { StaffUsers } from '../../server/src/auth/staff-users.service';
import { CliContext, print, withPlatform } from './cli-context';

/** Events written from the command line name it as their actor: there is no signed-in user. */
const CLI_ACTOR = { kind: 'system' as const, id: 'cli', name: 'Command line' };

async function staffUsers(cli: CliContext, platform: Platform): Promise<StaffUsers> {
  const users = new StaffUsers(
    platform.sql,
    platform.staff,
    await loadSigningSecret(platform.sql, cli.config.signingSecret),
  );
  await users.prepare();
  return users;
}

/** Everything on standard input, without its final line break: a password piped in. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/**
 * Adds a user; with a password it is set at once, otherwise the answer carries a one-time link where the user
 * chooses one.
 */
export async function addUser(
  cli: CliContext,
  platform: Platform,
  input: { name: string; email: string; role: StaffRole; password?: string },
): Promise<{ userId: string; passwordLink?: string }> {
  const users = await staffUsers(cli, platform);
  const context = { actor: CLI_ACTOR };
  const user = await users.add({ name: input.name, email: input.email, role: input.role }, context);
  if (input.password !== undefined) {
    await users.setPassword(user.userId, input.password, context);
    return { userId: user.userId };
  }
  const token = await users.newPasswordLink(user.userId);
  return { userId: user.userId, passwordLink: `${cli.config.publicUrl}/app/set-password?token=${token}` };
}

export function registerUsersCommands(program: Command, cli: CliContext): void {
  const users = program.command('users').description('staff users (the owner account is made on the /setup page)');
  users
    .command('add')
    .description('add a user and print a one-time link where they choose a password')
    .requiredOption('--name <name>', 'their name, as events and certificates will show it')
    .requiredOption('--email <email>', 'the email they sign in with')
    .addOption(new Option('--role <role>', 'what they may do').choices(STAFF_ROLES).makeOptionMandatory())
    .option('--password-from-stdin', 'set their password from standard input instead of printing a link')
    .action(async (options: { name: string; email: string; role: StaffRole; passwordFromStdin?: boolean }) => {
      const password = options.passwordFromStdin ? await readStdin() : undefined;
      const added = await withPlatform(cli, (platform) => addUser(cli, platform, { ...options, password })).catch(
        (error: unknown) => {
          // A refused user (taken email, short password) is a message, not a crash.
          if (!(error instanceof DomainError)) throw error;
          print(cli.stderr, `Not added: ${error.message}`);
          cli.setExitCode(1);
        },
      );
      if (!added) return;
      print(
        cli.stdout,
        added.passwordLink
          ? `Added ${options.role} ${options.name} (id ${added.userId}).\n` +
              `Send them this link to choose a password; it works once, within 72 hours:\n\n  ${added.passwordLink}\n`
          : `Added ${options.role} ${options.name} (id ${added.userId}) with the password given.\n`,
      );
    });
}
