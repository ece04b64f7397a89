import { Command } from '@nestjs/cqrs';
import { ProjectCommand } from '@scope-ledger/domain';
import { CommandContext, CommandOutcome } from '@scope-ledger/platform';

/** Any project command that needs nothing beyond the project's own state. */
export class RunProjectCommand extends Command<CommandOutcome> {
  constructor(
    readonly projectId: string,
    readonly command: ProjectCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}
