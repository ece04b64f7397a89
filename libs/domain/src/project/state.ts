import { IsoDate, WorkingCalendar } from '../shared/calendar';
import { CentiHours, Minor, sumMinor } from '../shared/money';
import {
  BoardColumn,
  eventTime,
  Milestone,
  OrderLine,
  OrderProductLine,
  OrderScheduleShift,
  Person,
  PricedScopeItem,
  ProjectEvent,
  ProjectEventMap,
  ProductChangeLine,
  ScheduleShift,
  ScopeChangeLine,
  SignerVerification,
} from './events';
import { ceremonyAfter } from './signing-ceremony';

/** A project's settings and baseline: everything but the records that grow with its stream. */
export interface ProjectHeader {
  readonly projectId: string;
  readonly name: string;
  readonly client: Person;
  readonly manager?: Person;
  /** The client's finance contact, copied on signed orders. */
  readonly financeContact?: Person;
  /** Days to sign for drafts that name none; absent: DEFAULT_EXPIRY_DAYS. */
  readonly defaultExpiryDays?: number;
  /** An IANA zone name, stored for the dates judged in the project's zone. */
  readonly timeZone?: string;
  readonly status: ProjectStatus;
  readonly currency: string;
  readonly rates: ReadonlyMap<string, Minor>;
  readonly startDate: IsoDate;
  readonly holidays: readonly IsoDate[];
  readonly openedAt: string;
  readonly baseline: {
    readonly established: boolean;
    readonly items: readonly PricedScopeItem[];
    readonly total: Minor;
    /** Products the contract starts with; absent: none. */
    readonly products?: readonly ProductChangeLine[];
    /** Their recurring monthly charges; absent: 0. */
    readonly monthly?: Minor;
  };
  readonly wipLimits: ReadonlyMap<BoardColumn, number>;
  /** Invoices against the baseline contract in the order recorded, voided ones included; absent: none yet. */
  readonly baselineInvoices?: readonly BaselineInvoiceState[];
  /** What the project waits for from the client, in the order logged; absent: none yet. */
  readonly clientDependencies?: readonly ClientDependencyState[];
  readonly lastEventAt: string;
}

/** closed: no new change requests or orders; archived: closed and left out of the portfolio. */
export type ProjectStatus = 'open' | 'closed' | 'archived';

/** One project folded from its stream. Records are keyed by id or by ref, in the order they came. */
export interface ProjectState extends ProjectHeader {
  readonly exists: boolean;
  /** In schedule order: by baseline due date, ties in baseline order. */
  readonly milestones: ReadonlyMap<string, MilestoneState>;
  /** Current scope: baseline plus signed change orders in signing order. Removed items stay, flagged. */
  readonly scope: ReadonlyMap<string, ScopeItemState>;
  readonly changeRequests: ReadonlyMap<string, ChangeRequestState>;
  readonly changeOrders: ReadonlyMap<string, ChangeOrderState>;
  readonly cards: ReadonlyMap<string, CardState>;
}

export interface MilestoneState extends Milestone {
  /** Working days signed orders have moved it (a shift moves its milestone and every later one). */
  readonly shift: number;
}

export interface ScopeItemState extends PricedScopeItem {
  readonly origin: 'baseline' | 'added';
  readonly removed: boolean;
  /** Numbers of the signed change orders that changed this item, in signing order. */
  readonly changedBy: readonly number[];
  readonly lastOp?: 'add' | 'modify' | 'remove';
}

export type ChangeRequestStatus = 'logged' | 'assessed' | 'declined' | 'ordered' | 'approved';

export interface ChangeRequestState extends Readonly<Omit<ProjectEventMap['ChangeRequestLogged'], 'changeRequestId'>> {
  readonly id: string;
  readonly status: ChangeRequestStatus;
  readonly assessment?: {
    readonly lines: readonly ScopeChangeLine[];
    readonly schedule: readonly ScheduleShift[];
    readonly notes?: string;
    readonly noCharge: boolean;
    readonly costDelta: Minor;
    readonly products?: readonly ProductChangeLine[];
    readonly monthlyDelta?: Minor;
    readonly assessedAt: string;
  };
  readonly decline?: Readonly<Omit<ProjectEventMap['ChangeRequestDeclined'], 'changeRequestId'>>;
  /** The draft, issued or signed order this request sits on. */
  readonly changeOrderId?: string;
}

export type ChangeOrderStatus = 'draft' | 'issued' | 'signed' | 'declined' | 'voided' | 'expired';

export interface ChangeOrderState {
  readonly id: string;
  readonly number: number;
  readonly status: ChangeOrderStatus;
  readonly changeRequestIds: readonly string[];
  readonly signer: Person;
  readonly expiresInDays: number;
  readonly terms: string;
  readonly lines: readonly OrderLine[];
  readonly schedule: readonly OrderScheduleShift[];
  readonly amount: Minor;
  readonly absorbed: Minor;
  /** Absent: no product lines. */
  readonly products?: readonly OrderProductLine[];
  /** Net monthly recurring change; absent: 0. */
  readonly monthly?: Minor;
  readonly draftedAt: string;
  /** The newest issue: the original, or the latest revision. */
  readonly issue?: Readonly<Omit<ProjectEventMap['ChangeOrderIssued'], 'changeOrderId'>>;
  /** 0 as first issued; 1, 2, … once revised. */
  readonly revision: number;
  /** The original issue and each revision, oldest first: their documents and links stay on record. */
  readonly issues: readonly OrderIssue[];
  readonly firstViewedAt?: string;
  readonly lastViewedAt?: string;
  /** Absent: 'none', the link alone. */
  readonly signerVerification?: SignerVerification;
  /** The signer's steps through the current link (see signing-ceremony.ts). */
  readonly ceremony?: SigningCeremony;
  readonly signature?: Readonly<Omit<ProjectEventMap['ChangeOrderSigned'], 'changeOrderId' | 'documentSha256'>>;
  readonly closedReason?: string;
  readonly closedAt?: string;
  /** Invoices and credit notes (negative amounts) in the order recorded, voided ones included. */
  readonly invoices: readonly InvoiceState[];
  /** Net of the invoices and credit notes that are not voided. */
  readonly invoiced: Minor;
}

export interface InvoiceState {
  readonly invoiceNumber: string;
  readonly amount: Minor;
  /** Absent on invoices recorded before they carried a date: read the date of invoicedAt. */
  readonly invoiceDate?: IsoDate;
  readonly invoicedAt: string;
  readonly voided?: { readonly reason: string; readonly voidedAt: string };
}

/** An invoice against the baseline contract, billing one of its milestones when it names one. */
export interface BaselineInvoiceState extends InvoiceState {
  readonly milestone?: string;
}

/** Something the project waits for from the client (see client-dependencies.ts). */
export interface ClientDependencyState {
  readonly id: string;
  readonly number: number;
  readonly what: string;
  /** The baseline milestone it holds up, if named. */
  readonly milestone?: string;
  readonly since: IsoDate;
  readonly due: IsoDate;
  readonly loggedAt: string;
  readonly resolved?: { readonly on: IsoDate; readonly at: string };
  /** The change request that claims the working days it cost. */
  readonly changeRequestId?: string;
}

export interface OrderIssue {
  readonly revision: number;
  readonly documentSha256: string;
  readonly signingTokenSha256: string;
  readonly issuedAt: string;
  readonly expiresAt: string;
}

/** What the signer did through one signing link, the link of the order's current issue. */
export interface SigningCeremony {
  readonly signingTokenSha256: string;
  /** The page or the PDF was first served through this link. */
  readonly servedAt?: string;
  readonly lastDownloadedAt?: { readonly issued?: string; readonly sealed?: string };
  readonly consent?: {
    readonly disclosureVersion: string;
    readonly disclosureSha256: string;
    readonly consentedAt: string;
  };
  readonly withdrawnAt?: string;
  readonly codesSent: number;
  /** The last one-time code sent: only its salted hash. */
  readonly code?: {
    readonly sentAt: string;
    readonly codeSalt: string;
    readonly codeSha256: string;
    readonly expiresAt: string;
    readonly failedAttempts: number;
  };
  readonly verifiedAt?: string;
}

export interface CardState extends Readonly<Omit<ProjectEventMap['BoardCardAdded'], 'cardId' | 'addedAt'>> {
  readonly id: string;
  readonly loggedCentiHours: CentiHours;
  readonly column: BoardColumn;
  readonly cancelled: boolean;
  /** The person of the team stream doing the work (P-3); absent: no one. */
  readonly assignee?: string;
  readonly timeEntries: readonly { readonly centiHours: CentiHours; readonly date: IsoDate; readonly note?: string }[];
}

/** One record an event creates or replaces. Records are never changed in place. */
export type RecordChange =
  | { readonly kind: 'project'; readonly header: ProjectHeader }
  | { readonly kind: 'milestone'; readonly record: MilestoneState }
  | { readonly kind: 'scopeItem'; readonly record: ScopeItemState }
  | { readonly kind: 'changeRequest'; readonly record: ChangeRequestState }
  | { readonly kind: 'changeOrder'; readonly record: ChangeOrderState }
  | { readonly kind: 'card'; readonly record: CardState };

export const initialProjectState: ProjectState = {
  exists: false,
  projectId: '',
  name: '',
  client: { name: '', email: '' },
  status: 'open',
  currency: '',
  rates: new Map(),
  startDate: '',
  holidays: [],
  openedAt: '',
  baseline: { established: false, items: [], total: 0 },
  wipLimits: new Map(),
  lastEventAt: '',
  milestones: new Map(),
  scope: new Map(),
  changeRequests: new Map(),
  changeOrders: new Map(),
  cards: new Map(),
};

export function evolve(state: ProjectState, event: ProjectEvent): ProjectState {
  return foldEvents([event], state);
}

type Collection = 'milestones' | 'scope' | 'changeRequests' | 'changeOrders' | 'cards';
const COLLECTION: Record<Exclude<RecordChange['kind'], 'project'>, Collection> = {
  milestone: 'milestones',
  scopeItem: 'scope',
  changeRequest: 'changeRequests',
  changeOrder: 'changeOrders',
  card: 'cards',
};

/** The state after several events, as evolve gives it one by one; `from` is never changed. */
export function foldEvents(events: Iterable<ProjectEvent>, from: ProjectState = initialProjectState): ProjectState {
  const state = { ...from } as { -readonly [K in keyof ProjectState]: ProjectState[K] };
  // Each Map is copied once per fold, the first time it changes, so a long stream folds in linear time.
  const copied = new Set<Collection>();
  for (const event of events) {
    for (const change of recordChanges(event, state)) {
      if (change.kind === 'project') {
        Object.assign(state, change.header, { exists: true });
        continue;
      }
      const name = COLLECTION[change.kind];
      if (!copied.has(name)) {
        state[name] = new Map(state[name] as ReadonlyMap<string, never>);
        copied.add(name);
      }
      (state[name] as Map<string, unknown>).set(recordKey(change), change.record);
    }
  }
  return state;
}

/** The key a record is filed under: a milestone's or scope item's ref, otherwise its id. */
export function recordKey(change: Exclude<RecordChange, { kind: 'project' }>): string {
  return change.kind === 'milestone' || change.kind === 'scopeItem' ? change.record.ref : change.record.id;
}

export function headerOf(state: ProjectState): ProjectHeader {
  const { projectId, name, client, manager, currency, rates, startDate, holidays, openedAt, baseline, wipLimits } =
    state;
  const { financeContact, defaultExpiryDays, timeZone, baselineInvoices, clientDependencies } = state;
  return {
    projectId,
    name,
    client,
    ...(manager ? { manager } : {}),
    ...(financeContact ? { financeContact } : {}),
    ...(defaultExpiryDays ? { defaultExpiryDays } : {}),
    ...(timeZone ? { timeZone } : {}),
    status: state.status ?? 'open',
    currency,
    rates,
    startDate,
    holidays,
    openedAt,
    baseline,
    wipLimits,
    ...(baselineInvoices?.length ? { baselineInvoices } : {}),
    ...(clientDependencies?.length ? { clientDependencies } : {}),
    lastEventAt: state.lastEventAt,
  };
}

/**
 * The records one event creates or replaces, read from `state` (a closed order also reads its requests; a
 * signature its requests, scope items and milestones). The fold and the read tables apply exactly these.
 */
export function recordChanges(event: ProjectEvent, state: ProjectState): RecordChange[] {
  const at = eventTime(event);
  const header = (changes: Partial<ProjectHeader> = {}): RecordChange => ({
    kind: 'project',
    header: { ...headerOf(state), ...changes, lastEventAt: state.lastEventAt > at ? state.lastEventAt : at },
  });
  const request = (id: string, change: (r: ChangeRequestState) => ChangeRequestState): RecordChange => ({
    kind: 'changeRequest',
    record: change(required(state.changeRequests, id, 'change request')),
  });
  const order = (id: string, change: (o: ChangeOrderState) => ChangeOrderState): RecordChange => ({
    kind: 'changeOrder',
    record: change(required(state.changeOrders, id, 'change order')),
  });
  /** The header's dependency list with one dependency changed. */
  const dependency = (id: string, change: (d: ClientDependencyState) => ClientDependencyState) => {
    const dependencies = state.clientDependencies ?? [];
    if (!dependencies.some((d) => d.id === id)) throw new Error(`No client dependency ${id}`);
    return dependencies.map((d) => (d.id === id ? change(d) : d));
  };
  const card = (id: string, change: (c: CardState) => CardState): RecordChange => ({
    kind: 'card',
    record: change(required(state.cards, id, 'card')),
  });

  switch (event.type) {
    case 'ProjectOpened': {
      const { manager, rates, ...opened } = event.data;
      const project = { ...opened, ...(manager ? { manager } : {}), rates: new Map(Object.entries(rates)) };
      return [{ kind: 'project', header: { ...headerOf(initialProjectState), ...project, lastEventAt: at } }];
    }
    case 'BaselineEstablished': {
      const { items, milestones, total, products, monthly } = event.data;
      const baselineProducts = { ...(products ? { products } : {}), ...(monthly ? { monthly } : {}) };
      return [
        header({ baseline: { established: true, items, total, ...baselineProducts } }),
        ...inScheduleOrder(milestones).map((m): RecordChange => ({ kind: 'milestone', record: { ...m, shift: 0 } })),
        ...items.map((item): RecordChange => ({
          kind: 'scopeItem',
          record: { ...item, origin: 'baseline', removed: false, changedBy: [] },
        })),
      ];
    }
    case 'ChangeRequestLogged': {
      const { changeRequestId, ticketRef, clientDependencyId, ...logged } = event.data;
      const record = {
        id: changeRequestId,
        ...logged,
        ...(ticketRef ? { ticketRef } : {}),
        ...(clientDependencyId ? { clientDependencyId } : {}),
        status: 'logged' as const,
      };
      const claimed = clientDependencyId
        ? { clientDependencies: dependency(clientDependencyId, (d) => ({ ...d, changeRequestId })) }
        : {};
      return [header(claimed), { kind: 'changeRequest', record }];
    }
    case 'ChangeRequestAssessed': {
      const { changeRequestId, notes, ...assessed } = event.data;
      const assessment = { ...assessed, ...(notes ? { notes } : {}) };
      return [header(), request(changeRequestId, (r) => ({ ...r, status: 'assessed', assessment }))];
    }
    case 'ChangeRequestDeclined': {
      const { changeRequestId, ...decline } = event.data;
      return [header(), request(changeRequestId, (r) => ({ ...r, status: 'declined', decline }))];
    }
    case 'ChangeRequestAmended': {
      const { changeRequestId, title, description } = event.data;
      return [header(), request(changeRequestId, (r) => ({ ...r, title, description }))];
    }
    case 'ChangeOrderDrafted': {
      const { changeOrderId, ...drafted } = event.data;
      return [
        header(),
        {
          kind: 'changeOrder',
          record: {
            id: changeOrderId,
            ...drafted,
            status: 'draft',
            revision: 0,
            issues: [],
            invoices: [],
            invoiced: 0,
          },
        },
        ...drafted.changeRequestIds.map((id) => request(id, (r) => ({ ...r, status: 'ordered', changeOrderId }))),
      ];
    }
    case 'ChangeOrderIssued': {
      const { changeOrderId, ...issue } = event.data;
      return [header(), order(changeOrderId, (o) => issuedOrder(o, 0, issue))];
    }
    case 'ChangeOrderRevised': {
      const { changeOrderId, revision, ...issue } = event.data;
      return [header(), order(changeOrderId, (o) => issuedOrder(o, revision, issue))];
    }
    case 'ChangeOrderViewed': {
      const { changeOrderId, viewedAt } = event.data;
      return [
        header(),
        order(changeOrderId, (o) =>
          ceremonyAfter({ ...o, firstViewedAt: o.firstViewedAt ?? viewedAt, lastViewedAt: viewedAt }, event),
        ),
      ];
    }
    case 'ChangeOrderDocumentDownloaded':
    case 'SignerConsented':
    case 'SignerConsentWithdrawn':
    case 'SigningCodeSent':
    case 'SigningCodeRejected':
    case 'SigningCodeVerified':
      return [header(), order(event.data.changeOrderId, (o) => ceremonyAfter(o, event))];
    case 'ChangeOrderSigned':
      return [header(), ...signedOrderChanges(state, event.data)];
    case 'ChangeOrderDeclined':
      return [header(), ...closedOrderChanges(state, event.data.changeOrderId, 'declined', at, event.data.reason)];
    case 'ChangeOrderVoided':
      return [header(), ...closedOrderChanges(state, event.data.changeOrderId, 'voided', at, event.data.reason)];
    case 'ChangeOrderExpired':
      return [header(), ...closedOrderChanges(state, event.data.changeOrderId, 'expired', at)];
    case 'BoardCardAdded': {
      const { cardId, addedAt: _addedAt, ...added } = event.data;
      const record: CardState = {
        id: cardId,
        ...added,
        loggedCentiHours: 0,
        column: 'backlog',
        cancelled: false,
        timeEntries: [],
      };
      return [header(), { kind: 'card', record }];
    }
    case 'BoardCardEstimateRevised': {
      const { cardId, title, role, estimateCentiHours, milestone } = event.data;
      const revised = (c: CardState): CardState => {
        const { milestone: _before, ...rest } = c;
        return { ...rest, title, role, estimateCentiHours, ...(milestone ? { milestone } : {}) };
      };
      return [header(), card(cardId, revised)];
    }
    case 'BoardCardCancelled':
      return [header(), card(event.data.cardId, (c) => ({ ...c, cancelled: true }))];
    case 'BoardCardMoved':
      return [header(), card(event.data.cardId, (c) => ({ ...c, column: event.data.to }))];
    case 'BoardCardAssigned': {
      const { cardId, personId } = event.data;
      return [
        header(),
        card(cardId, ({ assignee: _before, ...c }) => (personId === null ? c : { ...c, assignee: personId })),
      ];
    }
    case 'WipLimitsSet': {
      const limits = new Map(state.wipLimits);
      for (const [column, limit] of Object.entries(event.data.limits) as [BoardColumn, number | null][]) {
        if (limit === null) limits.delete(column);
        else limits.set(column, limit);
      }
      return [header({ wipLimits: limits })];
    }
    case 'TimeLogged': {
      const { cardId, centiHours, date, note } = event.data;
      const entry = { centiHours, date, ...(note ? { note } : {}) };
      return [
        header(),
        card(cardId, (c) => ({
          ...c,
          loggedCentiHours: c.loggedCentiHours + centiHours,
          timeEntries: [...c.timeEntries, entry],
        })),
      ];
    }
    case 'InvoiceRecorded': {
      const { changeOrderId, ...invoice } = event.data;
      return [
        header(),
        order(changeOrderId, (o) => ({
          ...o,
          invoices: [...o.invoices, invoice],
          invoiced: o.invoiced + invoice.amount,
        })),
      ];
    }
    case 'InvoiceVoided': {
      const { changeOrderId, invoiceNumber, reason, voidedAt } = event.data;
      return [header(), order(changeOrderId, (o) => voidedInvoice(o, invoiceNumber, { reason, voidedAt }))];
    }
    case 'BaselineInvoiceRecorded': {
      const { milestone, ...invoice } = event.data;
      const recorded = { ...invoice, ...(milestone ? { milestone } : {}) };
      return [header({ baselineInvoices: [...(state.baselineInvoices ?? []), recorded] })];
    }
    case 'BaselineInvoiceVoided': {
      const { invoiceNumber, reason, voidedAt } = event.data;
      const invoices = state.baselineInvoices ?? [];
      const voided = invoices.find((i) => i.invoiceNumber === invoiceNumber && !i.voided);
      if (!voided) throw new Error(`${invoiceNumber} is not a live baseline invoice`);
      return [
        header({ baselineInvoices: invoices.map((i) => (i === voided ? { ...i, voided: { reason, voidedAt } } : i)) }),
      ];
    }
    // A cleared setting is set to undefined: the fold assigns the header over the state; a missing key would keep it.
    case 'ProjectRenamed':
      return [header({ name: event.data.name })];
    case 'ProjectManagerChanged':
      return [header({ manager: event.data.manager ?? undefined })];
    case 'ClientContactsChanged':
      return [header({ client: event.data.client, financeContact: event.data.financeContact ?? undefined })];
    case 'ProjectHolidaysChanged':
      return [header({ holidays: event.data.holidays })];
    case 'ProjectRatesChanged':
      return [header({ rates: new Map(Object.entries(event.data.rates)) })];
    case 'DefaultExpiryChanged':
      return [header({ defaultExpiryDays: event.data.defaultExpiryDays ?? undefined })];
    case 'ProjectTimeZoneChanged':
      return [header({ timeZone: event.data.timeZone ?? undefined })];
    case 'ProjectClosed':
      return [header({ status: 'closed' })];
    case 'ProjectReopened':
      return [header({ status: 'open' })];
    case 'ProjectArchived':
      return [header({ status: 'archived' })];
    case 'ClientDependencyLogged': {
      const { dependencyId, milestone, ...logged } = event.data;
      const added = { id: dependencyId, ...logged, ...(milestone ? { milestone } : {}) };
      return [header({ clientDependencies: [...(state.clientDependencies ?? []), added] })];
    }
    case 'ClientDependencyResolved': {
      const { dependencyId, resolvedOn, resolvedAt } = event.data;
      const resolved = { on: resolvedOn, at: resolvedAt };
      return [header({ clientDependencies: dependency(dependencyId, (d) => ({ ...d, resolved })) })];
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** A voided invoice stays listed, marked, and stops counting towards what was invoiced. */
function voidedInvoice(
  order: ChangeOrderState,
  invoiceNumber: string,
  voided: InvoiceState['voided'],
): ChangeOrderState {
  const invoice = order.invoices.find((i) => i.invoiceNumber === invoiceNumber && !i.voided);
  if (!invoice) throw new Error(`${invoiceNumber} is not a live invoice of change order ${order.id}`);
  return {
    ...order,
    invoices: order.invoices.map((i) => (i === invoice ? { ...i, voided } : i)),
    invoiced: order.invoiced - invoice.amount,
  };
}

/** An issue or a revision: the newest figures and link, the earlier ones kept; views start again for the new copy. */
function issuedOrder(
  order: ChangeOrderState,
  revision: number,
  issue: NonNullable<ChangeOrderState['issue']>,
): ChangeOrderState {
  const { firstViewedAt: _first, lastViewedAt: _last, ...rest } = order;
  const { documentSha256, signingTokenSha256, issuedAt, expiresAt } = issue;
  const issues = [...(order.issues ?? []), { revision, documentSha256, signingTokenSha256, issuedAt, expiresAt }];
  return { ...rest, status: 'issued', issue, revision, issues };
}

/** A signature applies the order's lines to the scope, its shifts to the milestones, and approves its requests. */
function signedOrderChanges(state: ProjectState, signed: ProjectEventMap['ChangeOrderSigned']): RecordChange[] {
  const { changeOrderId, documentSha256: _documentSha256, streamHeadHash, ...signature } = signed;
  const order = required(state.changeOrders, changeOrderId, 'change order');
  return [
    {
      kind: 'changeOrder',
      record: {
        ...order,
        status: 'signed',
        signature: { ...signature, ...(streamHeadHash ? { streamHeadHash } : {}) },
      },
    },
    ...order.changeRequestIds.map((id): RecordChange => {
      const request = required(state.changeRequests, id, 'change request');
      return { kind: 'changeRequest', record: { ...request, status: 'approved' } };
    }),
    ...order.lines.map((line): RecordChange => ({
      kind: 'scopeItem',
      record: scopeItemAfter(state, line, order.number),
    })),
    ...shiftMilestones([...state.milestones.values()], order.schedule).map((record): RecordChange => ({
      kind: 'milestone',
      record,
    })),
  ];
}

function scopeItemAfter(state: ProjectState, line: OrderLine, orderNumber: number): ScopeItemState {
  const existing = state.scope.get(line.ref);
  const changedBy = [...(existing?.changedBy ?? []), orderNumber];
  if (line.op === 'remove') {
    return { ...required(state.scope, line.ref, 'scope item'), removed: true, changedBy, lastOp: 'remove' };
  }
  return { ...line.item, origin: existing?.origin ?? 'added', removed: false, changedBy, lastOp: line.op };
}

/** A declined, voided or expired order frees its requests for a new order, with their assessments intact. */
function closedOrderChanges(
  state: ProjectState,
  orderId: string,
  status: 'declined' | 'voided' | 'expired',
  closedAt: string,
  reason?: string,
): RecordChange[] {
  const order = required(state.changeOrders, orderId, 'change order');
  const closedReason = reason === undefined ? {} : { closedReason: reason };
  return [
    { kind: 'changeOrder', record: { ...order, status, ...closedReason, closedAt } },
    ...order.changeRequestIds.map((id): RecordChange => {
      const { changeOrderId: _freed, ...request } = required(state.changeRequests, id, 'change request');
      return { kind: 'changeRequest', record: { ...request, status: 'assessed' } };
    }),
  ];
}

function required<T>(records: ReadonlyMap<string, T>, key: string, what: string): T {
  const record = records.get(key);
  if (record === undefined) throw new Error(`The project has no ${what} ${key}`);
  return record;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** By baseline due date; the sort is stable, so ties keep their baseline order. */
function inScheduleOrder(milestones: readonly Milestone[]): Milestone[] {
  return milestones.toSorted((a, b) => compareText(a.due, b.due));
}

/** Milestones in schedule order after shifts: a shift moves its milestone and every later one. */
export function shiftMilestones(
  milestones: readonly MilestoneState[],
  shifts: readonly ScheduleShift[],
): MilestoneState[] {
  const shifted = [...milestones];
  for (const { milestone, workingDays } of shifts) {
    const start = shifted.findIndex((m) => m.ref === milestone);
    if (start < 0) continue;
    for (let i = start; i < shifted.length; i++) shifted[i] = { ...shifted[i], shift: shifted[i].shift + workingDays };
  }
  return shifted;
}

export function calendarOf(state: Pick<ProjectState, 'holidays'>): WorkingCalendar {
  return new WorkingCalendar(state.holidays);
}

/** Signed orders in the order they were signed. */
export function signedOrders(state: Pick<ProjectState, 'changeOrders'>): ChangeOrderState[] {
  const signed = [...state.changeOrders.values()].filter((o) => o.signature !== undefined);
  return signed.sort((a, b) => compareText(a.signature!.signedAt, b.signature!.signedAt));
}

export function approvedChanges(state: Pick<ProjectState, 'changeOrders'>): Minor {
  return sumMinor([...state.changeOrders.values()].filter((o) => o.signature).map((o) => o.amount));
}

export function currentContractValue(state: ProjectState): Minor {
  return state.baseline.total + approvedChanges(state);
}

/** The card on the board for a scope item: the last one added for its ref, unless that one was cancelled. */
export function liveCardOf(state: Pick<ProjectState, 'cards'>, ref: string): CardState | undefined {
  const last = [...state.cards.values()].findLast((card) => card.ref === ref);
  return last && !last.cancelled ? last : undefined;
}
