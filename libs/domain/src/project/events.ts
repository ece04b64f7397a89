import { CentiHours, Minor } from '../shared/money';
import { IsoDate } from '../shared/calendar';
import { Product } from '../catalogue/events';

/** How the client asked: the channels a request can be logged from. */
export type RequestChannel = 'email' | 'phone' | 'meeting' | 'ticket' | 'portal';
export const CHANGE_SOURCES: readonly RequestChannel[] = ['email', 'phone', 'meeting', 'ticket', 'portal'];
/** A channel, or client_dependency: raised by the PM for the working days lost waiting on the client. */
export type ChangeSource = RequestChannel | 'client_dependency';

export type DeclineCategory = 'out_of_scope' | 'warranty' | 'duplicate' | 'other';
export const DECLINE_CATEGORIES: readonly DeclineCategory[] = ['out_of_scope', 'warranty', 'duplicate', 'other'];

export type BoardColumn = 'backlog' | 'ready' | 'in_progress' | 'review' | 'done';
export const BOARD_COLUMNS: readonly BoardColumn[] = ['backlog', 'ready', 'in_progress', 'review', 'done'];

export function isBoardColumn(value: unknown): value is BoardColumn {
  return (BOARD_COLUMNS as readonly unknown[]).includes(value);
}
export const COLUMN_LABELS: Readonly<Record<BoardColumn, string>> = {
  backlog: 'Backlog',
  ready: 'Ready',
  in_progress: 'In progress',
  review: 'Review',
  done: 'Done',
};

export interface Person {
  readonly name: string;
  readonly email: string;
}

/** A scope item priced with the rate in force when it was priced. */
export interface PricedScopeItem {
  readonly ref: string;
  readonly title: string;
  readonly role: string;
  readonly centiHours: CentiHours;
  readonly fixedCost: Minor;
  readonly rate: Minor;
  readonly cost: Minor;
  /** The ref of the project's milestone the work is due by; absent: the project's last milestone. */
  readonly milestone?: string;
}

export interface Milestone {
  readonly ref: string;
  readonly name: string;
  readonly due: IsoDate;
}

export type LineOp = 'add' | 'modify' | 'remove';

/** One assessed scope change, priced against the current scope when assessed. */
export interface ScopeChangeLine {
  readonly op: LineOp;
  readonly ref: string;
  /** The item after the change (for remove: the item as it was). */
  readonly item: PricedScopeItem;
  /** The item before the change (modify and remove). */
  readonly before?: PricedScopeItem;
  /** item.cost - before.cost (item.cost for add, -before.cost for remove); centiHoursDelta likewise. */
  readonly costDelta: Minor;
  readonly centiHoursDelta: CentiHours;
}

export interface ScheduleShift {
  readonly milestone: string;
  readonly workingDays: number;
}

export interface OrderLine extends ScopeChangeLine {
  readonly changeRequestId: string;
  readonly changeRequestNumber: number;
  readonly noCharge: boolean;
  /** What the client pays for this line: costDelta, or 0 when no-charge. */
  readonly amount: Minor;
}

/**
 * One assessed change to the products a project holds (licences, hardware), priced with the catalogue's snapshot
 * taken when assessed (add) or the unit price agreed when it was added (modify, remove).
 */
export interface ProductChangeLine {
  readonly op: LineOp;
  readonly sku: string;
  /** The product as priced: a later catalogue change never alters it. */
  readonly product: Product;
  /** Units after the change (0 for remove) and before it (0 for add). */
  readonly quantity: number;
  readonly quantityBefore: number;
  /** unitPrice × (quantity − quantityBefore): once for one_off billing, per month for monthly. */
  readonly priceDelta: Minor;
  /** (unitPrice − unitCost) × (quantity − quantityBefore). For staff only. */
  readonly marginDelta: Minor;
}

export interface OrderProductLine extends ProductChangeLine {
  readonly changeRequestId: string;
  readonly changeRequestNumber: number;
  readonly noCharge: boolean;
  /** What the client pays once: priceDelta of a one_off line; 0 for monthly or no-charge lines. */
  readonly amount: Minor;
  /** The change per month: priceDelta of a monthly line; 0 for one_off or no-charge lines. */
  readonly monthly: Minor;
  /** What the company keeps: amount + monthly − unit cost × quantity change. For staff only. */
  readonly margin: Minor;
}

export interface OrderScheduleShift extends ScheduleShift {
  readonly changeRequestId: string;
}

/** A milestone the order moves, with its dates as the order prints them: fixed when the order is issued. */
export interface OrderMilestoneDates {
  readonly milestone: string;
  readonly name: string;
  readonly baselineDue: IsoDate;
  /** Its date with the orders signed so far, before this one. */
  readonly dueBefore: IsoDate;
  readonly dueAfter: IsoDate;
  /** Working days from dueBefore to dueAfter. */
  readonly workingDays: number;
}

/** The contract figures an order is issued (or revised) with; its document prints exactly these. */
export interface IssuedFigures {
  issuedAt: string;
  expiresAt: string;
  originalContract: Minor;
  /** Net change of the orders signed before this one was issued. */
  previouslyApproved: Minor;
  /** Net monthly recurring charges of the orders signed before this one; absent: 0. */
  previouslyApprovedMonthly?: Minor;
  /** Absent on orders issued before issues recorded their dates. */
  schedule?: OrderMilestoneDates[];
}

/** How the signer proves they hold the signer's mailbox, besides opening the link sent to it. */
export type SignerVerification = 'none' | 'email_code';
export const SIGNER_VERIFICATIONS: readonly SignerVerification[] = ['none', 'email_code'];

export type CardAdmission =
  { readonly kind: 'baseline' } | { readonly kind: 'change_order'; readonly changeOrderId: string };

/** Every fact in a project's stream `project-<uuid>`. Past tense; each payload carries when it happened. */
export interface ProjectEventMap {
  ProjectOpened: {
    projectId: string;
    name: string;
    client: Person;
    /** Who hears about signatures and declines. */
    manager?: Person;
    currency: string;
    rates: Record<string, Minor>;
    startDate: IsoDate;
    holidays: IsoDate[];
    /** IANA name; absent: none set at opening (dates are then judged in UTC). */
    timeZone?: string;
    openedAt: string;
  };
  BaselineEstablished: {
    items: PricedScopeItem[];
    milestones: Milestone[];
    /** Scope items and one_off products: the original contract. */
    total: Minor;
    /** Products the contract starts with (op add); absent: none. */
    products?: ProductChangeLine[];
    /** Recurring monthly charges of its monthly products; absent: 0. */
    monthly?: Minor;
    establishedAt: string;
  };
  ChangeRequestLogged: {
    changeRequestId: string;
    number: number;
    title: string;
    description: string;
    source: ChangeSource;
    requestedBy: Person;
    receivedAt: string;
    ticketRef?: string;
    /** Set when the request claims the working days lost waiting for this client dependency. */
    clientDependencyId?: string;
    loggedAt: string;
  };
  ChangeRequestAssessed: {
    changeRequestId: string;
    lines: ScopeChangeLine[];
    schedule: ScheduleShift[];
    notes?: string;
    noCharge: boolean;
    /** The one-off price change: labour lines plus one_off product lines. */
    costDelta: Minor;
    /** Absent on assessments without products: none. */
    products?: ProductChangeLine[];
    /** The monthly recurring price change of its monthly product lines; absent: 0. */
    monthlyDelta?: Minor;
    assessedAt: string;
  };
  ChangeRequestDeclined: { changeRequestId: string; reason: string; category: DeclineCategory; declinedAt: string };
  ChangeRequestAmended: { changeRequestId: string; title: string; description: string; amendedAt: string };
  ChangeOrderDrafted: {
    changeOrderId: string;
    number: number;
    changeRequestIds: string[];
    signer: Person;
    expiresInDays: number;
    terms: string;
    lines: OrderLine[];
    schedule: OrderScheduleShift[];
    /** Labour lines and one_off product lines, charged once. */
    amount: Minor;
    absorbed: Minor;
    /** Absent on orders without products: none. Products never become board cards. */
    products?: OrderProductLine[];
    /** The net monthly recurring change the order signs for; absent: 0. */
    monthly?: Minor;
    draftedAt: string;
    /** Absent on orders drafted before it could be chosen: 'none'. */
    signerVerification?: SignerVerification;
  };
  ChangeOrderIssued: {
    changeOrderId: string;
    documentSha256: string;
    signingTokenSha256: string;
    /** Random nonce from which the server's signing secret derives the link token (see signing-token.ts). */
    signingTokenNonce: string;
  } & IssuedFigures;
  /** A stale order sent again with the figures of now: a new document and a new link; the old link is gone. */
  ChangeOrderRevised: {
    changeOrderId: string;
    /** 1 for the first revision, 2 for the next. */
    revision: number;
    documentSha256: string;
    signingTokenSha256: string;
    signingTokenNonce: string;
  } & IssuedFigures;
  ChangeOrderViewed: { changeOrderId: string; viewedAt: string };
  ChangeOrderDocumentDownloaded: {
    changeOrderId: string;
    copy: 'issued' | 'sealed';
    downloadedAt: string;
    ip: string;
    userAgent: string;
  };
  /** The signer agreed to electronic records and signature; the text shown is stored by its SHA-256. */
  SignerConsented: {
    changeOrderId: string;
    disclosureVersion: string;
    disclosureSha256: string;
    consentedAt: string;
    ip: string;
    userAgent: string;
  };
  /** Not a decline: the signer wants paper; the link can no longer sign. */
  SignerConsentWithdrawn: { changeOrderId: string; withdrawnAt: string; ip: string; userAgent: string };
  /** codeSha256 is HMAC-SHA256 of the salt and the code under the server's signing secret; the code is never stored. */
  SigningCodeSent: { changeOrderId: string; sentAt: string; codeSalt: string; codeSha256: string; expiresAt: string };
  SigningCodeRejected: { changeOrderId: string; rejectedAt: string; ip: string };
  SigningCodeVerified: { changeOrderId: string; verifiedAt: string; ip: string };
  ChangeOrderSigned: {
    changeOrderId: string;
    signer: Person;
    documentSha256: string;
    signedDocumentSha256: string;
    consentVersion: string;
    signature: 'typed' | 'drawn';
    signedAt: string;
    ip: string;
    userAgent: string;
    streamHeadHash?: string;
  };
  ChangeOrderDeclined: { changeOrderId: string; reason: string; declinedAt: string; ip: string; userAgent: string };
  ChangeOrderVoided: { changeOrderId: string; reason: string; voidedAt: string };
  /** expiredAt is when the order's time ran out, which the sweeper notices a little later. */
  ChangeOrderExpired: { changeOrderId: string; expiredAt: string };
  BoardCardAdded: {
    cardId: string;
    number: number;
    ref: string;
    title: string;
    role: string;
    estimateCentiHours: CentiHours;
    /** The milestone its scope item is due by; absent: the project's last milestone. */
    milestone?: string;
    /** The baseline or the signed change order that admitted the work. */
    admittedBy: CardAdmission;
    addedAt: string;
  };
  BoardCardEstimateRevised: {
    cardId: string;
    title: string;
    role: string;
    estimateCentiHours: CentiHours;
    /** The milestone the card is due by after the revision; absent: the project's last milestone. */
    milestone?: string;
    changeOrderId: string;
    revisedAt: string;
  };
  BoardCardCancelled: { cardId: string; changeOrderId: string; cancelledAt: string };
  BoardCardMoved: { cardId: string; from: BoardColumn; to: BoardColumn; movedAt: string };
  /** personId: a person of the team stream (P-3) who does the work; null: no one any more. */
  BoardCardAssigned: { cardId: string; personId: string | null; assignedAt: string };
  WipLimitsSet: { limits: Partial<Record<BoardColumn, number | null>>; setAt: string };
  TimeLogged: { cardId: string; centiHours: CentiHours; date: IsoDate; note?: string; loggedAt: string };
  /** A negative amount is a credit note settling a credit order. Invoices recorded before dates were kept have none. */
  InvoiceRecorded: {
    changeOrderId: string;
    invoiceNumber: string;
    amount: Minor;
    invoiceDate?: IsoDate;
    invoicedAt: string;
  };
  /** The invoice stays on record but no longer counts; its number stays taken on the order. */
  InvoiceVoided: { changeOrderId: string; invoiceNumber: string; reason: string; voidedAt: string };
  /** An invoice against the baseline contract; milestone: the ref of the baseline milestone it bills, if any. */
  BaselineInvoiceRecorded: {
    invoiceNumber: string;
    amount: Minor;
    invoiceDate: IsoDate;
    milestone?: string;
    invoicedAt: string;
  };
  /** The baseline invoice stays on record but no longer counts; its number stays taken in the project. */
  BaselineInvoiceVoided: { invoiceNumber: string; reason: string; voidedAt: string };
  ProjectRenamed: { name: string; changedAt: string };
  /** null: the project no longer names a manager. */
  ProjectManagerChanged: { manager: Person | null; changedAt: string };
  /** The client's main contact (the default signer) and finance contact, as they stand after the change. */
  ClientContactsChanged: { client: Person; financeContact: Person | null; changedAt: string };
  /** For dates computed from now on; milestonesMoved lists the current due dates the new calendar moves. */
  ProjectHolidaysChanged: { holidays: IsoDate[]; milestonesMoved: MilestoneMove[]; changedAt: string };
  /** The whole rate card for assessments from now on; what was priced keeps its rate. */
  ProjectRatesChanged: { rates: Record<string, Minor>; changedAt: string };
  /** null: drafts that name no expiry get DEFAULT_EXPIRY_DAYS again. */
  DefaultExpiryChanged: { defaultExpiryDays: number | null; changedAt: string };
  /** An IANA zone name such as Europe/Berlin; null: none set. */
  ProjectTimeZoneChanged: { timeZone: string | null; changedAt: string };
  ProjectClosed: { closedAt: string };
  ProjectReopened: { reopenedAt: string };
  ProjectArchived: { archivedAt: string };
  /** Something the project waits for from the client: since when, due when, and the milestone it holds up. */
  ClientDependencyLogged: {
    dependencyId: string;
    number: number;
    what: string;
    milestone?: string;
    since: IsoDate;
    due: IsoDate;
    loggedAt: string;
  };
  /** The client delivered it on resolvedOn (a calendar date in the project's zone). */
  ClientDependencyResolved: { dependencyId: string; resolvedOn: IsoDate; resolvedAt: string };
}

/** A milestone whose current due date new holidays move: its working-day shift counted on the new calendar. */
export interface MilestoneMove {
  readonly milestone: string;
  readonly dueBefore: IsoDate;
  readonly dueAfter: IsoDate;
}

export type ProjectEventType = keyof ProjectEventMap;

export type ProjectEvent = {
  [K in ProjectEventType]: { readonly type: K; readonly data: ProjectEventMap[K] };
}[ProjectEventType];

export type EventOf<K extends ProjectEventType> = Extract<ProjectEvent, { type: K }>;

/** Per type: the payload field that says when it happened, and the schema version written today. */
const EVENT_TYPES = {
  ProjectOpened: { time: 'openedAt', version: 2 },
  BaselineEstablished: { time: 'establishedAt', version: 2 },
  ChangeRequestLogged: { time: 'loggedAt', version: 2 },
  ChangeRequestAssessed: { time: 'assessedAt', version: 2 },
  ChangeRequestDeclined: { time: 'declinedAt', version: 2 },
  ChangeRequestAmended: { time: 'amendedAt', version: 1 },
  ChangeOrderDrafted: { time: 'draftedAt', version: 2 },
  ChangeOrderIssued: { time: 'issuedAt', version: 1 },
  ChangeOrderRevised: { time: 'issuedAt', version: 1 },
  ChangeOrderViewed: { time: 'viewedAt', version: 1 },
  ChangeOrderDocumentDownloaded: { time: 'downloadedAt', version: 1 },
  SignerConsented: { time: 'consentedAt', version: 1 },
  SignerConsentWithdrawn: { time: 'withdrawnAt', version: 1 },
  SigningCodeSent: { time: 'sentAt', version: 1 },
  SigningCodeRejected: { time: 'rejectedAt', version: 1 },
  SigningCodeVerified: { time: 'verifiedAt', version: 1 },
  ChangeOrderSigned: { time: 'signedAt', version: 1 },
  ChangeOrderDeclined: { time: 'declinedAt', version: 1 },
  ChangeOrderVoided: { time: 'voidedAt', version: 2 },
  ChangeOrderExpired: { time: 'expiredAt', version: 1 },
  BoardCardAdded: { time: 'addedAt', version: 2 },
  BoardCardEstimateRevised: { time: 'revisedAt', version: 2 },
  BoardCardCancelled: { time: 'cancelledAt', version: 2 },
  BoardCardMoved: { time: 'movedAt', version: 2 },
  BoardCardAssigned: { time: 'assignedAt', version: 1 },
  WipLimitsSet: { time: 'setAt', version: 2 },
  TimeLogged: { time: 'loggedAt', version: 2 },
  InvoiceRecorded: { time: 'invoicedAt', version: 1 },
  InvoiceVoided: { time: 'voidedAt', version: 1 },
  BaselineInvoiceRecorded: { time: 'invoicedAt', version: 1 },
  BaselineInvoiceVoided: { time: 'voidedAt', version: 1 },
  ProjectRenamed: { time: 'changedAt', version: 1 },
  ProjectManagerChanged: { time: 'changedAt', version: 1 },
  ClientContactsChanged: { time: 'changedAt', version: 1 },
  ProjectHolidaysChanged: { time: 'changedAt', version: 1 },
  ProjectRatesChanged: { time: 'changedAt', version: 1 },
  DefaultExpiryChanged: { time: 'changedAt', version: 1 },
  ProjectTimeZoneChanged: { time: 'changedAt', version: 1 },
  ProjectClosed: { time: 'closedAt', version: 1 },
  ProjectReopened: { time: 'reopenedAt', version: 1 },
  ProjectArchived: { time: 'archivedAt', version: 1 },
  ClientDependencyLogged: { time: 'loggedAt', version: 1 },
  ClientDependencyResolved: { time: 'resolvedAt', version: 1 },
} as const satisfies { [K in ProjectEventType]: { time: keyof ProjectEventMap[K]; version: number } };

export const PROJECT_EVENT_TYPES = Object.keys(EVENT_TYPES) as ProjectEventType[];

export const SCHEMA_VERSIONS = Object.fromEntries(
  PROJECT_EVENT_TYPES.map((type) => [type, EVENT_TYPES[type].version]),
) as { readonly [K in ProjectEventType]: number };

/** When the event happened, as its payload says. */
export function eventTime(event: ProjectEvent): string {
  return (event.data as unknown as Record<string, string>)[EVENT_TYPES[event.type].time];
}

/**
 * A stored event as this version of the domain reads it: undefined for types it does not know,
 * and events written before their payload carried its time given the time their metadata holds.
 */
export function upcastProjectEvent(
  type: string,
  schemaVersion: number,
  data: unknown,
  occurredAt: string,
): ProjectEvent | undefined {
  if (!Object.hasOwn(EVENT_TYPES, type)) return undefined;
  const payload = data as Record<string, unknown>;
  const { time, version } = EVENT_TYPES[type as ProjectEventType];
  if (schemaVersion >= version || Object.hasOwn(payload, time)) return { type, data: payload } as ProjectEvent;
  return { type, data: { ...payload, [time]: occurredAt } } as ProjectEvent;
}

export function projectStreamId(projectId: string): string {
  return `project-${projectId}`;
}

export function event<K extends ProjectEventType>(type: K, data: ProjectEventMap[K]): EventOf<K> {
  return { type, data } as EventOf<K>;
}
