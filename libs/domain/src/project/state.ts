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
  return evolveAll(state, [{ event, occurredAt }]);
}

/**
 * The state after several more events, in order: the same result as calling evolve for each,
 * in time proportional to the events and the size of the records they touch once, not once
 * per event. A project's requests, orders and cards grow with its stream; copying each record
 * on every event made folding a long stream quadratic. Here each record or list is copied the
 * first time this fold changes it and updated in place after that, so the state passed in is
 * never modified and nothing of the result is shared with a later fold's working copy.
 */
export function evolveAll(state: ProjectState, events: Iterable<{ event: ProjectEvent; occurredAt: string }>): ProjectState {
  let draft: StateDraft | undefined;
  for (const { event, occurredAt } of events) {
    draft ??= new StateDraft(state);
    applyEvent(draft, event, occurredAt);
  }
  return draft ? draft.state : state;
}

export function foldProject(events: Iterable<{ event: ProjectEvent; occurredAt: string }>): ProjectState {
  return evolveAll(initialProjectState, events);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type RecordKey = 'scope' | 'changeRequests' | 'changeOrders' | 'cards' | 'cardByRef';
type ListKey = 'scopeOrder' | 'changeRequestOrder' | 'changeOrderOrder' | 'signedOrderIds' | 'cardOrder';

/** A working copy of a project's state: records and lists are copied on their first change. */
class StateDraft {
  readonly state: Mutable<ProjectState>;
  private readonly owned = new Set<RecordKey | ListKey>();

  constructor(state: ProjectState) {
    this.state = { ...state };
  }

  record<K extends RecordKey>(key: K): Mutable<ProjectState[K]> {
    if (!this.owned.has(key)) {
      this.state[key] = { ...this.state[key] };
      this.owned.add(key);
    }
    return this.state[key];
  }

  list(key: ListKey): string[] {
    if (!this.owned.has(key)) {
      this.state[key] = [...this.state[key]];
      this.owned.add(key);
    }
    return this.state[key];
  }

  /** Replaces a record or list with a new one that this fold owns. */
  replace<K extends RecordKey | ListKey>(key: K, value: ProjectState[K]): void {
    this.state[key] = value;
    this.owned.add(key);
  }

  updateRequest(id: string, fn: (r: ChangeRequestState) => ChangeRequestState): void {
    const requests = this.record('changeRequests');
    requests[id] = fn(requests[id]);
  }

  updateOrder(id: string, fn: (o: ChangeOrderState) => ChangeOrderState): void {
    const orders = this.record('changeOrders');
    orders[id] = fn(orders[id]);
  }

  updateCard(id: string, fn: (c: CardState) => CardState): void {
    const cards = this.record('cards');
    cards[id] = fn(cards[id]);
  }
}

function applyEvent(draft: StateDraft, event: ProjectEvent, occurredAt: string): void {
  const s = draft.state;
  s.lastEventAt = occurredAt;
  switch (event.type) {
    case 'ProjectOpened': {
      const d = event.data;
      s.exists = true;
      s.projectId = d.projectId;
      s.name = d.name;
      s.client = d.client;
      s.manager = d.manager;
      s.currency = d.currency;
      s.rates = d.rates;
      s.startDate = d.startDate;
      s.holidays = d.holidays;
      s.openedAt = occurredAt;
      return;
    }
    case 'BaselineEstablished': {
      const scope: Record<string, ScopeItemState> = {};
      for (const item of event.data.items) scope[item.ref] = { ...item, origin: 'baseline', removed: false, changedBy: [] };
      s.baseline = { established: true, items: event.data.items, milestones: event.data.milestones, total: event.data.total };
      draft.replace('scope', scope);
      draft.replace('scopeOrder', event.data.items.map((i) => i.ref));
      s.milestoneShifts = Object.fromEntries(event.data.milestones.map((m) => [m.ref, 0]));
      return;
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
      draft.record('changeRequests')[d.changeRequestId] = request;
      draft.list('changeRequestOrder').push(d.changeRequestId);
      return;
    }
    case 'ChangeRequestAssessed': {
      const d = event.data;
      draft.updateRequest(d.changeRequestId, (r) => ({
        ...r,
        status: 'assessed',
        assessment: { lines: d.lines, schedule: d.schedule, notes: d.notes, noCharge: d.noCharge, costDelta: d.costDelta, assessedAt: occurredAt },
      }));
      return;
    }
    case 'ChangeRequestDeclined': {
      const d = event.data;
      draft.updateRequest(d.changeRequestId, (r) => ({
        ...r,
        status: 'declined',
        decline: { reason: d.reason, category: d.category, declinedAt: occurredAt },
      }));
      return;
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
      draft.record('changeOrders')[d.changeOrderId] = order;
      draft.list('changeOrderOrder').push(d.changeOrderId);
      for (const id of d.changeRequestIds) {
        draft.updateRequest(id, (r) => ({ ...r, status: 'ordered', changeOrderId: d.changeOrderId }));
      }
      return;
    }
    case 'ChangeOrderIssued': {
      const { changeOrderId, ...issue } = event.data;
      draft.updateOrder(changeOrderId, (o) => ({ ...o, status: 'issued', issue }));
      return;
    }
    case 'ChangeOrderViewed': {
      const d = event.data;
      draft.updateOrder(d.changeOrderId, (o) => ({ ...o, firstViewedAt: o.firstViewedAt ?? d.viewedAt, lastViewedAt: d.viewedAt }));
      return;
    }
    case 'ChangeOrderSigned':
      applySignedOrder(draft, event.data);
      return;
    case 'ChangeOrderDeclined':
      closeOrder(draft, event.data.changeOrderId, 'declined', event.data.reason, event.data.declinedAt);
      return;
    case 'ChangeOrderVoided':
      closeOrder(draft, event.data.changeOrderId, 'voided', event.data.reason, occurredAt);
      return;
    case 'ChangeOrderExpired':
      closeOrder(draft, event.data.changeOrderId, 'expired', undefined, event.data.expiredAt);
      return;
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
      draft.record('cards')[d.cardId] = card;
      draft.list('cardOrder').push(d.cardId);
      draft.record('cardByRef')[d.ref] = d.cardId;
      return;
    }
    case 'BoardCardEstimateRevised': {
      const d = event.data;
      draft.updateCard(d.cardId, (c) => ({ ...c, title: d.title, role: d.role, estimateCentiHours: d.estimateCentiHours }));
      return;
    }
    case 'BoardCardCancelled': {
      const card = s.cards[event.data.cardId];
      draft.updateCard(event.data.cardId, (c) => ({ ...c, cancelled: true }));
      const cardByRef = draft.record('cardByRef');
      if (card && cardByRef[card.ref] === card.id) delete cardByRef[card.ref];
      return;
    }
    case 'BoardCardMoved':
      draft.updateCard(event.data.cardId, (c) => ({ ...c, column: event.data.to }));
      return;
    case 'WipLimitsSet': {
      const limits: Partial<Record<BoardColumn, number>> = { ...s.wipLimits };
      for (const [column, limit] of Object.entries(event.data.limits) as [BoardColumn, number | null][]) {
        if (limit === null) delete limits[column];
        else limits[column] = limit;
      }
      s.wipLimits = limits;
      return;
    }
    case 'TimeLogged': {
      const d = event.data;
      draft.updateCard(d.cardId, (c) => ({
        ...c,
        loggedCentiHours: c.loggedCentiHours + d.centiHours,
        timeEntries: [...c.timeEntries, { centiHours: d.centiHours, date: d.date, note: d.note }],
      }));
      return;
    }
    case 'InvoiceRecorded': {
      const d = event.data;
      draft.updateOrder(d.changeOrderId, (o) => ({
        ...o,
        invoices: [...o.invoices, { invoiceNumber: d.invoiceNumber, amount: d.amount, invoicedAt: d.invoicedAt }],
        invoiced: o.invoiced + d.amount,
      }));
      return;
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

function applySignedOrder(draft: StateDraft, d: Extract<ProjectEvent, { type: 'ChangeOrderSigned' }>['data']): void {
  const s = draft.state;
  const order = s.changeOrders[d.changeOrderId];
  const scope = draft.record('scope');
  const scopeOrder = draft.list('scopeOrder');
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
  s.milestoneShifts = applyShifts(s, order.schedule, s.milestoneShifts);
  draft.list('signedOrderIds').push(order.id);
  draft.updateOrder(order.id, (o) => ({
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
  for (const id of order.changeRequestIds) draft.updateRequest(id, (r) => ({ ...r, status: 'approved' }));
}

function closeOrder(draft: StateDraft, orderId: string, status: ChangeOrderStatus, reason: string | undefined, at: string): void {
  const order = draft.state.changeOrders[orderId];
  draft.updateOrder(orderId, (o) => ({ ...o, status, closedReason: reason, closedAt: at }));
  // The order's requests are free again for a new order, with their assessments intact.
  for (const id of order.changeRequestIds) {
    draft.updateRequest(id, (r) => ({ ...r, status: 'assessed', changeOrderId: undefined }));
  }
}
