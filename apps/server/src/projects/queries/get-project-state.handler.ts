import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { notFound, projectStreamId, ProjectState } from '@scope-ledger/domain';
import { Platform } from '@scope-ledger/platform';
import { Inject } from '@nestjs/common';
import { PLATFORM } from '../../platform.token';
import { stateAsOf } from '@scope-ledger/platform';
import { ReadConsistency } from '../read-consistency';
import { GetProjectStateQuery } from './get-project-state.query';

@QueryHandler(GetProjectStateQuery)
export class GetProjectStateHandler implements IQueryHandler<GetProjectStateQuery, ProjectState> {
  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    private readonly consistency: ReadConsistency,
  ) {}

  async execute({ projectId, asOf, minPosition }: GetProjectStateQuery): Promise<ProjectState> {
    if (asOf) {
      const state = stateAsOf(await this.platform.store.readStream(projectStreamId(projectId)), asOf);
      if (!state.exists) throw notFound(`Project ${projectId} did not exist at ${asOf}`);
      return state;
    }
    await this.consistency.catchUp(minPosition);
    const state = await this.platform.queries.projectState(projectId);
    if (!state) throw notFound(`Project ${projectId} not found`);
    return state;
  }
}
