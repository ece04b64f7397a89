import {
  evolve,
  headerOf,
  initialProjectState,
  PROJECT_EVENT_TYPES,
  ProjectEvent,
  ProjectState,
  recordChanges,
  recordKey,
} from '@scope-ledger/domain';
import {
  applyChange,
  emptyState,
  headerDoc,
  RECORD_TABLES,
  recordsRead,
  stateFromHeader,
  WorkingState,
} from './record-tables';
import { projectHistories } from './testing/project-histories';

/** The streams of a few generated projects, one event list per project. */
function streams(reservedNames: boolean): ProjectEvent[][] {
  const byProject = new Map<string, ProjectEvent[]>();
  for (const step of projectHistories({ projects: 4, eventsPerProject: 400, seed: 3, reservedNames })) {
    byProject.set(step.projectId, [...(byProject.get(step.projectId) ?? []), ...step.events]);
  }
  return [...byProject.values()];
}

/** What a batch loads for an event: the stored header and the records its selectors name, as JSON gives them back. */
function partialStateFor(event: ProjectEvent, state: ProjectState): WorkingState {
  const partial = state.exists ? stateFromHeader(JSON.parse(JSON.stringify(headerDoc(headerOf(state))))) : emptyState();
  const read = recordsRead(event);
  const copy = <T>(record: T): T => JSON.parse(JSON.stringify(record)) as T;
  for (const id of read.changeRequests ?? []) {
    const request = state.changeRequests.get(id);
    if (request) partial.changeRequests.set(id, copy(request));
  }
  if (read.changeOrder !== undefined) {
    const order = state.changeOrders.get(read.changeOrder);
    if (order) partial.changeOrders.set(order.id, copy(order));
  }
  for (const request of state.changeRequests.values())
    if (read.requestsOfOrder !== undefined && request.changeOrderId === read.requestsOfOrder)
      partial.changeRequests.set(request.id, copy(request));
  if (read.card !== undefined) {
    const card = state.cards.get(read.card);
    if (card) partial.cards.set(card.id, copy(card));
  }
  if (read.scopeAndMilestones) {
    for (const [ref, item] of state.scope) partial.scope.set(ref, copy(item));
    for (const [ref, milestone] of state.milestones) partial.milestones.set(ref, copy(milestone));
  }
  return partial;
}

describe.each([
  ['plain names', false],
  ['names such as toString, constructor and __proto__', true],
])('the records each event reads, with %s', (_names, reservedNames) => {
  const projects = streams(reservedNames);

  it('come from a history with every kind of event', () => {
    const types = new Set(projects.flat().map((e) => e.type));
    expect([...types].sort()).toEqual([...PROJECT_EVENT_TYPES].sort());
  });

  it('are all an event needs: from them alone it changes exactly what it changes in the whole state', () => {
    for (const events of projects) {
      let state: ProjectState = initialProjectState;
      for (const event of events) {
        const partial = partialStateFor(event, state);
        const fromPartial = recordChanges(event, partial).map((change) => applyChange(partial, change));
        expect(fromPartial.map((change) => ({ ...change, before: undefined }))).toEqual(recordChanges(event, state));
        for (const change of fromPartial) {
          if (change.kind === 'project') continue;
          const records = state[RECORD_TABLES[change.kind].collection] as ReadonlyMap<string, unknown>;
          expect(change.before).toEqual(records.get(recordKey(change)));
        }
        state = evolve(state, event);
      }
    }
  });
});
