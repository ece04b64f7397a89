import { evolveAll, initialProjectState, ProjectEvent, projectStreamId, ProjectState } from '@scope-ledger/domain';
import { EventStore, RecordedEvent } from '@scope-ledger/event-store';
import { toProjectEvent } from '@scope-ledger/projections';

/**
 * One project's stream, folded with the domain's `evolveAll` as far as asked. Notifications
 * read the stream itself rather than another projection's tables, so an email always
 * describes the project exactly as it was when its event happened.
 */
export class ProjectHistory {
  private state: ProjectState = initialProjectState;
  private next = 0;

  private constructor(private readonly events: readonly RecordedEvent[]) {}

  static async read(store: EventStore, projectId: string): Promise<ProjectHistory> {
    return new ProjectHistory(await store.readStream(projectStreamId(projectId)));
  }

  /** The state right after the event at `revision`. Ask in ascending order of revision. */
  stateAt(revision: bigint): ProjectState {
    const folded: { event: ProjectEvent; occurredAt: string }[] = [];
    while (this.next < this.events.length && this.events[this.next].revision <= revision) {
      const recorded = this.events[this.next++];
      const event = toProjectEvent(recorded);
      if (event) folded.push({ event, occurredAt: recorded.metadata.occurredAt });
    }
    this.state = evolveAll(this.state, folded);
    return this.state;
  }

  latest(): ProjectState {
    const last = this.events[this.events.length - 1];
    return last ? this.stateAt(last.revision) : this.state;
  }
}
