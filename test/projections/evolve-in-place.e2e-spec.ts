import {
  evolveAll,
  evolveInPlace,
  foldProject,
  initialProjectState,
  LIST_KEYS,
  liveCardByRef,
  ProjectEvent,
  ProjectState,
  RECORD_KEYS,
  StateChanges,
} from '@scope-ledger/domain';
import { interleavedHistories } from '../../bench/support/event-mix';

/**
 * The projection folds each batch into the state it owns, in place, and writes only what the
 * fold says it changed. So the fold must give exactly evolveAll's result, and what it reports
 * as changed must be every entry that differs, with the value it had before.
 */
describe('folding in place', () => {
  // Three projects' streams, as the domain writes them.
  const streams = new Map<string, { event: ProjectEvent; occurredAt: string }[]>();
  for (const unit of interleavedHistories({
    totalEvents: 3_000,
    activeProjects: 3,
    eventsPerProject: [300, 1_600],
    seed: 7,
  })) {
    const stream = streams.get(unit.streamId) ?? [];
    for (const e of unit.events)
      stream.push({ event: { type: e.type, data: e.data } as ProjectEvent, occurredAt: e.metadata.occurredAt });
    streams.set(unit.streamId, stream);
  }

  it('runs on a history with every kind of change the read model stores', () => {
    const types = new Set([...streams.values()].flat().map((e) => e.event.type));
    for (const type of [
      'ChangeOrderSigned',
      'ChangeOrderVoided',
      'ChangeOrderDeclined',
      'BoardCardCancelled',
      'InvoiceRecorded',
      'TimeLogged',
    ]) {
      expect(types).toContain(type);
    }
  });

  it.each([1, 7, 400])('gives evolveAll’s state and reports every changed entry, in batches of %i', (size) => {
    for (const events of streams.values()) {
      let state: ProjectState = initialProjectState;
      let copied: ProjectState = initialProjectState;
      for (let at = 0, n = 0; at < events.length; at += size, n++) {
        const batch = events.slice(at, at + size);
        // Entries are replaced, never changed, so a shallow copy of the collections shows what was there.
        const before = withCollectionsCopied(state);
        const { state: next, changes } = evolveInPlace(state, batch);
        copied = evolveAll(copied, batch);
        expectChangesToDescribe(before, next, changes);
        if (n % 25 === 0) expect(next).toEqual(copied);
        state = next;
      }
      expect(state).toEqual(copied);
      expect(state).toEqual(foldProject(events));
    }
  });

  it('keeps in cardByRef exactly the live card liveCardByRef works out from the cards, after every event', () => {
    let cancelled = 0;
    for (const events of streams.values()) {
      let state: ProjectState = initialProjectState;
      for (const event of events) {
        state = evolveAll(state, [event]);
        if (event.event.type === 'BoardCardCancelled') cancelled += 1;
        expect(liveCardByRef(state.cards, state.cardOrder)).toEqual(state.cardByRef);
      }
    }
    expect(cancelled).toBeGreaterThan(0);
  });

  it('never changes the initial state, which every new project starts from', () => {
    const events = [...streams.values()][0];
    const pristine = structuredClone(initialProjectState);
    const first = evolveInPlace(initialProjectState, events.slice(0, 200)).state;
    const firstCopy = structuredClone(first);
    const second = evolveInPlace(initialProjectState, events.slice(0, 50)).state;
    evolveInPlace(second, events.slice(50, 300));
    expect(initialProjectState).toEqual(pristine);
    expect(Object.isFrozen(initialProjectState.changeRequests)).toBe(true);
    // Two folds from the initial state share nothing they change.
    expect(first).toEqual(firstCopy);
  });
});

function withCollectionsCopied(state: ProjectState): ProjectState {
  const copy: Record<string, unknown> = { ...state };
  for (const key of RECORD_KEYS) copy[key] = { ...state[key] };
  for (const key of LIST_KEYS) copy[key] = [...state[key]];
  return copy as unknown as ProjectState;
}

function expectChangesToDescribe(before: ProjectState, after: ProjectState, changes: StateChanges): void {
  for (const key of RECORD_KEYS) {
    const was: Record<string, unknown> = before[key];
    const is: Record<string, unknown> = after[key];
    const reported = changes.records[key] ?? new Map<string, unknown>();
    for (const id of new Set([...Object.keys(was), ...Object.keys(is)])) {
      if (was[id] !== is[id]) expect({ key, id, reported: reported.has(id) }).toEqual({ key, id, reported: true });
    }
    for (const [id, value] of reported)
      if (value !== was[id]) expect({ key, id, before: value }).toBe({ key, id, before: was[id] });
  }
  for (const key of LIST_KEYS) {
    const reported = changes.lists[key];
    if (reported === undefined) expect(after[key]).toEqual(before[key]);
    else if (reported !== 'replaced') {
      expect(reported).toBe(before[key].length);
      expect(after[key].slice(0, reported)).toEqual(before[key]);
    }
  }
}
