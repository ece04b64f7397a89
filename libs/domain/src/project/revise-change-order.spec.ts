import { DomainError } from '../shared/domain-error';
import { issueFigures, orderMilestoneDates, revisionRestatesFigures, staleFiguresRefusal } from './change-orders';
import { ProjectCommand } from './commands';
import { decide } from './decide';
import { event, ProjectEvent } from './events';
import { orderNumber } from './rules';
import { foldEvents, ProjectState } from './state';

/**
 * Two orders issued while nothing was signed, then signed in the other order:
 *
 * Baseline 11,365.06 USD: SI-1 engineer 10 h x 150.00 + fixed 7,865.06 = 9,365.06;
 *   SI-2 engineer 4 h x 150.00 + fixed 1,400.00 = 2,000.00.
 * Milestones M1 2026-11-13, M2 2026-12-02 (Wed), M3 2027-01-08 (Fri); holidays 2026-12-25 and 2027-01-01.
 *   CO-1 adds SI-3 (1 h x 150.00 + 838.59 = +988.59) and moves M3 +4 working days.
 *   CO-2 removes SI-2 (-2,000.00) and moves M2 +2 (12-02 -> 12-04), which carries M3 (01-08 -> 01-12).
 * CO-2 is signed first, so CO-1's "previously signed 0.00" and "M3 before: 01-08" no longer hold.
 */
const PROJECT = '6a0c61e4-5a38-4a43-9b64-4c9a1d0e7f01';
const CR = ['cr-1', 'cr-2', 'cr-3'];
const CO_1 = 'co-1';
const CO_2 = 'co-2';
const CO_3 = 'co-3';
const HASH = (c: string) => c.repeat(64);
const SIGNER = { name: 'Priya Raman', email: 'priya.raman@contoso.example' };

const setup: ProjectCommand[] = [
  {
    type: 'OpenProject',
    now: '2026-10-01T08:00:00.000Z',
    projectId: PROJECT,
    name: 'Branch office refresh',
    client: { name: 'Contoso', email: 'it@contoso.example' },
    currency: 'USD',
    rates: { engineer: 15_000 },
    startDate: '2026-10-01',
    holidays: ['2026-12-25', '2027-01-01'],
  },
  {
    type: 'EstablishBaseline',
    now: '2026-10-01T09:00:00.000Z',
    items: [
      { ref: 'SI-1', title: 'Network refresh', role: 'engineer', hours: 10, fixedCost: 786_506 },
      { ref: 'SI-2', title: 'Wireless survey', role: 'engineer', hours: 4, fixedCost: 140_000 },
    ],
    milestones: [
      { ref: 'M1', name: 'Design agreed', due: '2026-11-13' },
      { ref: 'M2', name: 'Network live', due: '2026-12-02' },
      { ref: 'M3', name: 'Handover', due: '2027-01-08' },
    ],
  },
  ...requestCommands(
    CR[0],
    [{ op: 'add', ref: 'SI-3', title: 'Guest VLAN', role: 'engineer', hours: 1, fixedCost: 83_859 }],
    [{ milestone: 'M3', workingDays: 4 }],
  ),
  ...requestCommands(CR[1], [{ op: 'remove', ref: 'SI-2' }], [{ milestone: 'M2', workingDays: 2 }]),
  draft(CO_1, CR[0]),
  draft(CO_2, CR[1]),
  issue(CO_1, 'a', '2026-11-02T10:00:00.000Z'),
  issue(CO_2, 'b', '2026-11-02T11:00:00.000Z'),
];

function requestCommands(
  id: string,
  lines: Extract<ProjectCommand, { type: 'AssessChangeRequest' }>['lines'],
  schedule: { milestone: string; workingDays: number }[],
): ProjectCommand[] {
  return [
    {
      type: 'LogChangeRequest',
      now: '2026-10-20T08:00:00.000Z',
      changeRequestId: id,
      title: `Request ${id}`,
      description: 'By email',
      source: 'email',
      requestedBy: SIGNER,
    },
    {
      type: 'AssessChangeRequest',
      now: '2026-10-21T08:00:00.000Z',
      changeRequestId: id,
      lines,
      schedule,
      noCharge: false,
    },
  ];
}

function draft(changeOrderId: string, requestId: string): ProjectCommand {
  const now = '2026-11-01T08:00:00.000Z';
  return {
    type: 'DraftChangeOrder',
    now,
    changeOrderId,
    changeRequestIds: [requestId],
    signer: SIGNER,
    expiresInDays: 30,
    terms: '',
  };
}

function issue(changeOrderId: string, hash: string, now: string): ProjectCommand {
  const link = { signingTokenSha256: HASH('c'), signingTokenNonce: `nonce-${changeOrderId}` };
  return { type: 'IssueChangeOrder', now, changeOrderId, documentSha256: HASH(hash), ...link };
}

function revise(changeOrderId: string, now: string, hash = 'd'): ProjectCommand {
  const link = { signingTokenSha256: HASH('e'), signingTokenNonce: `nonce-${changeOrderId}-r` };
  return { type: 'ReviseChangeOrder', now, changeOrderId, documentSha256: HASH(hash), ...link };
}

function sign(changeOrderId: string, now: string, documentSha256: string): ProjectCommand {
  return {
    type: 'SignChangeOrder',
    now,
    changeOrderId,
    name: SIGNER.name,
    consent: true,
    documentSha256,
    signature: 'typed',
    signedDocumentSha256: HASH('f'),
    consentVersion: 'esign-consent-1',
    ip: '203.0.113.7',
    userAgent: 'jest',
  };
}

/** The signature as recorded, folded in directly: what this suite checks comes after it. */
function signed(changeOrderId: string, signedAt: string, documentSha256: string): ProjectEvent {
  return event('ChangeOrderSigned', {
    changeOrderId,
    signer: SIGNER,
    documentSha256,
    signedDocumentSha256: HASH('f'),
    consentVersion: 'esign-consent-1',
    signature: 'typed',
    signedAt,
    ip: '203.0.113.7',
    userAgent: 'jest',
  });
}

function run(commands: readonly ProjectCommand[], from: ProjectState = foldEvents([])): ProjectState {
  return commands.reduce((state, command) => foldEvents(decide(command, state), state), from);
}

const issuedBoth = () => run(setup);
/** CO-2 signed the day after both were issued. */
const co2Signed = () => foldEvents([signed(CO_2, '2026-11-03T09:00:00.000Z', HASH('b'))], issuedBoth());

function refusal(command: ProjectCommand, state: ProjectState): DomainError {
  try {
    decide(command, state);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`${command.type} was not refused`);
}

describe('an order whose figures changed since it was issued', () => {
  it('is issued with the five price figures and the dates before and after it, as things stood', () => {
    const co1 = issuedBoth().changeOrders.get(CO_1)!;
    expect(co1.issue).toMatchObject({ originalContract: 1_136_506, previouslyApproved: 0 });
    expect(co1.amount).toBe(98_859);
    expect(co1.issue!.schedule).toEqual([
      {
        milestone: 'M3',
        name: 'Handover',
        baselineDue: '2027-01-08',
        dueBefore: '2027-01-08',
        dueAfter: '2027-01-14',
        workingDays: 4,
      },
    ]);
  });

  it('cannot be signed once an order signed since changed the figures it starts from; nothing is appended', () => {
    const state = co2Signed();
    const error = refusal(sign(CO_1, '2026-11-04T09:00:00.000Z', HASH('a')), state);
    expect(error.kind).toBe('conflict');
    expect(error.message).toBe(
      'CO-1 was prepared before CO-2 was signed, so its totals and dates are out of date. ' +
        'The sender must send a revised order; nothing was signed.',
    );
    expect(staleFiguresRefusal(state, state.changeOrders.get(CO_1)!)?.message).toBe(error.message);
  });

  it('holds for an order issued after the signature it follows', () => {
    const state = co2Signed();
    const untouched = run(
      [
        ...requestCommands(CR[2], [{ op: 'add', ref: 'SI-9', title: 'Racks', role: 'engineer', hours: 2 }], []),
        draft(CO_3, CR[2]),
        issue(CO_3, '9', '2026-11-05T09:00:00.000Z'),
      ],
      state,
    );
    expect(staleFiguresRefusal(untouched, untouched.changeOrders.get(CO_3)!)).toBeUndefined();
  });

  it('is revised as CO-1 R1 with the figures of now, a new document and link, the first issue kept on record', () => {
    const before = co2Signed();
    const events = decide(revise(CO_1, '2026-11-04T10:00:00.000Z'), before);
    expect(events).toEqual([
      event('ChangeOrderRevised', {
        changeOrderId: CO_1,
        revision: 1,
        documentSha256: HASH('d'),
        signingTokenSha256: HASH('e'),
        signingTokenNonce: 'nonce-co-1-r',
        ...issueFigures(before, before.changeOrders.get(CO_1)!, '2026-11-04T10:00:00.000Z'),
      }),
    ]);
    const order = foldEvents(events, before).changeOrders.get(CO_1)!;
    expect(orderNumber(order)).toBe('CO-1 R1');
    expect(order).toMatchObject({ status: 'issued', revision: 1 });
    expect(order.issue).toMatchObject({
      documentSha256: HASH('d'),
      previouslyApproved: -200_000,
      expiresAt: '2026-12-05T00:00:00.000Z',
      schedule: [
        { milestone: 'M3', baselineDue: '2027-01-08', dueBefore: '2027-01-12', dueAfter: '2027-01-18', workingDays: 4 },
      ],
    });
    expect(order.issues.map((i) => [i.revision, i.documentSha256])).toEqual([
      [0, HASH('a')],
      [1, HASH('d')],
    ]);
    expect(staleFiguresRefusal(foldEvents(events, before), order)).toBeUndefined();
  });

  it('tells a revision that restates the figures (CO-2 signed since) from one sent again as it was', () => {
    const stale = co2Signed();
    const restated = run([revise(CO_1, '2026-11-04T10:00:00.000Z')], stale).changeOrders.get(CO_1)!;
    // Previously signed 0.00 -> -2,000.00, and M3 before this order 01-08 -> 01-12.
    expect(revisionRestatesFigures(restated, stale.changeOrders.get(CO_1)!.issue!, restated.issue!)).toBe(true);

    // Nothing signed in between (say the signer asked for paper): the same figures on a new link.
    const fresh = issuedBoth();
    const resent = run([revise(CO_1, '2026-11-04T10:00:00.000Z')], fresh).changeOrders.get(CO_1)!;
    expect(revisionRestatesFigures(resent, fresh.changeOrders.get(CO_1)!.issue!, resent.issue!)).toBe(false);
  });

  it('numbers further revisions R2, R3', () => {
    const state = run(
      [revise(CO_1, '2026-11-04T10:00:00.000Z'), revise(CO_1, '2026-11-04T11:00:00.000Z', '7')],
      co2Signed(),
    );
    expect(orderNumber(state.changeOrders.get(CO_1)!)).toBe('CO-1 R2');
    expect(orderNumber({ number: 4 })).toBe('CO-4');
  });

  it('refuses a revision of an order that is not awaiting signature, or whose time ran out', () => {
    const state = co2Signed();
    expect(refusal(revise(CO_2, '2026-11-04T10:00:00.000Z'), state).message).toBe(
      'CO-2 is signed; only an order awaiting signature can be revised',
    );
    const late = refusal(revise(CO_1, '2026-12-03T10:00:00.000Z'), state);
    expect([late.kind, late.message]).toEqual([
      'conflict',
      'CO-1 expired at 2026-12-03T00:00:00.000Z; draft a new order instead',
    ]);
    expect(refusal(revise(CO_1, '2026-11-04T10:00:00.000Z', 'X'), state).field).toBe('documentSha256');
  });
});

describe('the schedule rows an order prints', () => {
  it('give the date before the order as the signed orders left it, and the change between the dates', () => {
    let state = run([revise(CO_1, '2026-11-04T10:00:00.000Z')], co2Signed());
    state = foldEvents([signed(CO_1, '2026-11-05T09:00:00.000Z', HASH('d'))], state);
    state = run([...requestCommands(CR[2], [], [{ milestone: 'M3', workingDays: -1 }]), draft(CO_3, CR[2])], state);
    expect(orderMilestoneDates(state, state.changeOrders.get(CO_3)!)).toEqual([
      {
        milestone: 'M3',
        name: 'Handover',
        baselineDue: '2027-01-08',
        dueBefore: '2027-01-18',
        dueAfter: '2027-01-15',
        workingDays: -1,
      },
    ]);
  });

  it('list every later milestone a shift carries', () => {
    const state = issuedBoth();
    expect(orderMilestoneDates(state, state.changeOrders.get(CO_2)!)).toEqual([
      {
        milestone: 'M2',
        name: 'Network live',
        baselineDue: '2026-12-02',
        dueBefore: '2026-12-02',
        dueAfter: '2026-12-04',
        workingDays: 2,
      },
      {
        milestone: 'M3',
        name: 'Handover',
        baselineDue: '2027-01-08',
        dueBefore: '2027-01-08',
        dueAfter: '2027-01-12',
        workingDays: 2,
      },
    ]);
  });
});
