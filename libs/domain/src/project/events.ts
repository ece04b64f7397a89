import { CentiHours, Minor } from '../shared/money';
import { IsoDate } from '../shared/calendar';

/** Every fact in a project's stream `project-<uuid>`. Past tense, versioned by SCHEMA_VERSIONS. */

export type ChangeSource = 'email' | 'phone' | 'meeting' | 'ticket' | 'portal';
export const CHANGE_SOURCES: readonly ChangeSource[] = ['email', 'phone', 'meeting', 'ticket', 'portal'];

export type DeclineCategory = 'out_of_scope' | 'warranty' | 'duplicate' | 'other';
export const DECLINE_CATEGORIES: readonly DeclineCategory[] = ['out_of_scope', 'warranty', 'duplicate', 'other'];

export type BoardColumn = 'backlog' | 'ready' | 'in_progress' | 'review' | 'done';
export const BOARD_COLUMNS: readonly BoardColumn[] = ['backlog', 'ready', 'in_progress', 'review', 'done'];

export interface Person {
  readonly name: string;
  readonly email: string;
}

export interface ScopeItemSpec {
  readonly ref: string;
  readonly title: string;
  readonly role: string;
  readonly centiHours: CentiHours;
  readonly fixedCost: Minor;
}

/** A scope item priced with the rate in force when it was priced. */
export interface PricedScopeItem extends ScopeItemSpec {
  readonly rate: Minor;
  readonly cost: Minor;
}

export interface Milestone {
  readonly ref: string;
  readonly name: string;
  readonly due: IsoDate;
}

export type LineOp = 'add' | 'modify' | 'remove';

/**
 * One assessed scope change, priced against the current scope when assessed; orders refuse it once that item has
 * changed.
 */
export interface ScopeChangeLine {
  readonly op: LineOp;
  readonly ref: string;
  /** The item after the change (for remove: the item as it was). */
  readonly item: PricedScopeItem;
  /** The item before the change (modify and remove). */
  readonly before?: PricedScopeItem;
  /** Cost change: item.cost - before.cost, or item.cost for add, -before.cost for remove. */
  readonly costDelta: Minor;
  /** Hours change, same convention. */
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

export interface OrderScheduleShift extends ScheduleShift {
  readonly changeRequestId: string;
}

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
  };
  BaselineEstablished: { items: PricedScopeItem[]; milestones: Milestone[]; total: Minor };
  ChangeRequestLogged: {
    changeRequestId: string;
    number: number;
    title: string;
    description: string;
    source: ChangeSource;
    requestedBy: Person;
    receivedAt: string;
    ticketRef?: string;
  };
  ChangeRequestAssessed: {
    changeRequestId: string;
    lines: ScopeChangeLine[];
    schedule: ScheduleShift[];
    notes?: string;
    noCharge: boolean;
    costDelta: Minor;
  };
  ChangeRequestDeclined: { changeRequestId: string; reason: string; category: DeclineCategory };
  ChangeOrderDrafted: {
    changeOrderId: string;
    number: number;
    changeRequestIds: string[];
    signer: Person;
    expiresInDays: number;
    terms: string;
    lines: OrderLine[];
    schedule: OrderScheduleShift[];
    amount: Minor;
    absorbed: Minor;
  };
  ChangeOrderIssued: {
    changeOrderId: string;
    documentSha256: string;
    signingTokenSha256: string;
    /** Random nonce from which the server's signing secret derives the link token (see signing-token.ts). */
    signingTokenNonce: string;
    issuedAt: string;
    expiresAt: string;
    /** Contract figures printed on the document. */
    originalContract: Minor;
    previouslyApproved: Minor;
  };
  ChangeOrderViewed: { changeOrderId: string; viewedAt: string };
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
  ChangeOrderVoided: { changeOrderId: string; reason: string };
  ChangeOrderExpired: { changeOrderId: string; expiredAt: string };
  BoardCardAdded: {
    cardId: string;
    number: number;
    ref: string;
    title: string;
    role: string;
    estimateCentiHours: CentiHours;
    /** The baseline or the signed change order that admitted the work. */
    admittedBy: { kind: 'baseline' } | { kind: 'change_order'; changeOrderId: string };
  };
  BoardCardEstimateRevised: {
    cardId: string;
    title: string;
    role: string;
    estimateCentiHours: CentiHours;
    changeOrderId: string;
  };
  BoardCardCancelled: { cardId: string; changeOrderId: string };
  BoardCardMoved: { cardId: string; from: BoardColumn; to: BoardColumn };
  WipLimitsSet: { limits: Partial<Record<BoardColumn, number | null>> };
  TimeLogged: { cardId: string; centiHours: CentiHours; date: IsoDate; note?: string };
  InvoiceRecorded: { changeOrderId: string; invoiceNumber: string; amount: Minor; invoicedAt: string };
}

export type ProjectEventType = keyof ProjectEventMap;

export type ProjectEvent = {
  [K in ProjectEventType]: { readonly type: K; readonly data: ProjectEventMap[K] };
}[ProjectEventType];

export type EventOf<K extends ProjectEventType> = Extract<ProjectEvent, { type: K }>;

export const PROJECT_EVENT_TYPES: readonly ProjectEventType[] = [
  'ProjectOpened',
  'BaselineEstablished',
  'ChangeRequestLogged',
  'ChangeRequestAssessed',
  'ChangeRequestDeclined',
  'ChangeOrderDrafted',
  'ChangeOrderIssued',
  'ChangeOrderViewed',
  'ChangeOrderSigned',
  'ChangeOrderDeclined',
  'ChangeOrderVoided',
  'ChangeOrderExpired',
  'BoardCardAdded',
  'BoardCardEstimateRevised',
  'BoardCardCancelled',
  'BoardCardMoved',
  'WipLimitsSet',
  'TimeLogged',
  'InvoiceRecorded',
];

/** Every event type starts at schema version 1; bump here when a payload changes shape. */
export const SCHEMA_VERSION = 1;

export function projectStreamId(projectId: string): string {
  return `project-${projectId}`;
}

export function event<K extends ProjectEventType>(type: K, data: ProjectEventMap[K]): EventOf<K> {
  return { type, data } as EventOf<K>;
}
