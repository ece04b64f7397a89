import { Command } from '@nestjs/cqrs';
import { ProjectCommand } from '@scope-ledger/domain';
import { CommandContext, CommandReceipt } from '@scope-ledger/platform';

/**
 * A project command whose caller answers from what was written alone (the events, the
 * revision), not from the state after it: the repository keeps that state to itself and the
 * project's next command changes it in place rather than copying it.
 */
export class RecordProjectCommand extends Command<CommandReceipt> {
  constructor(
    readonly projectId: string,
    readonly command: ProjectCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}
