import { Command } from 'commander';
import { registerAuditCommands } from './audit.command';
import { CliContext, processContext } from './cli-context';
import { registerDemoCommand } from './demo.command';
import { registerEventsCommands } from './events.command';
import { registerKeysCommands } from './keys.command';
import { registerOpenApiCommand } from './openapi.command';
import { registerProjectionsCommands } from './projections.command';
import { registerUsersCommands } from './users.command';

/** The admin CLI. Storage comes from the same environment as the server's. */
export function buildProgram(cli: CliContext): Command {
  const program = new Command('scope-ledger')
    .description(
      'Scope Ledger administration. Uses DATA_DIR, DATABASE_URL and EVENTSTORE_CONNECTION_STRING like the server.\n' +
        'On the embedded default (a data folder) stop the server first: one process at a time may open the folder.',
    )
    .showHelpAfterError()
    .configureOutput({ writeOut: (text) => cli.stdout.write(text), writeErr: (text) => cli.stderr.write(text) });
  registerKeysCommands(program, cli);
  registerUsersCommands(program, cli);
  registerProjectionsCommands(program, cli);
  registerAuditCommands(program, cli);
  registerDemoCommand(program, cli);
  registerEventsCommands(program, cli);
  registerOpenApiCommand(program, cli);
  return program;
}

async function main(): Promise<void> {
  await buildProgram(processContext()).parseAsync(process.argv);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    // The reader of stdout went away (`events export | head`): nothing left to report.
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return;
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
