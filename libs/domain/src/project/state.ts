import { IsoDate, WorkingCalendar } from '../shared/calendar';
import { CentiHours, Minor } from '../shared/money';
import {
  BoardColumn,
  ChangeSource,
  DeclineCategory,
  Milestone,
  OrderLine,
  OrderScheduleShift,
  Person,
  PricedScopeItem,
  ProjectEvent,
  ScheduleShift,
  ScopeChangeLine,
} from './events';

/**
 * The state of one project, folded from its stream. Plain JSON (no Maps, no classes) so
 * that read models can store it and time travel can rebuild it by folding a prefix.
 */
export interface ProjectState {
  readonly exists: boolean;
  readonly projectId: string;
  readonly name: string;
  readonly client: Person;
  readonly manager?: Person;
  readonly currency: string;
  readonly rates: Record<string, Minor>;
  readonly startDate: IsoDate;
  readonly holidays: IsoDate[];
  readonly openedAt: string;
  readonly baseline: { established: boolean; items: PricedScopeItem[]; milestones: Milestone[]; total: Minor };
  /** Current scope by ref: baseline plus signed change orders in signing order. Removed items stay, flagged. */
  readonly scope: Record<string, ScopeItemState>;
  readonly scopeOrder: string[];
  /** Working days each milestone has moved by signed orders (cumulative, cascading to later milestones). */
  readonly milestoneShifts: Record<string, number>;
  readonly changeRequests: Record<string, ChangeRequestState>;
  readonly changeRequestOrder: string[];
  readonly changeOrders: Record<string, ChangeOrderState>;
  readonly changeOrderOrder: string[];
  readonly signedOrderIds: string[];
  readonly cards: Record<string, CardState>;
  readonly cardOrder: string[];
  /** The live card of each scope item ref. */
  readonly cardByRef: Record<string, string>;
  readonly wipLimits: Partial<Record<BoardColumn, number>>;
  readonly lastEventAt: string;
}

export interface ScopeItemState extends PricedScopeItem {
  readonly origin: 'baseline' | 'added';
  readonly removed: boolean;
  /** Numbers of the signed change orders that changed this item, in signing order. */
  readonly changedBy: number[];
  readonly lastOp?: 'add' | 'modify' | 'remove';
}

export type ChangeRequestStatus = 'logged' | 'assessed' | 'declined' | 'ordered' | 'approved';

export interface ChangeRequestState {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly description: string;
  readonly source: ChangeSource;
  readonly requestedBy: Person;
  readonly receivedAt: string;
  readonly ticketRef?: string;
  readonly loggedAt: string;
  readonly status: ChangeRequestStatus;
  readonly assessment?: {
    lines: ScopeChangeLine[];
    schedule: ScheduleShift[];
    notes?: string;
    noCharge: boolean;
    costDelta: Minor;
    assessedAt: string;
  };
  readonly decline?: { reason: string; category: DeclineCategory; declinedAt: string };
  /** The draft, issued or signed order this request sits on. */
  readonly changeOrderId?: string;
}

export type ChangeOrderStatus = 'draft' | 'issued' | 'signed' | 'declined' | 'voided' | 'expired';

export interface ChangeOrderState {
  readonly id: string;
  readonly number: number;
  readonly status: ChangeOrderStatus;
  readonly changeRequestIds: string[];
  readonly signer: Person;
  readonly expiresInDays: number;
  readonly terms: string;
  readonly lines: OrderLine[];
  readonly schedule: OrderScheduleShift[];
  readonly amount: Minor;
  readonly absorbed: Minor;
  readonly draftedAt: string;
  readonly issue?: {
    documentSha256: string;
    signingTokenSha256: string;
    signingTokenNonce: string;
    issuedAt: string;
    expiresAt: string;
    originalContract: Minor;
    previouslyApproved: Minor;
  };
  readonly firstViewedAt?: string;
  readonly lastViewedAt?: string;
  readonly signature?: {
    signer: Person;
    signedAt: string;
    ip: string;
    userAgent: string;
    consentVersion: string;
    signature: 'typed' | 'drawn';
    signedDocumentSha256: string;
    streamHeadHash?: string;
  };
  readonly closedReason?: string;
  readonly closedAt?: string;
  readonly invoices: { invoiceNumber: string; amount: Minor; invoicedAt: string }[];
  readonly invoiced: Minor;
}

export interface CardState {
  readonly id: string;
  readonly number: number;
  readonly ref: string;
  readonly title: string;
  readonly role: string;
  readonly estimateCentiHours: CentiHours;
  readonly loggedCentiHours: CentiHours;
  readonly column: BoardColumn;
  readonly cancelled: boolean;
  readonly admittedBy: { kind: 'baseline' } | { kind: 'change_order'; changeOrderId: string };
  readonly timeEntries: { centiHours: CentiHours; date: IsoDate; note?: string }[];
}

export const initialProjectState: ProjectState = {
  exists: false,
  projectId: '',
  name: '',
  client: { name: '', email: '' },
  currency: '',
  rates: {},
  startDate: '',
  holidays: [],
  openedAt: '',
  baseline: { established: false, items: [], milestones: [], total: 0 },
  scope: {},
  scopeOrder: [],
  milestoneShifts: {},
  changeRequests: {},
  changeRequestOrder: [],
  changeOrders: {},
  changeOrderOrder: [],
  signedOrderIds: [],
  cards: {},
  cardOrder: [],
  cardByRef: {},
  wipLimits: {},
  lastEventAt: '',
};

/** Milestones in schedule order: by baseline due date, ties kept in baseline order. */
export function milestonesInOrder(state: ProjectState): Milestone[] {
  return state.baseline.milestones
    .map((m, index) => ({ m, index }))
    .sort((a, b) => (a.m.due < b.m.due ? -1 : a.m.due > b.m.due ? 1 : a.index - b.index))
    .map(({ m }) => m);
}

export function calendarOf(state: Pick<ProjectState, 'holidays'>): WorkingCalendar {
  return new WorkingCalendar(state.holidays);
}

/** Applies shifts to milestone offsets: a shift moves its milestone and every later one. */
export function applyShifts(state: ProjectState, shifts: readonly ScheduleShift[], base: Record<string, number>): Record<string, number> {
  const ordered = milestonesInOrder(state);
  const result = { ...base };
  for (const shift of shifts) {
    const start = ordered.findIndex((m) => m.ref === shift.milestone);
    if (start < 0) continue;
    for (const m of ordered.slice(start)) result[m.ref] = (result[m.ref] ?? 0) + shift.workingDays;
  }
  return result;
}

export function currentContractValue(state: ProjectState): Minor {
  return state.baseline.total + approvedChanges(state);
}

export function approvedChanges(state: ProjectState): Minor {
  return state.signedOrderIds.reduce((sum, id) => sum + state.changeOrders[id].amount, 0);
}

export function liveOrderStatuses(): readonly ChangeOrderStatus[] {
  return ['draft', 'issued'];
}

/** evolve: the state after one more event. Pure, never throws for events it wrote itself. */
export function evolve(state: ProjectState, event: ProjectEvent, occurredAt: string): ProjectState {
  const next = { ...state, lastEventAt: occurredAt };
  switch (event.type) {
    case 'ProjectOpened': {
      const d = event.data;
      return {
        ...next,
        exists: true,
        projectId: d.projectId,
        name: d.name,
        client: d.client,
        manager: d.manager,
        currency: d.currency,
        rates: d.rates,
        startDate: d.startDate,
        holidays: d.holidays,
        openedAt: occurredAt,
      };
    }
    case 'BaselineEstablished': {
      const scope: Record<string, ScopeItemState> = {};
      for (const item of event.data.items) scope[item.ref] = { ...item, origin: 'baseline', removed: false, changedBy: [] };
      return {
        ...next,
        baseline: { established: true, items: event.data.items, milestones: event.data.milestones, total: event.data.total },
        scope,
        scopeOrder: event.data.items.map((i) => i.ref),
        milestoneShifts: Object.fromEntries(event.data.milestones.map((m) => [m.ref, 0])),
      };
    }
    case 'ChangeRequestLogged': {
      const d = event.data;
      const request: ChangeRequestState = {
        id: d.changeRequestId,
        number: d.number,
        title: d.title,
        description: d.description,
        source: d.source,
        requestedBy: d.requestedBy,
        receivedAt: d.receivedAt,
        ticketRef: d.ticketRef,
        loggedAt: occurredAt,
        status: 'logged',
      };
      return {
        ...next,
        changeRequests: { ...state.changeRequests, [d.changeRequestId]: request },
        changeRequestOrder: [...state.changeRequestOrder, d.changeRequestId],
      };
    }
    case 'ChangeRequestAssessed': {
      const d = event.data;
      return updateRequest(next, d.changeRequestId, (r) => ({
        ...r,
        status: 'assessed',
        assessment: { lines: d.lines, schedule: d.schedule, notes: d.notes, noCharge: d.noCharge, costDelta: d.costDelta, assessedAt: occurredAt },
      }));
    }
    case 'ChangeRequestDeclined': {
      const d = event.data;
      return updateRequest(next, d.changeRequestId, (r) => ({
        ...r,
        status: 'declined',
        decline: { reason: d.reason, category: d.category, declinedAt: occurredAt },
      }));
    }
    case 'ChangeOrderDrafted': {
      const d = event.data;
      const order: ChangeOrderState = {
        id: d.changeOrderId,
        number: d.number,
        status: 'draft',
        changeRequestIds: d.changeRequestIds,
        signer: d.signer,
        expiresInDays: d.expiresInDays,
        terms: d.terms,
        lines: d.lines,
        schedule: d.schedule,
        amount: d.amount,
        absorbed: d.absorbed,
        draftedAt: occurredAt,
        invoices: [],
        invoiced: 0,
      };
      let result: ProjectState = {
        ...next,
        changeOrders: { ...state.changeOrders, [d.changeOrderId]: order },
        changeOrderOrder: [...state.changeOrderOrder, d.changeOrderId],
      };
      for (const id of d.changeRequestIds) {
        result = updateRequest(result, id, (r) => ({ ...r, status: 'ordered', changeOrderId: d.changeOrderId }));
      }
      return result;
    }
    case 'ChangeOrderIssued': {
      const { changeOrderId, ...issue } = event.data;
      return updateOrder(next, changeOrderId, (o) => ({ ...o, status: 'issued', issue }));
    }
    case 'ChangeOrderViewed': {
      const d = event.data;
      return updateOrder(next, d.changeOrderId, (o) => ({ ...o, firstViewedAt: o.firstViewedAt ?? d.viewedAt, lastViewedAt: d.viewedAt }));
    }
    case 'ChangeOrderSigned':
      return applySignedOrder(next, event.data);
    case 'ChangeOrderDeclined':
      return closeOrder(next, event.data.changeOrderId, 'declined', event.data.reason, event.data.declinedAt);
    case 'ChangeOrderVoided':
      return closeOrder(next, event.data.changeOrderId, 'voided', event.data.reason, occurredAt);
    case 'ChangeOrderExpired':
      return closeOrder(next, event.data.changeOrderId, 'expired', undefined, event.data.expiredAt);
    case 'BoardCardAdded': {
      const d = event.data;
      const card: CardState = {
        id: d.cardId,
        number: d.number,
        ref: d.ref,
        title: d.title,
        role: d.role,
        estimateCentiHours: d.estimateCentiHours,
        loggedCentiHours: 0,
        column: 'backlog',
        cancelled: false,
        admittedBy: d.admittedBy,
        timeEntries: [],
      };
      return {
        ...next,
        cards: { ...state.cards, [d.cardId]: card },
        cardOrder: [...state.cardOrder, d.cardId],
        cardByRef: { ...state.cardByRef, [d.ref]: d.cardId },
      };
    }
    case 'BoardCardEstimateRevised': {
      const d = event.data;
      return updateCard(next, d.cardId, (c) => ({ ...c, title: d.title, role: d.role, estimateCentiHours: d.estimateCentiHours }));
    }
    case 'BoardCardCancelled': {
      const card = state.cards[event.data.cardId];
      const withCard = updateCard(next, event.data.cardId, (c) => ({ ...c, cancelled: true }));
      const cardByRef = { ...withCard.cardByRef };
      if (card && cardByRef[card.ref] === card.id) delete cardByRef[card.ref];
      return { ...withCard, cardByRef };
    }
    case 'BoardCardMoved':
      return updateCard(next, event.data.cardId, (c) => ({ ...c, column: event.data.to }));
    case 'WipLimitsSet': {
      const limits: Partial<Record<BoardColumn, number>> = { ...state.wipLimits };
      for (const [column, limit] of Object.entries(event.data.limits) as [BoardColumn, number | null][]) {
        if (limit === null) delete limits[column];
        else limits[column] = limit;
      }
      return { ...next, wipLimits: limits };
    }
    case 'TimeLogged': {
      const d = event.data;
      return updateCard(next, d.cardId, (c) => ({
        ...c,
        loggedCentiHours: c.loggedCentiHours + d.centiHours,
        timeEntries: [...c.timeEntries, { centiHours: d.centiHours, date: d.date, note: d.note }],
      }));
    }
    case 'InvoiceRecorded': {
      const d = event.data;
      return updateOrder(next, d.changeOrderId, (o) => ({
        ...o,
        invoices: [...o.invoices, { invoiceNumber: d.invoiceNumber, amount: d.amount, invoicedAt: d.invoicedAt }],
        invoiced: o.invoiced + d.amount,
      }));
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

function applySignedOrder(state: ProjectState, d: Extract<ProjectEvent, { type: 'ChangeOrderSigned' }>['data']): ProjectState {
  const order = state.changeOrders[d.changeOrderId];
  const scope = { ...state.scope };
  const scopeOrder = [...state.scopeOrder];
  for (const line of order.lines) {
    const existing = scope[line.ref];
    const changedBy = [...(existing?.changedBy ?? []), order.number];
    if (line.op === 'add') {
      scope[line.ref] = { ...line.item, origin: existing?.origin ?? 'added', removed: false, changedBy, lastOp: 'add' };
      if (!existing) scopeOrder.push(line.ref);
    } else if (line.op === 'modify') {
      scope[line.ref] = { ...line.item, origin: existing.origin, removed: false, changedBy, lastOp: 'modify' };
    } else {
      scope[line.ref] = { ...existing, removed: true, changedBy, lastOp: 'remove' };
    }
  }
  let result: ProjectState = {
    ...state,
    scope,
    scopeOrder,
    milestoneShifts: applyShifts(state, order.schedule, state.milestoneShifts),
    signedOrderIds: [...state.signedOrderIds, order.id],
  };
  result = updateOrder(result, order.id, (o) => ({
    ...o,
    status: 'signed',
    signature: {
      signer: d.signer,
      signedAt: d.signedAt,
      ip: d.ip,
      userAgent: d.userAgent,
      consentVersion: d.consentVersion,
      signature: d.signature,
      signedDocumentSha256: d.signedDocumentSha256,
      streamHeadHash: d.streamHeadHash,
    },
  }));
  for (const id of order.changeRequestIds) result = updateRequest(result, id, (r) => ({ ...r, status: 'approved' }));
  return result;
}

function closeOrder(state: ProjectState, orderId: string, status: ChangeOrderStatus, reason: string | undefined, at: string): ProjectState {
  const order = state.changeOrders[orderId];
  let result = updateOrder(state, orderId, (o) => ({ ...o, status, closedReason: reason, closedAt: at }));
  // The order's requests are free again for a new order, with their assessments intact.
  for (const id of order.changeRequestIds) {
    result = updateRequest(result, id, (r) => ({ ...r, status: 'assessed', changeOrderId: undefined }));
  }
  return result;
}

function updateRequest(state: ProjectState, id: string, fn: (r: ChangeRequestState) => ChangeRequestState): ProjectState {
  return { ...state, changeRequests: { ...state.changeRequests, [id]: fn(state.changeRequests[id]) } };
}

function updateOrder(state: ProjectState, id: string, fn: (o: ChangeOrderState) => ChangeOrderState): ProjectState {
  return { ...state, changeOrders: { ...state.changeOrders, [id]: fn(state.changeOrders[id]) } };
}

function updateCard(state: ProjectState, id: string, fn: (c: CardState) => CardState): ProjectState {
  return { ...state, cards: { ...state.cards, [id]: fn(state.cards[id]) } };
}

export function foldProject(events: Iterable<{ event: ProjectEvent; occurredAt: string }>): ProjectState {
  let state = initialProjectState;
  for (const { event, occurredAt } of events) state = evolve(state, event, occurredAt);
  return state;
}
