import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { notFound, projectStreamId, ProjectState } from '@scope-ledger/domain';
import { comparePositions } from '@scope-ledger/event-store';
import { Platform } from '@scope-ledger/platform';
import { Inject } from '@nestjs/common';
import { PLATFORM } from '../../platform.token';
import { ProjectRepository, stateAsOf } from '@scope-ledger/platform';
import { GetProjectStateQuery } from './get-project-state.query';

@QueryHandler(GetProjectStateQuery)
export class GetProjectStateHandler implements IQueryHandler<GetProjectStateQuery, ProjectState> {
  constructor(@Inject(PLATFORM) private readonly platform: Platform, private readonly projects: ProjectRepository) {}

  async execute({ projectId, asOf, minPosition }: GetProjectStateQuery): Promise<ProjectState> {
    if (asOf) {
      const state = stateAsOf(await this.platform.store.readStream(projectStreamId(projectId)), asOf);
      if (!state.exists) throw notFound(`Project ${projectId} did not exist at ${asOf}`);
      return state;
    }
    // Read-your-writes: wait until the read models hold everything this process (or the caller) wrote.
    const written = this.projects.lastWrittenPosition;
    const target = written && minPosition ? (comparePositions(written, minPosition) >= 0 ? written : minPosition) : (written ?? minPosition);
    if (target) await this.platform.runner.waitFor(target);
    const state = await this.platform.queries.projectState(projectId);
    if (!state) throw notFound(`Project ${projectId} not found`);
    return state;
  }
}
