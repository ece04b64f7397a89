import { evolve, initialProjectState, ProjectState, recordChanges } from '@scope-ledger/domain';
import { PortfolioTally, portfolioRowOf, tallyDoc, tallyFromDoc, tallyOf, updateTally } from './portfolio-projector';
import { AppliedChange, applyChange, emptyState, WorkingState } from './record-tables';
import { projectHistories } from './testing/project-histories';

/** The state's records in a state of their own, so that applying changes to it leaves the original alone. */
function copyOf(state: ProjectState): WorkingState {
  return {
    ...emptyState(),
    ...state,
    milestones: new Map(state.milestones),
    scope: new Map(state.scope),
    changeRequests: new Map(state.changeRequests),
    changeOrders: new Map(state.changeOrders),
    cards: new Map(state.cards),
  };
}

describe('the portfolio projector', () => {
  it('keeps each row equal to a count over the whole state, after every event, from the changes alone', () => {
    const states = new Map<string, ProjectState>();
    const tallies = new Map<string, PortfolioTally>();
    let events = 0;
    let awaited = 0;
    for (const step of projectHistories({ projects: 5, eventsPerProject: 300, seed: 5 })) {
      for (const event of step.events) {
        const state = states.get(step.projectId) ?? initialProjectState;
        const working = copyOf(state);
        const changes: AppliedChange[] = recordChanges(event, state).map((change) => applyChange(working, change));
        // The stored row goes through JSON between batches.
        const before = tallyFromDoc(JSON.parse(JSON.stringify(tallyDoc(tallies.get(step.projectId) ?? emptyTally()))));
        const tally = updateTally({ ...before, projectId: step.projectId }, changes);
        const after = evolve(state, event);
        expect(portfolioRowOf(tally, step.now)).toEqual(portfolioRowOf(tallyOf(after), step.now));
        expect(tally.awaiting).toEqual(tallyOf(after).awaiting);
        states.set(step.projectId, after);
        tallies.set(step.projectId, tally);
        events += 1;
        if (tally.awaiting.size > 0) awaited += 1;
      }
    }
    expect(events).toBeGreaterThanOrEqual(1_500);
    expect(awaited).toBeGreaterThan(100);
  });

  it('gives the row of a project with orders awaiting signature their count, sum and age', () => {
    const tally = updateTally(emptyTally(), []);
    const awaiting = new Map([
      ['order-2', { amount: 100_000, issuedAt: '2026-03-06T10:30:00.000Z', expiresAt: '2026-03-20T10:30:00.000Z' }],
      ['order-1', { amount: 150_000, issuedAt: '2026-03-02T10:30:00.000Z', expiresAt: '2026-03-16T10:30:00.000Z' }],
    ]);
    const row = portfolioRowOf({ ...tally, awaiting }, '2026-03-09T10:30:00.000Z');
    expect(row).toMatchObject({
      awaitingSignature: 2,
      pendingExposure: 250_000,
      pendingCredits: 0,
      oldestAwaitingSince: '2026-03-02T10:30:00.000Z',
      oldestAwaitingDays: 7,
    });
  });

  it('never lets a pending credit order cancel a pending charge: exposure 1,000.00, pending credits 300.00', () => {
    const expiresAt = '2026-03-20T10:30:00.000Z';
    const awaiting = new Map([
      ['charge', { amount: 100_000, issuedAt: '2026-03-06T10:30:00.000Z', expiresAt }],
      ['credit', { amount: -30_000, issuedAt: '2026-03-06T11:30:00.000Z', expiresAt }],
    ]);
    const row = portfolioRowOf({ ...emptyTally(), awaiting }, '2026-03-09T10:30:00.000Z');
    expect(row).toMatchObject({ pendingExposure: 100_000, pendingCredits: 30_000, awaitingSignature: 2 });
  });

  it('counts an order past its expiry as awaiting nothing, before its expiry is recorded', () => {
    const awaiting = new Map([
      ['order-1', { amount: 150_000, issuedAt: '2026-03-02T10:30:00.000Z', expiresAt: '2026-03-16T10:30:00.000Z' }],
    ]);
    const row = portfolioRowOf({ ...emptyTally(), awaiting }, '2026-03-16T10:30:00.000Z');
    expect(row).toMatchObject({ awaitingSignature: 0, pendingExposure: 0, oldestAwaitingDays: null });
  });
});

function emptyTally(): PortfolioTally {
  return tallyOf(initialProjectState);
}
