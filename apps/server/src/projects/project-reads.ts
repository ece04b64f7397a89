import { Inject, Injectable } from '@nestjs/common';
import {
  CatalogueState,
  initialCatalogueState,
  notFound,
  projectStreamId,
  ProjectState,
  stateAt,
} from '@scope-ledger/domain';
import { comparePositions, Position, RecordedEvent, START } from '@scope-ledger/event-store';
import { Platform, stateAsOf, stateUpTo } from '@scope-ledger/platform';
import { ProblemException } from '../http/problem-details.filter';
import { PLATFORM } from '../platform.token';

/** Every read of a project: now from the read models (read-your-writes), or as of a past moment from its stream. */
@Injectable()
export class ProjectReads {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  /**
   * The project now, with its revision (its ETag), or as it was at `asOf`; either way read at that moment, so an
   * order past its expiry reads as expired before the expiry sweeper records it.
   */
  async state(projectId: string, asOf?: string): Promise<ProjectState & { revision?: number }> {
    if (asOf) {
      const state = stateAsOf(await this.events(projectId), asOf);
      if (!state.exists) throw notFound(`Project ${projectId} did not exist at ${asOf}`);
      return stateAt(state, asOf);
    }
    await this.catchUp();
    const state = await this.platform.readModel.projectState(projectId);
    if (!state) throw notFound(`Project ${projectId} not found`);
    return stateAt(state, new Date().toISOString());
  }

  /**
   * The project with its stream up to the same event, for what only the stream keeps (when cards moved, who
   * logged time), and the moment the answer describes: now, or `asOf` unless that is still to come.
   */
  async stateWithEvents(projectId: string, asOf?: string) {
    const now = new Date().toISOString();
    if (asOf) {
      const at = Date.parse(asOf) < Date.parse(now) ? asOf : now;
      const state = await this.state(projectId, at);
      const events = (await this.events(projectId)).filter((e) => Date.parse(e.metadata.occurredAt) <= Date.parse(at));
      return { state, events, at };
    }
    const state = await this.state(projectId);
    const revision = state.revision ?? Infinity;
    const events = (await this.events(projectId)).filter((e) => Number(e.revision) <= revision);
    return { state, events, at: now };
  }

  /** The project as it stood at a revision of its stream (the version a form was rendered from). */
  async stateAtRevision(projectId: string, revision: bigint): Promise<ProjectState> {
    const state = stateUpTo(await this.events(projectId), revision);
    if (!state.exists) throw notFound(`Project ${projectId} did not exist at revision ${revision}`);
    return state;
  }

  /** The product catalogue as its stream stands now. */
  catalogue() {
    return this.platform.catalogue.load();
  }

  /** The catalogue to price product lines with, read only when there are any: most commands name none. */
  async catalogueFor(products: readonly unknown[] | undefined): Promise<CatalogueState> {
    return products?.length ? (await this.catalogue()).state : initialCatalogueState;
  }

  async portfolio() {
    await this.catchUp();
    return this.platform.readModel.portfolio();
  }

  /** Time travel over every project: each stream folded up to the moment; projects not yet opened are left out. */
  async statesAsOf(asOf: string): Promise<ProjectState[]> {
    const byStream = new Map<string, RecordedEvent[]>();
    let after = START;
    for (;;) {
      const batch = await this.platform.store.readAll({ after, streamPrefix: projectStreamId(''), limit: 5000 });
      if (batch.length === 0) break;
      for (const e of batch) {
        const events = byStream.get(e.streamId);
        if (events) events.push(e);
        else byStream.set(e.streamId, [e]);
      }
      after = batch[batch.length - 1].position;
    }
    return [...byStream.values()]
      .map((events) =>
        stateAsOf(
          events.sort((a, b) => (a.revision < b.revision ? -1 : 1)),
          asOf,
        ),
      )
      .filter((s) => s.exists);
  }

  events(projectId: string): Promise<RecordedEvent[]> {
    return this.platform.store.readStream(projectStreamId(projectId));
  }

  /** Waits until the read models hold what this process wrote, X-Min-Position and everything committed before. */
  async catchUp(minPosition?: Position): Promise<void> {
    const head = await this.platform.store.headPosition();
    if (minPosition && comparePositions(minPosition, head) > 0) {
      throw new ProblemException(400, 'Bad request', 'X-Min-Position is beyond the end of the event log', [
        { field: 'X-Min-Position', message: 'No event has been written at this position' },
      ]);
    }
    const written = this.platform.commands.lastWrittenPosition;
    const target = [written, minPosition].reduce<Position>((a, b) => (b && comparePositions(b, a) > 0 ? b : a), head);
    await this.platform.processor.waitFor(target);
  }
}
