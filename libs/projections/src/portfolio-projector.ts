import {
  calendarDateIn,
  calendarOf,
  CardState,
  ChangeOrderState,
  ChangeRequestState,
  headerOf,
  IsoDate,
  MilestoneState,
  Minor,
  ProjectState,
  ProjectStatus,
  sumMinor,
} from '@scope-ledger/domain';
import { SqlQueryable } from '@scope-ledger/event-store';
import { AppliedEvent, HandlerBatch, ProjectEventHandler } from './project-event-handler';
import { AppliedChange, UpsertColumn, upsertRows } from './record-tables';

/**
 * What a portfolio row is made of: sums of what each request, order and card contributes, so an
 * event's changes update them (less the replaced record, plus the new one) without a recount.
 */
export interface PortfolioTally {
  projectId: string;
  name: string;
  client: string;
  currency: string;
  /** Absent in rows written before projects could be closed: open. */
  status?: ProjectStatus;
  baselineBudget: Minor;
  baselineEnd: IsoDate | null;
  forecastEnd: IsoDate | null;
  slipWorkingDays: number;
  openRequests: number;
  /** Signed orders: what they charge (the approved changes) and what they give away. */
  approved: Minor;
  absorbed: Minor;
  /** Issued orders awaiting signature, by id: counted as pending only until their expiry, at read time. */
  awaiting: Map<string, AwaitingOrder>;
  /** Draft orders: what they would charge, and how many requests sit on them. */
  onDraftOrders: Minor;
  requestsOnDraftOrders: number;
  /** Time logged beyond the estimate on live cards. */
  unapprovedCentiHours: number;
  /** What the project still waits for from its client; absent in rows written before dependencies were kept. */
  waitingOn?: { since: IsoDate; due: IsoDate }[];
  /** The project's IANA zone, for its today; absent: UTC. */
  timeZone?: string;
}

export interface AwaitingOrder {
  amount: Minor;
  issuedAt: string;
  expiresAt: string;
}

/**
 * What orders awaiting signature may still ask the client to pay, and what they would credit, apart: a pending
 * credit never cancels a pending charge, and neither figure is ever below zero.
 */
export function pendingFigures(orders: readonly Pick<ChangeOrderState, 'amount'>[]) {
  return {
    pendingExposure: sumMinor(orders.filter((o) => o.amount > 0).map((o) => o.amount)),
    pendingCredits: sumMinor(orders.filter((o) => o.amount < 0).map((o) => -o.amount)),
  };
}

/** One portfolio row: what a project's health looks like at a glance. */
export type PortfolioRow = ReturnType<typeof portfolioRowOf>;

export function portfolioRowOf(tally: PortfolioTally, now: string) {
  // An order past its expiry no longer awaits signature, whether or not its expiry was recorded yet.
  const awaiting = [...tally.awaiting.values()].filter((o) => Date.parse(now) < Date.parse(o.expiresAt));
  const oldest = awaiting.map((o) => o.issuedAt).sort()[0] ?? null;
  return {
    projectId: tally.projectId,
    name: tally.name,
    client: tally.client,
    currency: tally.currency,
    status: tally.status ?? 'open',
    baselineBudget: tally.baselineBudget,
    currentBudget: tally.baselineBudget + tally.approved,
    variance: tally.approved,
    ...pendingFigures(awaiting),
    onDraftOrders: { amount: tally.onDraftOrders, count: tally.requestsOnDraftOrders },
    absorbed: tally.absorbed,
    baselineEnd: tally.baselineEnd,
    forecastEnd: tally.forecastEnd,
    slipWorkingDays: tally.slipWorkingDays,
    openRequests: tally.openRequests,
    awaitingSignature: awaiting.length,
    oldestAwaitingSince: oldest,
    oldestAwaitingDays: oldest ? Math.floor((Date.parse(now) - Date.parse(oldest)) / 86_400_000) : null,
    unapprovedHours: tally.unapprovedCentiHours / 100,
    waitingOnClient: waitingOnClient(tally.waitingOn ?? [], calendarDateIn(now, tally.timeZone)),
  };
}

/** How blocked a project is on its client today: open dependencies, those past due, and the longest wait in days. */
function waitingOnClient(open: readonly { since: IsoDate; due: IsoDate }[], today: IsoDate) {
  const oldestSince = open.map((d) => d.since).sort()[0] ?? null;
  const daysFrom = (date: IsoDate) => Math.max(0, (Date.parse(today) - Date.parse(date)) / 86_400_000);
  const overdue = open.filter((d) => d.due < today);
  return {
    open: open.length,
    overdue: overdue.length,
    oldestSince,
    longestWaitDays: oldestSince ? daysFrom(oldestSince) : 0,
    mostOverdueDays: overdue.length ? Math.max(...overdue.map((d) => daysFrom(d.due))) : 0,
  };
}

/** Where the last milestone (in schedule order) was due at baseline and is due now. */
export function timelineEnds(
  last: MilestoneState | undefined,
  holidays: readonly IsoDate[],
): { baselineEnd: IsoDate | null; forecastEnd: IsoDate | null; slipWorkingDays: number } {
  if (!last) return { baselineEnd: null, forecastEnd: null, slipWorkingDays: 0 };
  return {
    baselineEnd: last.due,
    forecastEnd: calendarOf({ holidays }).addWorkingDays(last.due, last.shift),
    slipWorkingDays: last.shift,
  };
}

function emptyTally(projectId: string): PortfolioTally {
  return {
    projectId,
    name: '',
    client: '',
    currency: '',
    status: 'open',
    baselineBudget: 0,
    ...timelineEnds(undefined, []),
    openRequests: 0,
    approved: 0,
    absorbed: 0,
    awaiting: new Map(),
    onDraftOrders: 0,
    requestsOnDraftOrders: 0,
    unapprovedCentiHours: 0,
  };
}

/** Adds (sign 1) or takes out (sign -1) what one record contributes. */
function countRequest(tally: PortfolioTally, request: ChangeRequestState | undefined, sign: 1 | -1): void {
  if (request?.status === 'logged') tally.openRequests += sign;
}

function countOrder(tally: PortfolioTally, order: ChangeOrderState | undefined, sign: 1 | -1): void {
  if (!order) return;
  if (order.signature) {
    tally.approved += sign * order.amount;
    tally.absorbed += sign * order.absorbed;
  }
  if (order.status === 'draft') {
    tally.onDraftOrders += sign * order.amount;
    tally.requestsOnDraftOrders += sign * order.changeRequestIds.length;
  }
  if (order.status === 'issued') {
    const { issuedAt, expiresAt } = order.issue!;
    if (sign > 0) tally.awaiting.set(order.id, { amount: order.amount, issuedAt, expiresAt });
    else tally.awaiting.delete(order.id);
  }
}

function countCard(tally: PortfolioTally, card: CardState | undefined, sign: 1 | -1): void {
  if (card && !card.cancelled)
    tally.unapprovedCentiHours += sign * Math.max(0, card.loggedCentiHours - card.estimateCentiHours);
}

/** The tally of a whole state: as if each of its records had just been created. */
export function tallyOf(state: ProjectState): PortfolioTally {
  return updateTally(emptyTally(state.projectId), [
    { kind: 'project', header: headerOf(state) },
    ...[...state.milestones.values()].map((record) => ({ kind: 'milestone' as const, record })),
    ...[...state.changeRequests.values()].map((record) => ({ kind: 'changeRequest' as const, record })),
    ...[...state.changeOrders.values()].map((record) => ({ kind: 'changeOrder' as const, record })),
    ...[...state.cards.values()].map((record) => ({ kind: 'card' as const, record })),
  ]);
}

/** The tally after one event. */
export function updateTally(before: PortfolioTally, changes: readonly AppliedChange[]): PortfolioTally {
  const tally = { ...before, awaiting: new Map(before.awaiting) };
  count(tally, changes);
  return tally;
}

/** Adds an event's changes; moving a milestone moves all after it, so its last milestone change is the last. */
function count(tally: PortfolioTally, changes: readonly AppliedChange[]): void {
  let holidays: readonly IsoDate[] | undefined;
  let lastMilestone: MilestoneState | undefined;
  for (const change of changes) {
    switch (change.kind) {
      case 'project': {
        const { header } = change;
        tally.name = header.name;
        tally.client = header.client.name;
        tally.currency = header.currency;
        tally.status = header.status;
        tally.baselineBudget = header.baseline.total;
        tally.timeZone = header.timeZone;
        tally.waitingOn = (header.clientDependencies ?? [])
          .filter((d) => !d.resolved)
          .map(({ since, due }) => ({ since, due }));
        holidays = header.holidays;
        break;
      }
      case 'milestone':
        lastMilestone = change.record;
        break;
      case 'changeRequest':
        countRequest(tally, change.before, -1);
        countRequest(tally, change.record, 1);
        break;
      case 'changeOrder':
        countOrder(tally, change.before, -1);
        countOrder(tally, change.record, 1);
        break;
      case 'card':
        countCard(tally, change.before, -1);
        countCard(tally, change.record, 1);
        break;
    }
  }
  if (lastMilestone) Object.assign(tally, timelineEnds(lastMilestone, holidays ?? []));
  // The holidays may have changed: a slipped end counts its working days on the calendar of now.
  else if (holidays && tally.baselineEnd && tally.slipWorkingDays !== 0)
    tally.forecastEnd = calendarOf({ holidays }).addWorkingDays(tally.baselineEnd, tally.slipWorkingDays);
}

/** Keeps `portfolio_rows` up to date: one row per project, its tally as JSON. */
export class PortfolioProjector implements ProjectEventHandler {
  readonly tables = ['portfolio_rows'];

  async begin(tx: SqlQueryable, projectIds: readonly string[]): Promise<HandlerBatch> {
    const { rows } = await tx.query<{ project_id: string; doc: unknown }>(
      `SELECT project_id, doc FROM portfolio_rows WHERE project_id = ANY($1::text[])`,
      [projectIds],
    );
    const tallies = new Map(rows.map((row) => [row.project_id, tallyFromDoc(row.doc)]));
    const changed = new Set<string>();
    return {
      handle({ projectId, changes }: AppliedEvent) {
        const tally = tallies.get(projectId) ?? emptyTally(projectId);
        tallies.set(projectId, tally);
        count(tally, changes);
        changed.add(projectId);
      },
      async write(tx: SqlQueryable) {
        const columns: UpsertColumn[] = [
          ['project_id', 'text', [...changed]],
          ['doc', 'jsonb', [...changed].map((id) => tallyDoc(tallies.get(id)!))],
        ];
        await upsertRows(tx, 'portfolio_rows', ['project_id'], columns);
      },
    };
  }
}

export function tallyDoc(tally: PortfolioTally): object {
  return { ...tally, awaiting: [...tally.awaiting] };
}

export function tallyFromDoc(doc: unknown): PortfolioTally {
  const stored = doc as Omit<PortfolioTally, 'awaiting'> & { awaiting: [string, AwaitingOrder][] };
  return { ...stored, awaiting: new Map(stored.awaiting) };
}
