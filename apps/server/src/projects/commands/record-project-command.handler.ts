import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandReceipt, ProjectRepository } from '@scope-ledger/platform';
import { RecordProjectCommand } from './record-project-command.command';

@CommandHandler(RecordProjectCommand)
export class RecordProjectCommandHandler implements ICommandHandler<RecordProjectCommand, CommandReceipt> {
  constructor(private readonly projects: ProjectRepository) {}

  execute({ projectId, command, context }: RecordProjectCommand): Promise<CommandReceipt> {
    return this.projects.record(projectId, command, context);
  }
}
