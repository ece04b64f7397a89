import { IsoDate, WorkingCalendar } from '../shared/calendar';
import { CentiHours, Minor } from '../shared/money';
import { extended } from '../shared/records';
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

/** Every fold of a new stream starts here, so it is frozen: nothing may change it in place. */
export const initialProjectState: ProjectState = deepFreeze({
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
});

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value))
    if (inner !== null && typeof inner === 'object') deepFreeze(inner as object);
  return Object.freeze(value);
}

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
export function applyShifts(
  state: ProjectState,
  shifts: readonly ScheduleShift[],
  base: Record<string, number>,
): Record<string, number> {
  const ordered = milestonesInOrder(state);
  const result = { ...base };
  for (const shift of shifts) {
    const start = ordered.findIndex((m) => m.ref === shift.milestone);
    if (start < 0) continue;
    for (const m of ordered.slice(start)) result[m.ref] = (result[m.ref] ?? 0) + shift.workingDays;
  }
  return result;
}

/**
 * The live card of each scope item ref, as the fold keeps it in `cardByRef`, worked out from
 * the cards alone: adding a card makes it the live one for its ref, and cancelling takes it
 * away only while it is the live one, so each ref's live card is the last one added for it,
 * unless that one was cancelled. Stores that keep the cards need not keep this as well.
 */
export function liveCardByRef(cards: ProjectState['cards'], cardOrder: readonly string[]): Record<string, string> {
  const last: Record<string, string> = {};
  for (const id of cardOrder) last[cards[id].ref] = id;
  const live: Record<string, string> = {};
  for (const [ref, id] of Object.entries(last)) if (!cards[id].cancelled) live[ref] = id;
  return live;
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

type FoldedEvents = Iterable<{ event: ProjectEvent; occurredAt: string }>;

/**
 * The state after several more events, in order: the same result as calling evolve for each,
 * in time proportional to the events and the size of the records they touch once, not once
 * per event. A project's requests, orders and cards grow with its stream; copying each record
 * on every event made folding a long stream quadratic. Here each record or list is copied the
 * first time this fold changes it and updated in place after that, so the state passed in is
 * never modified and nothing of the result is shared with a later fold's working copy.
 */
export function evolveAll(state: ProjectState, events: FoldedEvents): ProjectState {
  return evolveOwning(state, events, new Set());
}

/**
 * The records and lists of a state that no one but its holder can see, so that a fold may
 * change them in place. A state starts owning nothing; a fold comes to own what it copies.
 */
export type OwnedParts = Set<RecordKey | ListKey>;

/**
 * Like evolveAll, for a holder that knows which of the state's records and lists are its own
 * (`owned`): those are changed in place, the others copied on their first change and added to
 * `owned`. The result owns `owned`; the state passed in must not be read afterwards unless
 * `owned` was empty. The initial state's parts are never owned.
 */
export function evolveOwning(
  state: ProjectState,
  events: FoldedEvents,
  owned: OwnedParts,
  sharing?: RecordSharing,
): ProjectState {
  let draft: StateDraft | undefined;
  for (const { event, occurredAt } of events) {
    draft ??= new StateDraft(state, owned, sharing);
    applyEvent(draft, event, occurredAt);
  }
  return draft ? draft.state : state;
}

/**
 * How a fold shares the records it builds (requests, orders, cards, scope items) with another
 * fold of the same event objects in this process. The repository folds each event it appends
 * (`keep`); the live projection folds those same objects a moment later (`reuse`) and takes the
 * records the repository built instead of building equal ones, so that the server holds each
 * request once rather than once per warm state. Records are never changed in place (a change
 * puts a new one in their place), so two states may share them; one is taken only when it was
 * built from the same record before (or none) by the same event object at the same time. A
 * rebuild folds events read from the database, which no other fold has seen: it shares nothing.
 */
export type RecordSharing = 'keep' | 'reuse';

interface BuiltRecord {
  readonly key: RecordKey;
  readonly id: string;
  readonly before: unknown;
  readonly occurredAt: string;
  readonly value: unknown;
}

/** By event data object: the records `keep` folds built from it. Gone with the event. */
const builtRecords = new WeakMap<object, BuiltRecord[]>();

export function foldProject(events: FoldedEvents): ProjectState {
  return evolveAll(initialProjectState, events);
}

export type RecordKey = 'scope' | 'changeRequests' | 'changeOrders' | 'cards' | 'cardByRef';
export type ListKey = 'scopeOrder' | 'changeRequestOrder' | 'changeOrderOrder' | 'signedOrderIds' | 'cardOrder';
export const RECORD_KEYS: readonly RecordKey[] = ['changeRequests', 'changeOrders', 'cards', 'scope', 'cardByRef'];
export const LIST_KEYS: readonly ListKey[] = [
  'changeRequestOrder',
  'changeOrderOrder',
  'cardOrder',
  'scopeOrder',
  'signedOrderIds',
];

/**
 * What a fold changed in the collections that grow with a project: for each record, the keys
 * it set or deleted with the value each had before (undefined when it had none); for each
 * list, its length before when the fold only appended to it, or 'replaced'.
 */
export interface StateChanges {
  readonly records: { readonly [K in RecordKey]?: ReadonlyMap<string, ProjectState[K][string] | undefined> };
  readonly lists: { readonly [K in ListKey]?: number | 'replaced' };
}

/**
 * Like evolveAll, for a caller that owns `state` and gives it up: its records and lists are
 * updated in place rather than copied, so a command on a project of thousands of requests
 * does not copy thousands of entries. The state passed in must not be read afterwards (only
 * its top-level fields stay as they were). Returns what changed, so that the caller can write
 * and recount only that. The initial state's empty records and lists are copied, never changed.
 */
export function evolveInPlace(
  state: ProjectState,
  events: FoldedEvents,
  sharing?: RecordSharing,
): { state: ProjectState; changes: StateChanges } {
  // The initial state's empty records and lists are shared by every fresh fold: never owned.
  const owned: OwnedParts = new Set(
    [...RECORD_KEYS, ...LIST_KEYS].filter((key) => state[key] !== initialProjectState[key]),
  );
  const draft = new StateDraft(state, owned, sharing);
  for (const { event, occurredAt } of events) applyEvent(draft, event, occurredAt);
  return { state: draft.state, changes: draft.changes };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Entry<K extends RecordKey> = ProjectState[K][string];

/**
 * A working copy of a project's state. Records and lists are copied on their first change,
 * or, when the draft owns them already, changed in place. Either way it notes
 * each key it touches with the value the key had before.
 */
class StateDraft {
  readonly state: Mutable<ProjectState>;
  private readonly before: { [K in RecordKey]?: Map<string, Entry<K> | undefined> } = {};
  private readonly lengths: { [K in ListKey]?: number | 'replaced' } = {};
  /**
   * The data object of the event being applied, and when it occurred, while this draft shares records (see
   * RecordSharing).
   */
  private applying?: object;
  private applyingAt = '';

  /** `owned`: the parts of `state` this draft may change in place; it adds those it copies. */
  constructor(
    state: ProjectState,
    private readonly owned: OwnedParts,
    private readonly sharing?: RecordSharing,
  ) {
    this.state = { ...state };
  }

  /** Called before each event is applied. */
  startEvent(event: ProjectEvent, occurredAt: string): void {
    if (!this.sharing) return;
    this.applying = event.data;
    this.applyingAt = occurredAt;
  }

  get changes(): StateChanges {
    return { records: this.before, lists: this.lengths };
  }

  get<K extends RecordKey>(key: K, id: string): Entry<K> | undefined {
    return Object.hasOwn(this.state[key], id) ? (this.state[key][id] as Entry<K>) : undefined;
  }

  set<K extends RecordKey>(key: K, id: string, value: Entry<K>): void {
    const record = this.ownRecord(key);
    this.note(key, id);
    record[id] = this.applying && typeof value === 'object' ? this.shared(key, id, this.get(key, id), value) : value;
  }

  /** `value`, or the equal record a `keep` fold of the same event built from the same one before. */
  private shared<K extends RecordKey>(key: K, id: string, before: Entry<K> | undefined, value: Entry<K>): Entry<K> {
    const data = this.applying!;
    const occurredAt = this.applyingAt;
    let built = builtRecords.get(data);
    if (this.sharing === 'reuse') {
      const match = built?.find(
        (b) => b.key === key && b.id === id && b.before === before && b.occurredAt === occurredAt,
      );
      return match ? (match.value as Entry<K>) : value;
    }
    if (!built) builtRecords.set(data, (built = []));
    built.push({ key, id, before, occurredAt, value });
    return value;
  }

  remove<K extends RecordKey>(key: K, id: string): void {
    const record = this.ownRecord(key);
    this.note(key, id);
    delete record[id];
  }

  push(key: ListKey, value: string): void {
    if (!this.owned.has(key)) {
      this.state[key] = [...this.state[key]];
      this.owned.add(key);
    }
    this.lengths[key] ??= this.state[key].length;
    this.state[key].push(value);
  }

  /** Replaces a record or list with a new one that this fold owns. */
  replace<K extends RecordKey | ListKey>(key: K, value: ProjectState[K]): void {
    if (isListKey(key)) {
      this.lengths[key] = 'replaced';
    } else {
      // Every key of the old record and the new one counts as touched.
      const record = key as RecordKey;
      for (const id of Object.keys(this.state[record])) this.note(record, id);
      const entries = value as Record<string, unknown>;
      for (const id of Object.keys(entries)) {
        this.note(record, id);
        // The new record is this fold's own: its entries may be swapped for shared equal ones
        // (this.get still reads the record it replaces).
        if (this.applying && typeof entries[id] === 'object')
          entries[id] = this.shared(record, id, this.get(record, id), entries[id] as never);
      }
    }
    this.state[key] = value;
    this.owned.add(key);
  }

  updateRequest(id: string, fn: (r: ChangeRequestState) => ChangeRequestState): void {
    this.set('changeRequests', id, fn(this.state.changeRequests[id]));
  }

  updateOrder(id: string, fn: (o: ChangeOrderState) => ChangeOrderState): void {
    this.set('changeOrders', id, fn(this.state.changeOrders[id]));
  }

  updateCard(id: string, fn: (c: CardState) => CardState): void {
    this.set('cards', id, fn(this.state.cards[id]));
  }

  private ownRecord<K extends RecordKey>(key: K): Record<string, Entry<K>> {
    const state = this.state as Record<RecordKey, Record<string, unknown>>;
    if (!this.owned.has(key)) {
      state[key] = copyRecord(state[key]);
      this.owned.add(key);
    }
    return state[key] as Record<string, Entry<K>>;
  }

  /** Remembers the value a key had before this fold first touched it. */
  private note<K extends RecordKey>(key: K, id: string): void {
    let touched = this.before[key] as Map<string, Entry<K> | undefined> | undefined;
    if (!touched) this.before[key] = touched = new Map() as (typeof this.before)[K] & Map<string, Entry<K> | undefined>;
    if (!touched.has(id)) touched.set(id, this.get(key, id));
  }
}

function isListKey(key: RecordKey | ListKey): key is ListKey {
  return (LIST_KEYS as readonly string[]).includes(key);
}

/** A shallow copy of a record: a loop over its keys costs about half of a spread on records of thousands. */
function copyRecord<T>(record: Record<string, T>): Record<string, T> {
  const copy: Record<string, T> = {};
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) copy[keys[i]] = record[keys[i]];
  return copy;
}

function applyEvent(draft: StateDraft, event: ProjectEvent, occurredAt: string): void {
  const s = draft.state;
  draft.startEvent(event, occurredAt);
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
      for (const item of event.data.items)
        scope[item.ref] = extended(item, { origin: 'baseline' as const, removed: false, changedBy: [] });
      s.baseline = {
        established: true,
        items: event.data.items,
        milestones: event.data.milestones,
        total: event.data.total,
      };
      draft.replace('scope', scope);
      draft.replace(
        'scopeOrder',
        event.data.items.map((i) => i.ref),
      );
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
        requestedBy: knownPerson(s, d.requestedBy),
        // A request logged without its own time was received when it was logged: one string for both.
        receivedAt: d.receivedAt === occurredAt ? occurredAt : d.receivedAt,
        ticketRef: d.ticketRef,
        loggedAt: occurredAt,
        status: 'logged',
      };
      draft.set('changeRequests', d.changeRequestId, request);
      draft.push('changeRequestOrder', d.changeRequestId);
      return;
    }
    case 'ChangeRequestAssessed': {
      const d = event.data;
      draft.updateRequest(d.changeRequestId, (r) =>
        extended(r, {
          status: 'assessed' as const,
          assessment: {
            lines: d.lines,
            schedule: d.schedule,
            notes: d.notes,
            noCharge: d.noCharge,
            costDelta: d.costDelta,
            assessedAt: occurredAt,
          },
        }),
      );
      return;
    }
    case 'ChangeRequestDeclined': {
      const d = event.data;
      draft.updateRequest(d.changeRequestId, (r) =>
        extended(r, {
          status: 'declined' as const,
          decline: { reason: d.reason, category: d.category, declinedAt: occurredAt },
        }),
      );
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
      draft.set('changeOrders', d.changeOrderId, order);
      draft.push('changeOrderOrder', d.changeOrderId);
      for (const id of d.changeRequestIds) {
        draft.updateRequest(id, (r) => extended(r, { status: 'ordered' as const, changeOrderId: d.changeOrderId }));
      }
      return;
    }
    case 'ChangeOrderIssued': {
      const { changeOrderId, ...issue } = event.data;
      draft.updateOrder(changeOrderId, (o) => extended(o, { status: 'issued' as const, issue }));
      return;
    }
    case 'ChangeOrderViewed': {
      const d = event.data;
      draft.updateOrder(d.changeOrderId, (o) =>
        extended(o, { firstViewedAt: o.firstViewedAt ?? d.viewedAt, lastViewedAt: d.viewedAt }),
      );
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
      draft.set('cards', d.cardId, card);
      draft.push('cardOrder', d.cardId);
      draft.set('cardByRef', d.ref, d.cardId);
      return;
    }
    case 'BoardCardEstimateRevised': {
      const d = event.data;
      draft.updateCard(d.cardId, (c) => ({
        ...c,
        title: d.title,
        role: d.role,
        estimateCentiHours: d.estimateCentiHours,
      }));
      return;
    }
    case 'BoardCardCancelled': {
      const card = s.cards[event.data.cardId];
      draft.updateCard(event.data.cardId, (c) => ({ ...c, cancelled: true }));
      if (card && draft.get('cardByRef', card.ref) === card.id) draft.remove('cardByRef', card.ref);
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

/**
 * `person`, or the equal person the state holds already: the requester of the project's last
 * request, its client or its manager. Most of a project's requests come from a few people, so
 * its requests share their requester rather than hold a copy each.
 */
function knownPerson(state: ProjectState, person: Person): Person {
  const order = state.changeRequestOrder;
  const last = order.length > 0 ? state.changeRequests[order[order.length - 1]]?.requestedBy : undefined;
  for (const known of [last, state.client, state.manager]) {
    if (
      known &&
      known.name === person.name &&
      known.email === person.email &&
      Object.keys(known).length === Object.keys(person).length
    )
      return known;
  }
  return person;
}

function applySignedOrder(draft: StateDraft, d: Extract<ProjectEvent, { type: 'ChangeOrderSigned' }>['data']): void {
  const s = draft.state;
  const order = s.changeOrders[d.changeOrderId];
  for (const line of order.lines) {
    const existing = draft.get('scope', line.ref);
    const changedBy = [...(existing?.changedBy ?? []), order.number];
    if (line.op === 'add') {
      draft.set(
        'scope',
        line.ref,
        extended(line.item, {
          origin: existing?.origin ?? ('added' as const),
          removed: false,
          changedBy,
          lastOp: 'add' as const,
        }),
      );
      if (!existing) draft.push('scopeOrder', line.ref);
    } else if (line.op === 'modify') {
      draft.set(
        'scope',
        line.ref,
        extended(line.item, { origin: existing!.origin, removed: false, changedBy, lastOp: 'modify' as const }),
      );
    } else {
      draft.set('scope', line.ref, extended(existing!, { removed: true, changedBy, lastOp: 'remove' as const }));
    }
  }
  s.milestoneShifts = applyShifts(s, order.schedule, s.milestoneShifts);
  draft.push('signedOrderIds', order.id);
  draft.updateOrder(order.id, (o) =>
    extended(o, {
      status: 'signed' as const,
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
    }),
  );
  for (const id of order.changeRequestIds) draft.updateRequest(id, (r) => ({ ...r, status: 'approved' }));
}

function closeOrder(
  draft: StateDraft,
  orderId: string,
  status: ChangeOrderStatus,
  reason: string | undefined,
  at: string,
): void {
  const order = draft.state.changeOrders[orderId];
  draft.updateOrder(orderId, (o) => extended(o, { status, closedReason: reason, closedAt: at }));
  // The order's requests are free again for a new order, with their assessments intact.
  for (const id of order.changeRequestIds) {
    draft.updateRequest(id, (r) => ({ ...r, status: 'assessed', changeOrderId: undefined }));
  }
}
