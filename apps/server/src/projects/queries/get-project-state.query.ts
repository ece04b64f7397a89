import { Query } from '@nestjs/cqrs';
import { ProjectState } from '@scope-ledger/domain';
import { Position } from '@scope-ledger/event-store';

/** A project's state now (from the read model) or as of a past moment (folded from its stream). */
export class GetProjectStateQuery extends Query<ProjectState> {
  constructor(
    readonly projectId: string,
    readonly asOf?: string,
    readonly minPosition?: Position,
  ) {
    super();
  }
}
