import { event, Milestone, ProjectEvent } from './events';
import {
  approvedChanges,
  calendarOf,
  currentContractValue,
  evolveInPlace,
  evolveOwning,
  foldProject,
  initialProjectState,
  milestonesInOrder,
  ProjectState,
} from './state';
import { stateAfter } from '../testing/decider-specification';
import { shareOneHiddenClass } from '../../../../test/support/hidden-classes';
import {
  ADD_SI_4,
  ADD_SI_5,
  baselined,
  BASELINE_TOTAL,
  cardAdded,
  CO_1,
  CO_2,
  CR_1,
  CR_2,
  CR_3,
  CR_4,
  EXPIRES_AT,
  M1,
  M2,
  M3,
  onOrder,
  orderDrafted,
  orderIssued,
  orderSigned,
  projectOpened,
  REMOVE_SI_3,
  REQUESTER,
  requestAssessed,
  requestLogged,
  SI_1,
  SI_1_WITH_SHARED_MAILBOXES,
  SI_2,
  SI_3,
  SI_4,
  SI_5,
  withIssuedOrder,
  withSignedOrder,
} from '../testing/project.fixture';

const CR_8 = '7a1d2c3b-0008-4c5d-8e6f-000000000008';
const CR_9 = '7a1d2c3b-0009-4c5d-8e6f-000000000009';

/** A request that only moves one milestone, ordered, issued and (unless told otherwise) signed. */
function scheduleChange(
  changeRequestId: string,
  requestNumber: number,
  changeOrderId: string,
  orderNumber: number,
  shift: { milestone: string; workingDays: number },
  outcome: 'signed' | 'issued' = 'signed',
): ProjectEvent[] {
  const events: ProjectEvent[] = [
    requestLogged(changeRequestId, requestNumber),
    requestAssessed(changeRequestId, [], { schedule: [shift] }),
    orderDrafted(changeOrderId, orderNumber, [changeRequestId], [], {
      amount: 0,
      schedule: [{ ...shift, changeRequestId }],
    }),
    orderIssued(changeOrderId, { originalContract: BASELINE_TOTAL, previouslyApproved: 0 }),
  ];
  return outcome === 'signed' ? [...events, orderSigned(changeOrderId)] : events;
}

/** CO-2 removes SI-3 (CR-3) and adds SI-5 as goodwill (CR-4), signed after CO-1. */
const withTwoSignedOrders: ProjectEvent[] = [
  ...withSignedOrder,
  requestLogged(CR_3, 3),
  requestLogged(CR_4, 4),
  requestAssessed(CR_3, [REMOVE_SI_3]),
  requestAssessed(CR_4, [ADD_SI_5], { noCharge: true }),
  orderDrafted(CO_2, 2, [CR_3, CR_4], [onOrder(REMOVE_SI_3, CR_3, 3), onOrder(ADD_SI_5, CR_4, 4, true)], {
    amount: -180_000,
    absorbed: 14_325,
  }),
  orderIssued(CO_2, { originalContract: BASELINE_TOTAL, previouslyApproved: 195_788 }),
  orderSigned(CO_2, '2026-03-12T09:00:00.000Z'),
  event('BoardCardCancelled', { cardId: 'C-3', changeOrderId: CO_2 }),
  cardAdded(5, SI_5, CO_2),
];

describe('the schedule', () => {
  it('starts with no milestone moved', () => {
    expect(stateAfter(baselined).milestoneShifts).toEqual({ M1: 0, M2: 0, M3: 0 });
  });

  it('a shift on a milestone moves it and every later milestone, not the earlier ones', () => {
    const state = stateAfter([...baselined, ...scheduleChange(CR_8, 1, CO_1, 1, { milestone: 'M2', workingDays: 2 })]);
    expect(state.milestoneShifts).toEqual({ M1: 0, M2: 2, M3: 2 });
  });

  it('a shift on the first milestone moves them all', () => {
    const state = stateAfter([...baselined, ...scheduleChange(CR_8, 1, CO_1, 1, { milestone: 'M1', workingDays: 3 })]);
    expect(state.milestoneShifts).toEqual({ M1: 3, M2: 3, M3: 3 });
  });

  it('adds up the shifts of successive signed orders, including ones that pull dates in', () => {
    const state = stateAfter([
      ...baselined,
      ...scheduleChange(CR_8, 1, CO_1, 1, { milestone: 'M2', workingDays: 2 }),
      ...scheduleChange(CR_9, 2, CO_2, 2, { milestone: 'M1', workingDays: -1 }),
    ]);
    // M1: -1; M2: 2 - 1 = 1; M3: 2 - 1 = 1
    expect(state.milestoneShifts).toEqual({ M1: -1, M2: 1, M3: 1 });
  });

  it('takes "later" from the due dates, whatever order the baseline lists the milestones in', () => {
    const listedOutOfOrder = event('BaselineEstablished', { items: [SI_1], milestones: [M3, M1, M2], total: 382_000 });
    const state = stateAfter([
      projectOpened,
      listedOutOfOrder,
      cardAdded(1, SI_1),
      ...scheduleChange(CR_8, 1, CO_1, 1, { milestone: 'M2', workingDays: 3 }),
    ]);
    expect(milestonesInOrder(state).map((m) => m.ref)).toEqual(['M1', 'M2', 'M3']);
    expect(state.milestoneShifts).toEqual({ M1: 0, M2: 3, M3: 3 });
  });

  it("gives current due dates in working days, skipping the project's holidays", () => {
    const state = stateAfter([...baselined, ...scheduleChange(CR_8, 1, CO_1, 1, { milestone: 'M2', workingDays: 5 })]);
    const due = (m: Milestone) => calendarOf(state).addWorkingDays(m.due, state.milestoneShifts[m.ref]);
    expect(due(M1)).toBe('2026-03-13');
    // 27 March + 5: 30, 31 March, 1, 2 April, (Good Friday), 6 April
    expect(due(M2)).toBe('2026-04-06');
    // 10 April + 5: 13 to 17 April
    expect(due(M3)).toBe('2026-04-17');
  });

  it('is not moved by an order awaiting signature', () => {
    const state = stateAfter([
      ...baselined,
      ...scheduleChange(CR_8, 1, CO_1, 1, { milestone: 'M1', workingDays: 4 }, 'issued'),
    ]);
    expect(state.milestoneShifts).toEqual({ M1: 0, M2: 0, M3: 0 });
  });
});

describe('the current scope', () => {
  it('is the baseline before anything is signed', () => {
    const state = stateAfter(withIssuedOrder);
    expect(state.scopeOrder).toEqual(['SI-1', 'SI-2', 'SI-3']);
    expect(state.scope['SI-1']).toEqual({ ...SI_1, origin: 'baseline', removed: false, changedBy: [] });
    expect(state.scope['SI-4']).toBeUndefined();
  });

  it('applies the lines of signed orders in signing order: adds, modifies and removes', () => {
    const state = stateAfter(withTwoSignedOrders);
    expect(state.scopeOrder).toEqual(['SI-1', 'SI-2', 'SI-3', 'SI-4', 'SI-5']);
    expect(state.scope).toEqual({
      'SI-1': { ...SI_1_WITH_SHARED_MAILBOXES, origin: 'baseline', removed: false, changedBy: [1], lastOp: 'modify' },
      'SI-2': { ...SI_2, origin: 'baseline', removed: false, changedBy: [] },
      'SI-3': { ...SI_3, origin: 'baseline', removed: true, changedBy: [2], lastOp: 'remove' },
      'SI-4': { ...SI_4, origin: 'added', removed: false, changedBy: [1], lastOp: 'add' },
      'SI-5': { ...SI_5, origin: 'added', removed: false, changedBy: [2], lastOp: 'add' },
    });
    expect(state.baseline.items).toEqual([SI_1, SI_2, SI_3]);
  });

  it('marks the requests on a signed order as approved', () => {
    const state = stateAfter(withTwoSignedOrders);
    expect([CR_1, CR_2, CR_3, CR_4].map((id) => state.changeRequests[id].status)).toEqual([
      'approved',
      'approved',
      'approved',
      'approved',
    ]);
    expect(state.signedOrderIds).toEqual([CO_1, CO_2]);
  });

  it('is not changed by declined, voided or expired orders', () => {
    const closings: ProjectEvent[] = [
      event('ChangeOrderDeclined', {
        changeOrderId: CO_1,
        reason: 'No budget',
        declinedAt: '2026-03-07T09:00:00.000Z',
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0',
      }),
      event('ChangeOrderVoided', { changeOrderId: CO_1, reason: 'Revising' }),
      event('ChangeOrderExpired', { changeOrderId: CO_1, expiredAt: EXPIRES_AT }),
    ];
    const before = stateAfter(withIssuedOrder);
    for (const closing of closings) {
      const state = stateAfter([...withIssuedOrder, closing]);
      expect(state.scope).toEqual(before.scope);
      expect(state.milestoneShifts).toEqual({ M1: 0, M2: 0, M3: 0 });
      expect(approvedChanges(state)).toBe(0);
    }
  });
});

describe('the contract value', () => {
  it('is the baseline while orders only await signature', () => {
    const state = stateAfter(withIssuedOrder);
    expect(approvedChanges(state)).toBe(0);
    expect(currentContractValue(state)).toBe(749_500);
  });

  it('grows by what each signed order charges, never by goodwill', () => {
    const afterFirst = stateAfter(withSignedOrder);
    // CO-1: 117,000 + 78,788
    expect(approvedChanges(afterFirst)).toBe(195_788);
    expect(currentContractValue(afterFirst)).toBe(945_288);

    const afterSecond = stateAfter(withTwoSignedOrders);
    // CO-2: -180,000 for SI-3 + 0 for the goodwill SI-5 (14,325 absorbed); 195,788 - 180,000 = 15,788
    expect(approvedChanges(afterSecond)).toBe(15_788);
    expect(currentContractValue(afterSecond)).toBe(765_288);
    expect(afterSecond.changeOrders[CO_2].absorbed).toBe(14_325);
  });
});

describe('folding a stream', () => {
  it('keeps when each fact happened, so any past moment can be rebuilt from a prefix', () => {
    const state = foldProject([
      { event: projectOpened, occurredAt: '2026-03-02T08:00:00.000Z' },
      { event: requestLogged(CR_1, 1), occurredAt: '2026-03-03T08:20:00.000Z' },
    ]);
    expect(state.openedAt).toBe('2026-03-02T08:00:00.000Z');
    expect(state.changeRequests[CR_1].loggedAt).toBe('2026-03-03T08:20:00.000Z');
    expect(state.lastEventAt).toBe('2026-03-03T08:20:00.000Z');
  });
});

describe('the records a fold builds', () => {
  it('share one hidden class per kind of record, however many projects are folded', () => {
    const states = Array.from({ length: 40 }, () => stateAfter(withSignedOrder));
    expect(shareOneHiddenClass(states.map((s) => s.changeRequests[CR_1]))).toBe(true);
    expect(shareOneHiddenClass(states.map((s) => s.changeOrders[CO_1]))).toBe(true);
    expect(shareOneHiddenClass(states.map((s) => s.scope['SI-4']))).toBe(true);
  });
});

describe('records shared between two folds of the same events', () => {
  const at = (events: readonly ProjectEvent[]) =>
    events.map((event, i) => ({ event, occurredAt: `2026-03-${String(2 + (i % 20)).padStart(2, '0')}T09:00:00.000Z` }));
  const records = (state: ProjectState) => [
    ...Object.values(state.changeRequests),
    ...Object.values(state.changeOrders),
    ...Object.values(state.cards),
    ...Object.values(state.scope),
  ];

  it(
    'a fold that reuses takes every record a keeping fold built from the same event objects, ' +
      'so the two states hold each once',
    () => {
      const folded = at(withTwoSignedOrders);
      const kept = evolveOwning(initialProjectState, folded, new Set(), 'keep');
      const reused = evolveInPlace(initialProjectState, folded, 'reuse').state;
      expect(reused).toEqual(kept);
      expect(records(kept).length).toBeGreaterThan(10);
      for (const [i, record] of records(reused).entries()) expect(record).toBe(records(kept)[i]);
    },
  );

  it('builds its own, equal records from events read back (other objects) or folded without sharing', () => {
    const folded = at(withTwoSignedOrders);
    const kept = evolveOwning(initialProjectState, folded, new Set(), 'keep');
    const readBack = evolveInPlace(initialProjectState, JSON.parse(JSON.stringify(folded)), 'reuse').state;
    const unshared = evolveInPlace(initialProjectState, folded).state;
    for (const state of [readBack, unshared]) {
      expect(state).toEqual(kept);
      for (const [i, record] of records(state).entries()) expect(record).not.toBe(records(kept)[i]);
    }
  });

  it('does not take a record built from another record before, even for the same event', () => {
    const logged = at([...baselined, requestLogged(CR_1, 1)]);
    const assessed = { event: requestAssessed(CR_1, [ADD_SI_4]), occurredAt: '2026-03-04T10:00:00.000Z' };
    const kept = evolveOwning(
      evolveOwning(initialProjectState, logged, new Set(), 'keep'),
      [assessed],
      new Set(),
      'keep',
    );
    // The same assessment folded onto a request built apart from the kept one.
    const apart = evolveInPlace(evolveInPlace(initialProjectState, logged).state, [assessed], 'reuse').state;
    expect(apart.changeRequests[CR_1]).toEqual(kept.changeRequests[CR_1]);
    expect(apart.changeRequests[CR_1]).not.toBe(kept.changeRequests[CR_1]);
  });
});

describe("a project's requesters", () => {
  it(
    'are held once per person: requests from the person who asked last, ' +
      'the client or the manager share that object',
    () => {
      const readBack = (events: readonly ProjectEvent[]): ProjectEvent[] => JSON.parse(JSON.stringify(events));
      const other = { name: 'Sam Okafor', email: 'sam.okafor@contoso-dental.example' };
      const byOther = event('ChangeRequestLogged', { ...requestLogged(CR_3, 3).data, requestedBy: other });
      const byClient = event('ChangeRequestLogged', {
        ...requestLogged(CR_4, 4).data,
        requestedBy: { ...projectOpened.data.client },
      });
      const state = stateAfter(
        readBack([...baselined, requestLogged(CR_1, 1), requestLogged(CR_2, 2), byOther, byClient]),
      );
      const requester = (id: string) => state.changeRequests[id].requestedBy;
      expect(requester(CR_1)).toEqual(REQUESTER);
      expect(requester(CR_2)).toBe(requester(CR_1));
      expect(requester(CR_3)).toEqual(other);
      expect(requester(CR_3)).not.toBe(requester(CR_2));
      expect(requester(CR_4)).toBe(state.client);
    },
  );
});
