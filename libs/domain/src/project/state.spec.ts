import { event, eventTime, ProjectEvent } from './events';
import {
  approvedChanges,
  calendarOf,
  currentContractValue,
  evolve,
  foldEvents,
  initialProjectState,
  liveCardOf,
  ProjectState,
  RecordChange,
  recordChanges,
  signedOrders,
} from './state';
import { stateAfter } from '../testing/decider-specification';
import {
  ADD_SI_4,
  ADD_SI_5,
  baselined,
  BASELINE_TOTAL,
  cardAdded,
  cardCancelled,
  CO_1,
  CO_2,
  co1SignedWithItsWork,
  CR_1,
  CR_2,
  CR_3,
  CR_4,
  ESTABLISHED_AT,
  EXPIRES_AT,
  LOGGED_AT,
  M1,
  M2,
  M3,
  MODIFY_SI_1,
  OPENED_AT,
  onOrder,
  orderDrafted,
  orderIssued,
  orderSigned,
  orderVoided,
  projectOpened,
  REMOVE_SI_3,
  requestAssessed,
  requestLogged,
  SI_1,
  SI_1_WITH_SHARED_MAILBOXES,
  SI_2,
  SI_3,
  SI_4,
  SI_5,
  SIGNED_AT,
  VOIDED_AT,
  withIssuedOrder,
  withSignedOrder,
} from '../testing/project.fixture';

const CR_8 = '7a1d2c3b-0008-4c5d-8e6f-000000000008';
const CR_9 = '7a1d2c3b-0009-4c5d-8e6f-000000000009';
const CO_2_SIGNED_AT = '2026-03-12T09:00:00.000Z';

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
  orderDrafted(CO_2, 2, [CR_3, CR_4], [onOrder(REMOVE_SI_3, CR_3, 3), onOrder(ADD_SI_5, CR_4, 4, true)], {
    amount: -180_000,
    absorbed: 14_325,
    draftedAt: '2026-03-10T09:00:00.000Z',
  }),
  orderIssued(CO_2, {
    originalContract: BASELINE_TOTAL,
    previouslyApproved: 195_788,
    issuedAt: '2026-03-10T10:00:00.000Z',
    expiresAt: '2026-03-24T10:00:00.000Z',
  }),
  orderSigned(CO_2, CO_2_SIGNED_AT),
  cardCancelled('C-3', CO_2, CO_2_SIGNED_AT),
  cardAdded(5, SI_5, CO_2, CO_2_SIGNED_AT),
];

/** Each milestone's ref and the working days it has moved, in schedule order. */
const shifts = (state: ProjectState) => [...state.milestones.values()].map((m) => [m.ref, m.shift]);

describe('the schedule', () => {
  it('starts with no milestone moved', () => {
    const state = stateAfter(baselined);
    expect(shifts(state)).toEqual([
      ['M1', 0],
      ['M2', 0],
      ['M3', 0],
    ]);
    expect(state.milestones.get('M2')).toEqual({ ...M2, shift: 0 });
  });

  it('a shift on a milestone moves it and every later milestone, not the earlier ones', () => {
    const state = stateAfter([...baselined, ...scheduleChange(CR_8, 1, CO_1, 1, { milestone: 'M2', workingDays: 2 })]);
    expect(shifts(state)).toEqual([
      ['M1', 0],
      ['M2', 2],
      ['M3', 2],
    ]);
  });

  it('a shift on the first milestone moves them all', () => {
    const state = stateAfter([...baselined, ...scheduleChange(CR_8, 1, CO_1, 1, { milestone: 'M1', workingDays: 3 })]);
    expect(shifts(state)).toEqual([
      ['M1', 3],
      ['M2', 3],
      ['M3', 3],
    ]);
  });

  it('adds up the shifts of successive signed orders, including ones that pull dates in', () => {
    const state = stateAfter([
      ...baselined,
      ...scheduleChange(CR_8, 1, CO_1, 1, { milestone: 'M2', workingDays: 2 }),
      ...scheduleChange(CR_9, 2, CO_2, 2, { milestone: 'M1', workingDays: -1 }),
    ]);
    // M1: -1; M2: 2 - 1 = 1; M3: 2 - 1 = 1
    expect(shifts(state)).toEqual([
      ['M1', -1],
      ['M2', 1],
      ['M3', 1],
    ]);
  });

  it('takes "later" from the due dates, whatever order the baseline lists the milestones in', () => {
    const listedOutOfOrder = event('BaselineEstablished', {
      items: [SI_1],
      milestones: [M3, M1, M2],
      total: 382_000,
      establishedAt: ESTABLISHED_AT,
    });
    const state = stateAfter([
      projectOpened,
      listedOutOfOrder,
      cardAdded(1, SI_1),
      ...scheduleChange(CR_8, 1, CO_1, 1, { milestone: 'M2', workingDays: 3 }),
    ]);
    expect([...state.milestones.keys()]).toEqual(['M1', 'M2', 'M3']);
    expect(shifts(state)).toEqual([
      ['M1', 0],
      ['M2', 3],
      ['M3', 3],
    ]);
  });

  it("gives current due dates in working days, skipping the project's holidays", () => {
    const state = stateAfter([...baselined, ...scheduleChange(CR_8, 1, CO_1, 1, { milestone: 'M2', workingDays: 5 })]);
    const due = (ref: string) => {
      const milestone = state.milestones.get(ref)!;
      return calendarOf(state).addWorkingDays(milestone.due, milestone.shift);
    };
    expect(due(M1.ref)).toBe('2026-03-13');
    // 27 March + 5: 30, 31 March, 1, 2 April, (Good Friday), 6 April
    expect(due(M2.ref)).toBe('2026-04-06');
    // 10 April + 5: 13 to 17 April
    expect(due(M3.ref)).toBe('2026-04-17');
  });

  it('is not moved by an order awaiting signature', () => {
    const state = stateAfter([
      ...baselined,
      ...scheduleChange(CR_8, 1, CO_1, 1, { milestone: 'M1', workingDays: 4 }, 'issued'),
    ]);
    expect(shifts(state)).toEqual([
      ['M1', 0],
      ['M2', 0],
      ['M3', 0],
    ]);
  });
});

describe('the current scope', () => {
  it('is the baseline before anything is signed', () => {
    const state = stateAfter(withIssuedOrder);
    expect([...state.scope.keys()]).toEqual(['SI-1', 'SI-2', 'SI-3']);
    expect(state.scope.get('SI-1')).toEqual({ ...SI_1, origin: 'baseline', removed: false, changedBy: [] });
    expect(state.scope.get('SI-4')).toBeUndefined();
  });

  it('applies the lines of signed orders in signing order: adds, modifies and removes', () => {
    const state = stateAfter(withTwoSignedOrders);
    expect([...state.scope.values()]).toEqual([
      { ...SI_1_WITH_SHARED_MAILBOXES, origin: 'baseline', removed: false, changedBy: [1], lastOp: 'modify' },
      { ...SI_2, origin: 'baseline', removed: false, changedBy: [] },
      { ...SI_3, origin: 'baseline', removed: true, changedBy: [2], lastOp: 'remove' },
      { ...SI_4, origin: 'added', removed: false, changedBy: [1], lastOp: 'add' },
      { ...SI_5, origin: 'added', removed: false, changedBy: [2], lastOp: 'add' },
    ]);
    expect([...state.scope.keys()]).toEqual(['SI-1', 'SI-2', 'SI-3', 'SI-4', 'SI-5']);
    expect(state.baseline.items).toEqual([SI_1, SI_2, SI_3]);
  });

  it('marks the requests on a signed order as approved', () => {
    const state = stateAfter(withTwoSignedOrders);
    expect([CR_1, CR_2, CR_3, CR_4].map((id) => state.changeRequests.get(id)?.status)).toEqual([
      'approved',
      'approved',
      'approved',
      'approved',
    ]);
    expect(signedOrders(state).map((o) => o.id)).toEqual([CO_1, CO_2]);
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
      orderVoided(CO_1, 'Revising'),
      event('ChangeOrderExpired', { changeOrderId: CO_1, expiredAt: EXPIRES_AT }),
    ];
    const before = stateAfter(withIssuedOrder);
    for (const closing of closings) {
      const state = stateAfter([...withIssuedOrder, closing]);
      expect(state.scope).toEqual(before.scope);
      expect(shifts(state)).toEqual([
        ['M1', 0],
        ['M2', 0],
        ['M3', 0],
      ]);
      expect(approvedChanges(state)).toBe(0);
      expect(signedOrders(state)).toEqual([]);
    }
  });
});

describe('the signed orders', () => {
  it('come in the order they were signed, not the order they were drafted', () => {
    const state = stateAfter([
      ...baselined,
      ...scheduleChange(CR_8, 1, CO_1, 1, { milestone: 'M2', workingDays: 2 }, 'issued'),
      ...scheduleChange(CR_9, 2, CO_2, 2, { milestone: 'M3', workingDays: 1 }, 'issued'),
      orderSigned(CO_2, '2026-03-09T10:00:00.000Z'),
      orderSigned(CO_1, '2026-03-11T10:00:00.000Z'),
    ]);
    expect([...state.changeOrders.keys()]).toEqual([CO_1, CO_2]);
    expect(signedOrders(state).map((o) => o.id)).toEqual([CO_2, CO_1]);
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
    expect(afterSecond.changeOrders.get(CO_2)?.absorbed).toBe(14_325);
  });
});

describe('the cards', () => {
  it('keep a card cancelled by a signed order, flagged, with no live card left for its item', () => {
    const state = stateAfter(withTwoSignedOrders);
    expect([...state.cards.keys()]).toEqual(['C-1', 'C-2', 'C-3', 'C-4', 'C-5']);
    expect(state.cards.get('C-3')).toMatchObject({ ref: 'SI-3', cancelled: true });
    expect(state.cards.get('C-1')).toMatchObject({ estimateCentiHours: 4825, cancelled: false });
    expect(state.cards.get('C-5')?.admittedBy).toEqual({ kind: 'change_order', changeOrderId: CO_2 });
    expect(['SI-1', 'SI-3', 'SI-5'].map((ref) => liveCardOf(state, ref)?.id)).toEqual(['C-1', undefined, 'C-5']);
  });
});

describe('folding a stream', () => {
  it('keeps when each fact happened, as its event says', () => {
    const state = foldEvents([projectOpened, requestLogged(CR_1, 1)]);
    expect(state.openedAt).toBe(OPENED_AT);
    expect(state.changeRequests.get(CR_1)?.loggedAt).toBe(LOGGED_AT);
    expect(state.lastEventAt).toBe(LOGGED_AT);
  });

  it('rebuilds any past moment from the events up to it', () => {
    const moment = '2026-03-06T12:00:00.000Z';
    const past = foldEvents(withSignedOrder.filter((e) => eventTime(e) <= moment));
    expect(past).toEqual(stateAfter(withIssuedOrder));
    expect(past.changeOrders.get(CO_1)?.status).toBe('issued');
  });

  it('keeps the latest time it has seen when an event tells of an earlier moment', () => {
    // The signer looks at the order after it ran out; the sweeper records the expiry later still.
    const viewedLate = event('ChangeOrderViewed', { changeOrderId: CO_1, viewedAt: '2026-03-20T12:00:00.000Z' });
    const expired = event('ChangeOrderExpired', { changeOrderId: CO_1, expiredAt: EXPIRES_AT });
    const state = stateAfter([...withIssuedOrder, viewedLate, expired]);
    expect(state.changeOrders.get(CO_1)).toMatchObject({ status: 'expired', closedAt: EXPIRES_AT });
    expect(state.lastEventAt).toBe('2026-03-20T12:00:00.000Z');
  });

  it('gives the same state all at once, one event at a time, or continued from part of the stream', () => {
    const all = foldEvents(withTwoSignedOrders);
    expect(withTwoSignedOrders.reduce(evolve, initialProjectState)).toEqual(all);
    expect(foldEvents(withTwoSignedOrders.slice(12), foldEvents(withTwoSignedOrders.slice(0, 12)))).toEqual(all);
  });

  it('gives the same state from events read back from storage', () => {
    const readBack: ProjectEvent[] = JSON.parse(JSON.stringify(withTwoSignedOrders));
    expect(foldEvents(readBack)).toEqual(foldEvents(withTwoSignedOrders));
  });

  it('never changes the state it starts from', () => {
    const initially = structuredClone(initialProjectState);
    const issued = stateAfter(withIssuedOrder);
    const asIssued = structuredClone(issued);

    foldEvents(co1SignedWithItsWork, issued);
    evolve(issued, orderVoided(CO_1, 'Revising'));
    evolve(issued, event('ChangeOrderViewed', { changeOrderId: CO_1, viewedAt: '2026-03-06T11:00:00.000Z' }));

    expect(issued).toEqual(asIssued);
    expect(issued.changeOrders.get(CO_1)?.status).toBe('issued');
    expect(issued.scope.has('SI-4')).toBe(false);
    expect(initialProjectState).toEqual(initially);
  });

  it('lets two folds from the same state go their own ways', () => {
    const issued = stateAfter(withIssuedOrder);
    const signed = foldEvents(co1SignedWithItsWork, issued);
    const voided = evolve(issued, orderVoided(CO_1, 'Revising'));

    expect(signed.changeOrders.get(CO_1)?.status).toBe('signed');
    expect(signed.changeRequests.get(CR_1)?.status).toBe('approved');
    expect(signed.scope.get('SI-4')?.removed).toBe(false);
    expect(signed.milestones.get('M2')?.shift).toBe(2);
    expect(signed.cards.has('C-4')).toBe(true);

    expect(voided.changeOrders.get(CO_1)).toMatchObject({ status: 'voided', closedAt: VOIDED_AT });
    expect(voided.changeRequests.get(CR_1)?.status).toBe('assessed');
    expect(voided.scope.has('SI-4')).toBe(false);
    expect(voided.milestones.get('M2')?.shift).toBe(0);
    expect(voided.cards.has('C-4')).toBe(false);
  });
});

/** Which record a change is: its kind and key. */
function named(change: RecordChange): string {
  switch (change.kind) {
    case 'project':
      return 'project';
    case 'milestone':
    case 'scopeItem':
      return `${change.kind} ${change.record.ref}`;
    default:
      return `${change.kind} ${change.record.id}`;
  }
}

describe('the records an event changes', () => {
  const issued = stateAfter(withIssuedOrder);

  it("for a signature: the order, its requests, its lines' scope items and the milestones, nothing else", () => {
    const changes = recordChanges(orderSigned(CO_1), issued);
    expect(changes.map(named)).toEqual([
      'project',
      `changeOrder ${CO_1}`,
      `changeRequest ${CR_1}`,
      `changeRequest ${CR_2}`,
      'scopeItem SI-4',
      'scopeItem SI-1',
      'milestone M1',
      'milestone M2',
      'milestone M3',
    ]);
    const records = changes.flatMap((c) => (c.kind === 'project' ? [] : [c.record]));
    expect(records).toEqual([
      expect.objectContaining({
        id: CO_1,
        status: 'signed',
        signature: expect.objectContaining({ signedAt: SIGNED_AT }),
      }),
      expect.objectContaining({ id: CR_1, status: 'approved', changeOrderId: CO_1 }),
      expect.objectContaining({ id: CR_2, status: 'approved', changeOrderId: CO_1 }),
      { ...SI_4, origin: 'added', removed: false, changedBy: [1], lastOp: 'add' },
      { ...SI_1_WITH_SHARED_MAILBOXES, origin: 'baseline', removed: false, changedBy: [1], lastOp: 'modify' },
      { ...M1, shift: 0 },
      { ...M2, shift: 2 },
      { ...M3, shift: 2 },
    ]);
    expect(changes[0]).toMatchObject({ kind: 'project', header: { lastEventAt: SIGNED_AT } });
  });

  it('are what the fold applies', () => {
    const signed = evolve(issued, orderSigned(CO_1));
    for (const change of recordChanges(orderSigned(CO_1), issued)) {
      if (change.kind === 'changeOrder') expect(signed.changeOrders.get(change.record.id)).toEqual(change.record);
      if (change.kind === 'changeRequest') expect(signed.changeRequests.get(change.record.id)).toEqual(change.record);
      if (change.kind === 'scopeItem') expect(signed.scope.get(change.record.ref)).toEqual(change.record);
      if (change.kind === 'milestone') expect(signed.milestones.get(change.record.ref)).toEqual(change.record);
    }
    // The requests and items the order does not carry stay as they were.
    for (const id of [CR_3, CR_4]) expect(signed.changeRequests.get(id)).toEqual(issued.changeRequests.get(id));
    for (const ref of ['SI-2', 'SI-3']) expect(signed.scope.get(ref)).toEqual(issued.scope.get(ref));
    expect(signed.cards).toEqual(issued.cards);
  });

  it('for a voided order: the order and the requests it frees', () => {
    const changes = recordChanges(orderVoided(CO_1, 'Revising'), issued);
    expect(changes.map(named)).toEqual([
      'project',
      `changeOrder ${CO_1}`,
      `changeRequest ${CR_1}`,
      `changeRequest ${CR_2}`,
    ]);
  });

  it('for an assessment: only the request', () => {
    const logged = stateAfter([...baselined, requestLogged(CR_1, 1)]);
    const changes = recordChanges(requestAssessed(CR_1, [ADD_SI_4, MODIFY_SI_1]), logged);
    expect(changes.map(named)).toEqual(['project', `changeRequest ${CR_1}`]);
  });
});
