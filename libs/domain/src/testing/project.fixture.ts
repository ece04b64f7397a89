import {
  DeclineCategory,
  event,
  EventOf,
  Milestone,
  OrderLine,
  OrderScheduleShift,
  Person,
  PricedScopeItem,
  ProjectEvent,
  ScheduleShift,
  ScopeChangeLine,
} from '../project/events';

/**
 * One small Microsoft 365 migration, priced by hand, that the project specs build on.
 * Every figure is in US cents; the arithmetic sits beside it. Each event happens at the
 * moment the specs' commands use for it, so a decider's output can be compared with these.
 */

export const PROJECT_ID = '0b9f7f3e-0f5c-4a59-9d52-6a1f1f0c2a11';
export const CLIENT: Person = { name: 'Contoso Dental Group', email: 'it@contoso-dental.example' };
export const REQUESTER: Person = { name: 'Dana Whitfield', email: 'dana.whitfield@contoso-dental.example' };
export const SIGNER: Person = { name: 'Priya Raman', email: 'priya.raman@contoso-dental.example' };

/** Cents per hour: USD 150.00, USD 95.50, USD 195.00. */
export const RATES = { engineer: 15_000, technician: 9_550, architect: 19_500 };
export const START_DATE = '2026-03-02'; // a Monday
export const GOOD_FRIDAY = '2026-04-03';

// When each step happens, unless a spec says otherwise.
export const OPENED_AT = '2026-03-02T08:00:00.000Z';
export const ESTABLISHED_AT = '2026-03-02T10:00:00.000Z';
export const RECEIVED_AT = '2026-03-03T08:15:00.000Z';
export const LOGGED_AT = '2026-03-03T08:20:00.000Z';
export const ASSESSED_AT = '2026-03-04T11:00:00.000Z';
export const REQUEST_DECLINED_AT = '2026-03-04T12:00:00.000Z';
export const DRAFTED_AT = '2026-03-05T09:00:00.000Z';
export const ISSUED_AT = '2026-03-06T10:30:00.000Z';
export const VOIDED_AT = '2026-03-07T15:00:00.000Z';
export const SIGNED_AT = '2026-03-09T14:00:00.000Z';
// 14 days after ISSUED_AT
export const EXPIRES_AT = '2026-03-20T10:30:00.000Z';

export const projectOpened = event('ProjectOpened', {
  projectId: PROJECT_ID,
  name: 'Microsoft 365 migration',
  client: CLIENT,
  currency: 'USD',
  rates: RATES,
  startDate: START_DATE,
  holidays: [GOOD_FRIDAY],
  openedAt: OPENED_AT,
});

// 40 h x 9,550 = 382,000
export const SI_1: PricedScopeItem = {
  ref: 'SI-1',
  title: 'Migrate 120 mailboxes',
  role: 'technician',
  centiHours: 4000,
  fixedCost: 0,
  rate: 9_550,
  cost: 382_000,
};
// 12.5 h x 15,000 = 187,500
export const SI_2: PricedScopeItem = {
  ref: 'SI-2',
  title: 'Configure Intune enrolment',
  role: 'engineer',
  centiHours: 1250,
  fixedCost: 0,
  rate: 15_000,
  cost: 187_500,
};
// 4 h x 15,000 + 120,000 appliance = 60,000 + 120,000 = 180,000
export const SI_3: PricedScopeItem = {
  ref: 'SI-3',
  title: 'Install backup appliance',
  role: 'engineer',
  centiHours: 400,
  fixedCost: 120_000,
  rate: 15_000,
  cost: 180_000,
};
// 382,000 + 187,500 + 180,000
export const BASELINE_TOTAL = 749_500;

export const M1: Milestone = { ref: 'M1', name: 'Pilot group migrated', due: '2026-03-13' };
export const M2: Milestone = { ref: 'M2', name: 'All mailboxes migrated', due: '2026-03-27' };
export const M3: Milestone = { ref: 'M3', name: 'Handover', due: '2026-04-10' };

export const baselineEstablished = event('BaselineEstablished', {
  items: [SI_1, SI_2, SI_3],
  milestones: [M1, M2, M3],
  total: BASELINE_TOTAL,
  establishedAt: ESTABLISHED_AT,
});

/** A card for a baseline item is added with the baseline; one for an order's work when the order is signed. */
export function cardAdded(
  number: number,
  item: PricedScopeItem,
  changeOrderId?: string,
  addedAt = changeOrderId ? SIGNED_AT : ESTABLISHED_AT,
): EventOf<'BoardCardAdded'> {
  return event('BoardCardAdded', {
    cardId: `C-${number}`,
    number,
    ref: item.ref,
    title: item.title,
    role: item.role,
    estimateCentiHours: item.centiHours,
    ...(item.milestone ? { milestone: item.milestone } : {}),
    admittedBy: changeOrderId ? { kind: 'change_order', changeOrderId } : { kind: 'baseline' },
    addedAt,
  });
}

/** A project with its baseline established and a card for each baseline item (C-1 to C-3). */
export const baselined: ProjectEvent[] = [
  projectOpened,
  baselineEstablished,
  cardAdded(1, SI_1),
  cardAdded(2, SI_2),
  cardAdded(3, SI_3),
];

// Change requests ---------------------------------------------------------------------------

export const CR_1 = '7a1d2c3b-0001-4c5d-8e6f-000000000001';
export const CR_2 = '7a1d2c3b-0002-4c5d-8e6f-000000000002';
export const CR_3 = '7a1d2c3b-0003-4c5d-8e6f-000000000003';
export const CR_4 = '7a1d2c3b-0004-4c5d-8e6f-000000000004';

export function requestLogged(
  changeRequestId: string,
  number: number,
  title = `Client request ${number}`,
  loggedAt = LOGGED_AT,
): EventOf<'ChangeRequestLogged'> {
  return event('ChangeRequestLogged', {
    changeRequestId,
    number,
    title,
    description: `${title}, asked for by email`,
    source: 'email',
    requestedBy: REQUESTER,
    receivedAt: RECEIVED_AT,
    loggedAt,
  });
}

// 6 h x 19,500 = 117,000
export const SI_4: PricedScopeItem = {
  ref: 'SI-4',
  title: 'Conditional access baseline',
  role: 'architect',
  centiHours: 600,
  fixedCost: 0,
  rate: 19_500,
  cost: 117_000,
};
export const ADD_SI_4: ScopeChangeLine = {
  op: 'add',
  ref: 'SI-4',
  item: SI_4,
  costDelta: 117_000,
  centiHoursDelta: 600,
};

// 48.25 h x 9,550 = 460,787.50, half up 460,788; delta 460,788 - 382,000 = 78,788 and 4,825 - 4,000 = 825 centi-hours
export const SI_1_WITH_SHARED_MAILBOXES: PricedScopeItem = {
  ...SI_1,
  title: 'Migrate 120 mailboxes and 40 shared mailboxes',
  centiHours: 4825,
  cost: 460_788,
};
export const MODIFY_SI_1: ScopeChangeLine = {
  op: 'modify',
  ref: 'SI-1',
  item: SI_1_WITH_SHARED_MAILBOXES,
  before: SI_1,
  costDelta: 78_788,
  centiHoursDelta: 825,
};

export const REMOVE_SI_3: ScopeChangeLine = {
  op: 'remove',
  ref: 'SI-3',
  item: SI_3,
  before: SI_3,
  costDelta: -180_000,
  centiHoursDelta: -400,
};

// 1.5 h x 9,550 = 14,325
export const SI_5: PricedScopeItem = {
  ref: 'SI-5',
  title: 'Printer driver clean-up',
  role: 'technician',
  centiHours: 150,
  fixedCost: 0,
  rate: 9_550,
  cost: 14_325,
};
export const ADD_SI_5: ScopeChangeLine = {
  op: 'add',
  ref: 'SI-5',
  item: SI_5,
  costDelta: 14_325,
  centiHoursDelta: 150,
};

export function requestAssessed(
  changeRequestId: string,
  lines: ScopeChangeLine[],
  options: { schedule?: ScheduleShift[]; noCharge?: boolean; assessedAt?: string } = {},
): EventOf<'ChangeRequestAssessed'> {
  return event('ChangeRequestAssessed', {
    changeRequestId,
    lines,
    schedule: options.schedule ?? [],
    noCharge: options.noCharge ?? false,
    costDelta: lines.reduce((sum, line) => sum + line.costDelta, 0),
    assessedAt: options.assessedAt ?? ASSESSED_AT,
  });
}

export function requestDeclined(
  changeRequestId: string,
  reason: string,
  category: DeclineCategory,
  declinedAt = REQUEST_DECLINED_AT,
): EventOf<'ChangeRequestDeclined'> {
  return event('ChangeRequestDeclined', { changeRequestId, reason, category, declinedAt });
}

/**
 * CR-1 adds SI-4 and moves M2 by two working days; CR-2 adds shared mailboxes to SI-1;
 * CR-3 removes SI-3; CR-4 adds SI-5 as goodwill (no charge).
 */
export const assessed: ProjectEvent[] = [
  ...baselined,
  requestLogged(CR_1, 1, 'Add conditional access'),
  requestLogged(CR_2, 2, 'Migrate the shared mailboxes too'),
  requestLogged(CR_3, 3, 'Drop the backup appliance'),
  requestLogged(CR_4, 4, 'Clean up printer drivers'),
  requestAssessed(CR_1, [ADD_SI_4], { schedule: [{ milestone: 'M2', workingDays: 2 }] }),
  requestAssessed(CR_2, [MODIFY_SI_1]),
  requestAssessed(CR_3, [REMOVE_SI_3]),
  requestAssessed(CR_4, [ADD_SI_5], { noCharge: true }),
];

// Change orders -----------------------------------------------------------------------------

export const CO_1 = '3e8f9a0b-0001-4b2c-9d3e-000000000001';
export const CO_2 = '3e8f9a0b-0002-4b2c-9d3e-000000000002';
export const CO_3 = '3e8f9a0b-0003-4b2c-9d3e-000000000003';

export const TERMS = 'Work starts within five working days of signature.';
export const DOCUMENT_SHA256 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
export const SIGNED_DOCUMENT_SHA256 = '60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752';
export const SIGNING_TOKEN_SHA256 = 'fd61a03af4f77d870fc21e05e7e80678095c92d808cfb3b5c279ee04c74aca13';
export const SIGNING_TOKEN_NONCE = 'q3F0d2lzZS1ub25jZS0xMjM0NTY3ODk';

export function onOrder(
  line: ScopeChangeLine,
  changeRequestId: string,
  changeRequestNumber: number,
  noCharge = false,
): OrderLine {
  return { ...line, changeRequestId, changeRequestNumber, noCharge, amount: noCharge ? 0 : line.costDelta };
}

export function orderDrafted(
  changeOrderId: string,
  number: number,
  changeRequestIds: string[],
  lines: OrderLine[],
  figures: {
    amount: number;
    absorbed?: number;
    schedule?: OrderScheduleShift[];
    expiresInDays?: number;
    draftedAt?: string;
  },
): EventOf<'ChangeOrderDrafted'> {
  return event('ChangeOrderDrafted', {
    changeOrderId,
    number,
    changeRequestIds,
    signer: SIGNER,
    expiresInDays: figures.expiresInDays ?? 14,
    terms: TERMS,
    lines,
    schedule: figures.schedule ?? [],
    amount: figures.amount,
    absorbed: figures.absorbed ?? 0,
    draftedAt: figures.draftedAt ?? DRAFTED_AT,
  });
}

export function orderIssued(
  changeOrderId: string,
  figures: { originalContract: number; previouslyApproved: number; issuedAt?: string; expiresAt?: string },
): EventOf<'ChangeOrderIssued'> {
  return event('ChangeOrderIssued', {
    changeOrderId,
    documentSha256: DOCUMENT_SHA256,
    signingTokenSha256: SIGNING_TOKEN_SHA256,
    signingTokenNonce: SIGNING_TOKEN_NONCE,
    issuedAt: figures.issuedAt ?? ISSUED_AT,
    expiresAt: figures.expiresAt ?? EXPIRES_AT,
    originalContract: figures.originalContract,
    previouslyApproved: figures.previouslyApproved,
  });
}

export function orderSigned(changeOrderId: string, signedAt = SIGNED_AT): EventOf<'ChangeOrderSigned'> {
  return event('ChangeOrderSigned', {
    changeOrderId,
    signer: SIGNER,
    documentSha256: DOCUMENT_SHA256,
    signedDocumentSha256: SIGNED_DOCUMENT_SHA256,
    consentVersion: 'esign-consent-1',
    signature: 'typed',
    signedAt,
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0',
  });
}

export function orderVoided(changeOrderId: string, reason: string, voidedAt = VOIDED_AT): EventOf<'ChangeOrderVoided'> {
  return event('ChangeOrderVoided', { changeOrderId, reason, voidedAt });
}

/** A signed order that removes an item cancels its card when it is signed. */
export function cardCancelled(
  cardId: string,
  changeOrderId: string,
  cancelledAt = SIGNED_AT,
): EventOf<'BoardCardCancelled'> {
  return event('BoardCardCancelled', { cardId, changeOrderId, cancelledAt });
}

/** CO-1 carries CR-1 (add SI-4, M2 +2 working days) and CR-2 (modify SI-1): 117,000 + 78,788 = 195,788. */
export const CO_1_AMOUNT = 195_788;
export const co1Drafted = orderDrafted(
  CO_1,
  1,
  [CR_1, CR_2],
  [onOrder(ADD_SI_4, CR_1, 1), onOrder(MODIFY_SI_1, CR_2, 2)],
  { amount: CO_1_AMOUNT, schedule: [{ milestone: 'M2', workingDays: 2, changeRequestId: CR_1 }] },
);
export const co1Issued = orderIssued(CO_1, { originalContract: BASELINE_TOTAL, previouslyApproved: 0 });

export const withDraftOrder: ProjectEvent[] = [...assessed, co1Drafted];
export const withIssuedOrder: ProjectEvent[] = [...withDraftOrder, co1Issued];
/** CO-1 signed, with the work it admits: SI-4 gets card C-4, card C-1 gets the new SI-1 estimate. */
export const co1SignedWithItsWork: ProjectEvent[] = [
  orderSigned(CO_1),
  cardAdded(4, SI_4, CO_1),
  event('BoardCardEstimateRevised', {
    cardId: 'C-1',
    title: SI_1_WITH_SHARED_MAILBOXES.title,
    role: 'technician',
    estimateCentiHours: 4825,
    changeOrderId: CO_1,
    revisedAt: SIGNED_AT,
  }),
];
/** The signer opened CO-1's page and consented: it can be signed. */
export const CONSENTED_AT = '2026-03-09T13:55:00.000Z';
export const DISCLOSURE_SHA256 = '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae';
export function signerConsented(changeOrderId: string, consentedAt = CONSENTED_AT): EventOf<'SignerConsented'> {
  return event('SignerConsented', {
    changeOrderId,
    disclosureVersion: 'esign-consent-1',
    disclosureSha256: DISCLOSURE_SHA256,
    consentedAt,
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0',
  });
}
export const co1ReadToSign: ProjectEvent[] = [
  event('ChangeOrderViewed', { changeOrderId: CO_1, viewedAt: '2026-03-09T13:50:00.000Z' }),
  signerConsented(CO_1),
];
export const withOrderReadyToSign: ProjectEvent[] = [...withIssuedOrder, ...co1ReadToSign];
export const withSignedOrder: ProjectEvent[] = [...withIssuedOrder, ...co1SignedWithItsWork];
