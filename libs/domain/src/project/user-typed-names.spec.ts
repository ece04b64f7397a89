import { BaselineItemInput, ProjectCommand } from './commands';
import { decide } from './decide';
import { BoardColumn, event, PricedScopeItem, ProjectEvent, ProjectEventMap, ProjectEventType } from './events';
import {
  currentContractValue,
  foldEvents,
  initialProjectState,
  liveCardOf,
  ProjectState,
  ScopeItemState,
  signedOrders,
} from './state';
import { given } from '../testing/decider-specification';
import {
  cardAdded,
  CLIENT,
  CR_1,
  DOCUMENT_SHA256,
  ESTABLISHED_AT,
  M1,
  PROJECT_ID,
  projectOpened,
  REQUESTER,
  requestLogged,
  SI_2,
  SIGNED_DOCUMENT_SHA256,
  SIGNER,
  SIGNING_TOKEN_NONCE,
  SIGNING_TOKEN_SHA256,
} from '../testing/project.fixture';

/** Names that are also properties of every plain JavaScript object. */
const NAMES = ['toString', 'constructor', 'valueOf', 'hasOwnProperty', '__proto__'];

/** Cents per hour. Built from entries: in an object literal `__proto__` would set the prototype, not a role. */
const RATE_CARD: Record<string, number> = Object.fromEntries([
  ['toString', 10_000],
  ['constructor', 12_000],
  ['valueOf', 15_000],
  ['hasOwnProperty', 9_550],
  ['__proto__', 19_500],
]);

const ITEMS: BaselineItemInput[] = [
  { ref: 'constructor', title: 'Build the constructor page', role: 'valueOf', hours: 10 },
  { ref: 'valueOf', title: 'Value the old stock', role: 'hasOwnProperty', hours: 2.5 },
  { ref: 'hasOwnProperty', title: 'Survey the property', role: '__proto__', hours: 4 },
  { ref: '__proto__', title: 'Prototype the kiosk', role: 'toString', hours: 1, fixedCost: 5_000 },
];
// constructor 10 h x 15,000 = 150,000; valueOf 2.5 h x 9,550 = 23,875; hasOwnProperty 4 h x 19,500 = 78,000;
// __proto__ 1 h x 10,000 + 5,000 = 15,000; total 266,875
const BASELINE_TOTAL = 266_875;

const MILESTONES = [
  { ref: 'toString', name: 'Kick-off', due: '2026-03-06' },
  { ref: 'constructor', name: 'Design', due: '2026-03-13' },
  { ref: 'valueOf', name: 'Build', due: '2026-03-20' },
  { ref: 'hasOwnProperty', name: 'Test', due: '2026-03-27' },
  { ref: '__proto__', name: 'Handover', due: '2026-04-10' },
];

// 3 h x 12,000 (constructor) = 36,000
const TO_STRING_ADDED: PricedScopeItem = {
  ref: 'toString',
  title: 'Tidy the toString output',
  role: 'constructor',
  centiHours: 300,
  fixedCost: 0,
  rate: 12_000,
  cost: 36_000,
};
// 5 h x 15,000 (valueOf) = 75,000; 75,000 - 36,000 = 39,000 more
const TO_STRING_MODIFIED: PricedScopeItem = {
  ...TO_STRING_ADDED,
  role: 'valueOf',
  centiHours: 500,
  rate: 15_000,
  cost: 75_000,
};

const CR_IDS = [1, 2, 3].map((n) => `7a1d2c3b-000${n}-4c5d-8e6f-0000000000a${n}`);
const CO_IDS = [1, 2, 3].map((n) => `3e8f9a0b-000${n}-4b2c-9d3e-0000000000a${n}`);

/** Runs commands one after the other, as the server does: decide against the state so far, then fold. */
function run(commands: ProjectCommand[]): { events: ProjectEvent[]; state: ProjectState } {
  let state = initialProjectState;
  const events: ProjectEvent[] = [];
  for (const command of commands) {
    const produced = decide(command, state);
    state = foldEvents(produced, state);
    events.push(...produced);
  }
  return { events, state };
}

/** Logs a request, assesses it, and takes it through draft, issue and signature on its own order, on day `day`. */
function changeThroughSignature(
  n: number,
  day: string,
  assessment: Pick<Extract<ProjectCommand, { type: 'AssessChangeRequest' }>, 'lines' | 'schedule'>,
): ProjectCommand[] {
  const at = (time: string) => `2026-03-${day}T${time}:00.000Z`;
  const changeRequestId = CR_IDS[n - 1];
  const changeOrderId = CO_IDS[n - 1];
  return [
    {
      type: 'LogChangeRequest',
      now: at('08:00'),
      changeRequestId,
      title: `Change ${n}`,
      description: 'Asked for on site',
      source: 'meeting',
      requestedBy: REQUESTER,
    },
    { type: 'AssessChangeRequest', now: at('09:00'), changeRequestId, noCharge: false, ...assessment },
    {
      type: 'DraftChangeOrder',
      now: at('10:00'),
      changeOrderId,
      changeRequestIds: [changeRequestId],
      signer: SIGNER,
      expiresInDays: 14,
      terms: 'As agreed.',
    },
    {
      type: 'IssueChangeOrder',
      now: at('11:00'),
      changeOrderId,
      documentSha256: DOCUMENT_SHA256,
      signingTokenSha256: SIGNING_TOKEN_SHA256,
      signingTokenNonce: SIGNING_TOKEN_NONCE,
    },
    { type: 'RecordChangeOrderView', now: at('14:00'), changeOrderId },
    {
      type: 'RecordSignerConsent',
      now: at('14:30'),
      changeOrderId,
      disclosureVersion: 'esign-consent-1',
      disclosureSha256: DOCUMENT_SHA256,
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0',
    },
    {
      type: 'SignChangeOrder',
      now: at('15:00'),
      changeOrderId,
      name: SIGNER.name,
      consent: true,
      documentSha256: DOCUMENT_SHA256,
      signature: 'typed',
      signedDocumentSha256: SIGNED_DOCUMENT_SHA256,
      consentVersion: 'esign-consent-1',
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0',
    },
  ];
}

const story: ProjectCommand[] = [
  {
    type: 'OpenProject',
    now: '2026-03-02T08:00:00.000Z',
    projectId: PROJECT_ID,
    name: 'Kiosk roll-out',
    client: CLIENT,
    currency: 'USD',
    rates: RATE_CARD,
    startDate: '2026-03-02',
    holidays: [],
  },
  { type: 'EstablishBaseline', now: '2026-03-02T10:00:00.000Z', items: ITEMS, milestones: MILESTONES },
  // CR-1 adds toString and moves the first milestone, toString, by a working day: every milestone moves.
  ...changeThroughSignature(1, '03', {
    lines: [{ op: 'add', ref: 'toString', title: 'Tidy the toString output', role: 'constructor', hours: 3 }],
    schedule: [{ milestone: 'toString', workingDays: 1 }],
  }),
  // CR-2 gives toString 5 h at the valueOf rate and moves valueOf and the milestones after it by two.
  ...changeThroughSignature(2, '04', {
    lines: [{ op: 'modify', ref: 'toString', role: 'valueOf', hours: 5 }],
    schedule: [{ milestone: 'valueOf', workingDays: 2 }],
  }),
  // CR-3 removes toString again and pulls the last milestone, __proto__, in by one.
  ...changeThroughSignature(3, '05', {
    lines: [{ op: 'remove', ref: 'toString' }],
    schedule: [{ milestone: '__proto__', workingDays: -1 }],
  }),
];

/** The payloads of the events of one type, in order. */
function only<K extends ProjectEventType>(events: ProjectEvent[], type: K): ProjectEventMap[K][] {
  return events.flatMap((e) => (e.type === type ? [e.data as ProjectEventMap[K]] : []));
}

describe('names a user types that are also names of object properties', () => {
  let events: ProjectEvent[];
  let state: ProjectState;
  beforeAll(() => ({ events, state } = run(story)));

  it('open a project whose rate card has them as roles', () => {
    const [opened] = only(events, 'ProjectOpened');
    expect(Object.entries(opened.rates)).toEqual(Object.entries(RATE_CARD));
    expect([...state.rates]).toEqual(Object.entries(RATE_CARD));
  });

  it('price baseline items named and staffed with them, and order milestones named with them', () => {
    const [baseline] = only(events, 'BaselineEstablished');
    expect(baseline.items.map((i) => [i.ref, i.role, i.rate, i.cost])).toEqual([
      ['constructor', 'valueOf', 15_000, 150_000],
      ['valueOf', 'hasOwnProperty', 9_550, 23_875],
      ['hasOwnProperty', '__proto__', 19_500, 78_000],
      ['__proto__', 'toString', 10_000, 15_000],
    ]);
    expect(baseline.total).toBe(BASELINE_TOTAL);
    expect([...state.milestones.keys()]).toEqual(NAMES);
  });

  it('price adding, modifying and removing the item toString exactly', () => {
    expect(only(events, 'ChangeRequestAssessed').map((a) => a.lines)).toEqual([
      [{ op: 'add', ref: 'toString', item: TO_STRING_ADDED, costDelta: 36_000, centiHoursDelta: 300 }],
      [
        {
          op: 'modify',
          ref: 'toString',
          item: TO_STRING_MODIFIED,
          before: TO_STRING_ADDED,
          costDelta: 39_000,
          centiHoursDelta: 200,
        },
      ],
      [
        {
          op: 'remove',
          ref: 'toString',
          item: TO_STRING_MODIFIED,
          before: TO_STRING_MODIFIED,
          costDelta: -75_000,
          centiHoursDelta: -500,
        },
      ],
    ]);
    expect(only(events, 'ChangeOrderDrafted').map((o) => [o.amount, o.absorbed])).toEqual([
      [36_000, 0],
      [39_000, 0],
      [-75_000, 0],
    ]);
    // Previously approved: nothing, then CO-1's 36,000, then 36,000 + 39,000 = 75,000
    expect(only(events, 'ChangeOrderIssued').map((i) => [i.originalContract, i.previouslyApproved])).toEqual([
      [BASELINE_TOTAL, 0],
      [BASELINE_TOTAL, 36_000],
      [BASELINE_TOTAL, 75_000],
    ]);
  });

  it('leave the signed scope, milestones, contract and board right', () => {
    expect(signedOrders(state).map((o) => o.number)).toEqual([1, 2, 3]);
    // 266,875 + 36,000 + 39,000 - 75,000
    expect(currentContractValue(state)).toBe(266_875);
    const scope = (item: ScopeItemState) => [item.ref, item.cost, item.removed, item.changedBy, item.lastOp];
    expect([...state.scope.values()].map(scope)).toEqual([
      ['constructor', 150_000, false, [], undefined],
      ['valueOf', 23_875, false, [], undefined],
      ['hasOwnProperty', 78_000, false, [], undefined],
      ['__proto__', 15_000, false, [], undefined],
      ['toString', 75_000, true, [1, 2, 3], 'remove'],
    ]);
    // toString +1 moves all five; valueOf +2 moves it and the two after it; __proto__ -1 moves only itself
    expect([...state.milestones.values()].map((m) => [m.ref, m.shift])).toEqual([
      ['toString', 1],
      ['constructor', 1],
      ['valueOf', 3],
      ['hasOwnProperty', 3],
      ['__proto__', 2],
    ]);
    expect([...state.cards.values()].map((c) => [c.id, c.ref, c.role, c.estimateCentiHours, c.cancelled])).toEqual([
      ['C-1', 'constructor', 'valueOf', 1000, false],
      ['C-2', 'valueOf', 'hasOwnProperty', 250, false],
      ['C-3', 'hasOwnProperty', '__proto__', 400, false],
      ['C-4', '__proto__', 'toString', 100, false],
      ['C-5', 'toString', 'valueOf', 500, true],
    ]);
    expect(NAMES.map((ref) => liveCardOf(state, ref)?.id)).toEqual([undefined, 'C-1', 'C-2', 'C-3', 'C-4']);
  });

  it('survive being stored and read back: no amount is lost, the fold is the same', () => {
    const readBack: ProjectEvent[] = JSON.parse(JSON.stringify(events));
    expect(readBack).toEqual(events);
    expect(foldEvents(readBack)).toEqual(state);
  });
});

describe('a name that is not on the project', () => {
  // The rate card has only engineer; the baseline holds SI-2 (card C-1) and milestone M1.
  const engineersOnly: ProjectEvent[] = [
    event('ProjectOpened', { ...projectOpened.data, rates: { engineer: 15_000 } }),
    event('BaselineEstablished', { items: [SI_2], milestones: [M1], total: 187_500, establishedAt: ESTABLISHED_AT }),
    cardAdded(1, SI_2),
    requestLogged(CR_1, 1),
  ];
  const assess = (
    lines: Extract<ProjectCommand, { type: 'AssessChangeRequest' }>['lines'],
    schedule: { milestone: string; workingDays: number }[] = [],
  ): ProjectCommand => ({
    type: 'AssessChangeRequest',
    now: '2026-03-04T11:00:00.000Z',
    changeRequestId: CR_1,
    lines,
    schedule,
    noCharge: false,
  });

  it.each(NAMES)('is refused as a role of an added item: %s', (role) => {
    given(engineersOnly)
      .when(assess([{ op: 'add', ref: 'SI-9', title: 'Extra work', role, hours: 1 }]))
      .thenThrows('invalid', `Role ${role} is not on the project's rate card (engineer)`, 'lines[0].role');
  });

  it.each(NAMES)('is refused as the new role of a modified item: %s', (role) => {
    given(engineersOnly)
      .when(assess([{ op: 'modify', ref: 'SI-2', role }]))
      .thenThrows('invalid', `Role ${role} is not on the project's rate card (engineer)`, 'lines[0].role');
  });

  it.each(NAMES)('is refused as a baseline role: %s', (role) => {
    given(engineersOnly.slice(0, 1))
      .when({
        type: 'EstablishBaseline',
        now: ESTABLISHED_AT,
        items: [{ ref: 'SI-1', title: 'Work', role, hours: 1 }],
        milestones: [],
      })
      .thenThrows('invalid', `Role ${role} is not on the project's rate card (engineer)`, 'items[0].role');
  });

  it.each(NAMES)('is refused as a scope item to modify or remove: %s', (ref) => {
    given(engineersOnly)
      .when(assess([{ op: 'modify', ref, hours: 2 }]))
      .thenThrows('invalid', `Scope item ${ref} is not in the current scope`, 'lines[0].ref');
    given(engineersOnly)
      .when(assess([{ op: 'remove', ref }]))
      .thenThrows('invalid', `Scope item ${ref} is not in the current scope`, 'lines[0].ref');
  });

  it.each(NAMES)('is refused as a milestone to shift: %s', (milestone) => {
    given(engineersOnly)
      .when(assess([], [{ milestone, workingDays: 1 }]))
      .thenThrows('invalid', `Milestone ${milestone} is not in the baseline`, 'schedule[0].milestone');
  });

  it.each(NAMES)('is refused as a board column: %s', (column) => {
    given(engineersOnly)
      .when({ type: 'MoveCard', now: '2026-03-04T11:00:00.000Z', cardId: 'C-1', to: column as BoardColumn })
      .thenThrows('invalid', 'Column must be one of', 'to');
    given(engineersOnly)
      .when({ type: 'SetWipLimits', now: '2026-03-04T11:00:00.000Z', limits: Object.fromEntries([[column, 2]]) })
      .thenThrows('invalid', `Unknown column ${column}`, `limits.${column}`);
  });
});
