import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandOutcome, ProjectRepository } from '@scope-ledger/platform';
import { RunProjectCommand } from './run-project-command.command';

@CommandHandler(RunProjectCommand)
export class RunProjectCommandHandler implements ICommandHandler<RunProjectCommand, CommandOutcome> {
  constructor(private readonly projects: ProjectRepository) {}

  execute({ projectId, command, context }: RunProjectCommand): Promise<CommandOutcome> {
    return this.projects.execute(projectId, command, context);
  }
}
