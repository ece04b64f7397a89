import {
  calendarOf,
  CardState,
  ChangeOrderState,
  ChangeRequestState,
  IsoDate,
  MilestoneState,
  Minor,
  ProjectState,
} from '@scope-ledger/domain';
import { SqlQueryable } from '@scope-ledger/event-store';
import { AppliedEvent, HandlerBatch, ProjectEventHandler } from './project-event-handler';
import { AppliedChange } from './record-tables';

/**
 * What a project's portfolio row is made of. The sums are over the project's requests, orders
 * and cards of what each one contributes, so an event's changes bring them up to date (take out
 * what the replaced record contributed, add what the new one does) without a recount.
 */
export interface PortfolioTally {
  readonly projectId: string;
  readonly name: string;
  readonly client: string;
  readonly currency: string;
  readonly baselineBudget: Minor;
  readonly baselineEnd: IsoDate | null;
  readonly forecastEnd: IsoDate | null;
  readonly slipWorkingDays: number;
  readonly openRequests: number;
  /** Signed orders: what they charge (the approved changes) and what they give away. */
  readonly approved: Minor;
  readonly absorbed: Minor;
  /** Issued orders awaiting signature: what they would charge, and when each was issued. */
  readonly pendingExposure: Minor;
  readonly awaiting: ReadonlyMap<string, string>;
  /** Time logged beyond the estimate on live cards. */
  readonly unapprovedCentiHours: number;
}

/** One portfolio row: what a project's health looks like at a glance. */
export interface PortfolioRow {
  projectId: string;
  name: string;
  client: string;
  currency: string;
  baselineBudget: Minor;
  currentBudget: Minor;
  variance: Minor;
  pendingExposure: Minor;
  absorbed: Minor;
  baselineEnd: IsoDate | null;
  forecastEnd: IsoDate | null;
  slipWorkingDays: number;
  openRequests: number;
  awaitingSignature: number;
  oldestAwaitingSince: string | null;
  oldestAwaitingDays: number | null;
  unapprovedHours: number;
}

export function portfolioRowOf(tally: PortfolioTally, now: string): PortfolioRow {
  let oldest: string | null = null;
  for (const issuedAt of tally.awaiting.values()) if (oldest === null || issuedAt < oldest) oldest = issuedAt;
  return {
    projectId: tally.projectId,
    name: tally.name,
    client: tally.client,
    currency: tally.currency,
    baselineBudget: tally.baselineBudget,
    currentBudget: tally.baselineBudget + tally.approved,
    variance: tally.approved,
    pendingExposure: tally.pendingExposure,
    absorbed: tally.absorbed,
    baselineEnd: tally.baselineEnd,
    forecastEnd: tally.forecastEnd,
    slipWorkingDays: tally.slipWorkingDays,
    openRequests: tally.openRequests,
    awaitingSignature: tally.awaiting.size,
    oldestAwaitingSince: oldest,
    oldestAwaitingDays: oldest ? Math.floor((Date.parse(now) - Date.parse(oldest)) / 86_400_000) : null,
    unapprovedHours: tally.unapprovedCentiHours / 100,
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

type Tally = { -readonly [K in keyof PortfolioTally]: PortfolioTally[K] } & { awaiting: Map<string, string> };

function emptyTally(projectId: string): Tally {
  return {
    projectId,
    name: '',
    client: '',
    currency: '',
    baselineBudget: 0,
    ...timelineEnds(undefined, []),
    openRequests: 0,
    approved: 0,
    absorbed: 0,
    pendingExposure: 0,
    awaiting: new Map(),
    unapprovedCentiHours: 0,
  };
}

/** Adds (sign 1) or takes out (sign -1) what one record contributes. */
function countRequest(tally: Tally, request: ChangeRequestState | undefined, sign: 1 | -1): void {
  if (request?.status === 'logged') tally.openRequests += sign;
}

function countOrder(tally: Tally, order: ChangeOrderState | undefined, sign: 1 | -1): void {
  if (!order) return;
  if (order.signature) {
    tally.approved += sign * order.amount;
    tally.absorbed += sign * order.absorbed;
  }
  if (order.status === 'issued') {
    tally.pendingExposure += sign * order.amount;
    if (sign > 0) tally.awaiting.set(order.id, order.issue!.issuedAt);
    else tally.awaiting.delete(order.id);
  }
}

function countCard(tally: Tally, card: CardState | undefined, sign: 1 | -1): void {
  if (card && !card.cancelled)
    tally.unapprovedCentiHours += sign * Math.max(0, card.loggedCentiHours - card.estimateCentiHours);
}

/** The tally of a whole state, counted record by record. */
export function tallyOf(state: ProjectState): PortfolioTally {
  const tally = emptyTally(state.projectId);
  Object.assign(tally, {
    name: state.name,
    client: state.client.name,
    currency: state.currency,
    baselineBudget: state.baseline.total,
    ...timelineEnds([...state.milestones.values()].at(-1), state.holidays),
  });
  for (const request of state.changeRequests.values()) countRequest(tally, request, 1);
  for (const order of state.changeOrders.values()) countOrder(tally, order, 1);
  for (const card of state.cards.values()) countCard(tally, card, 1);
  return tally;
}

/** The tally after one event. */
export function updateTally(before: PortfolioTally, changes: readonly AppliedChange[]): PortfolioTally {
  const tally: Tally = { ...before, awaiting: new Map(before.awaiting) };
  count(tally, changes);
  return tally;
}

/**
 * Brings the tally up to date with one event's changes. An event that moves milestones changes
 * every one after the first it moves, so the last milestone among its changes is the project's last.
 */
function count(tally: Tally, changes: readonly AppliedChange[]): void {
  let holidays: readonly IsoDate[] = [];
  let lastMilestone: MilestoneState | undefined;
  for (const change of changes) {
    switch (change.kind) {
      case 'project': {
        const { header } = change;
        tally.name = header.name;
        tally.client = header.client.name;
        tally.currency = header.currency;
        tally.baselineBudget = header.baseline.total;
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
  if (lastMilestone) Object.assign(tally, timelineEnds(lastMilestone, holidays));
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
        let tally = tallies.get(projectId);
        if (!tally) tallies.set(projectId, (tally = emptyTally(projectId)));
        count(tally, changes);
        changed.add(projectId);
      },
      async write(tx: SqlQueryable) {
        if (changed.size === 0) return;
        await tx.query(
          `INSERT INTO portfolio_rows (project_id, doc)
           SELECT project_id, doc
           FROM ROWS FROM (unnest($1::text[]), jsonb_array_elements($2::jsonb)) WITH ORDINALITY
             AS row(project_id, doc, n)
           ORDER BY n
           ON CONFLICT (project_id) DO UPDATE SET doc = EXCLUDED.doc`,
          [[...changed], JSON.stringify([...changed].map((id) => tallyDoc(tallies.get(id)!)))],
        );
      },
    };
  }
}

export function tallyDoc(tally: PortfolioTally): object {
  return { ...tally, awaiting: [...tally.awaiting] };
}

export function tallyFromDoc(doc: unknown): Tally {
  const stored = doc as Omit<Tally, 'awaiting'> & { awaiting: [string, string][] };
  return { ...stored, awaiting: new Map(stored.awaiting) };
}
