import {
  approvedChanges,
  BOARD_COLUMNS,
  BoardColumn,
  calendarOf,
  CardState,
  ChangeOrderState,
  currentCeremony,
  Minor,
  orderNumber,
  PricedScopeItem,
  ProjectState,
  requestNumber,
  ScopeItemState,
  shiftMilestones,
  signedOrders,
  staleFiguresRefusal,
  sumMinor,
} from '@scope-ledger/domain';
import { assessmentProducts, monthlyFigures, orderProducts } from './product-views';
import { pendingFigures, PortfolioRow, portfolioRowOf, tallyOf, timelineEnds } from './portfolio-projector';

/** The read shapes users see, from a project's state: the read tables' ("now") or the stream folded up to `asOf`. */

const hours = (centi: number) => centi / 100;

export type ScopeItemViewState = 'baseline' | 'added' | 'modified' | 'removed' | 'pending';

export interface ScopeItemView {
  ref: string;
  title: string;
  role: string;
  hours: number;
  fixedCost: Minor;
  rate: Minor;
  cost: Minor;
  state: ScopeItemViewState;
  /** The ref of the milestone the work is due by; null: the project's last milestone. */
  milestone: string | null;
  baseline?: { title: string; role: string; hours: number; fixedCost: Minor; cost: Minor; milestone: string | null };
  changedBy: string[];
  pending?: { changeOrder: string; op: 'add' | 'modify' | 'remove'; hours: number; cost: Minor; costDelta: Minor };
}

function issuedOrders(state: ProjectState): ChangeOrderState[] {
  return [...state.changeOrders.values()].filter((o) => o.status === 'issued');
}

function itemState(item: ScopeItemState): ScopeItemViewState {
  if (item.removed) return 'removed';
  if (item.origin === 'added') return 'added';
  return item.changedBy.length > 0 ? 'modified' : 'baseline';
}

/** An item as the scope shows it: one removed, or that only a pending order adds, counts for nothing. */
function itemView(
  ref: string,
  item: PricedScopeItem,
  state: ScopeItemViewState,
  changedBy: string[],
  base: PricedScopeItem | undefined,
  pending: ScopeItemView['pending'],
): ScopeItemView {
  const counts = state !== 'removed' && state !== 'pending';
  return {
    ref,
    title: item.title,
    role: item.role,
    hours: counts ? hours(item.centiHours) : 0,
    fixedCost: counts ? item.fixedCost : 0,
    rate: item.rate,
    cost: counts ? item.cost : 0,
    state,
    milestone: item.milestone ?? null,
    ...(base && {
      baseline: {
        title: base.title,
        role: base.role,
        hours: hours(base.centiHours),
        fixedCost: base.fixedCost,
        cost: base.cost,
        milestone: base.milestone ?? null,
      },
    }),
    changedBy,
    ...(pending && { pending }),
  };
}

export function scopeView(state: ProjectState) {
  const baselineByRef = new Map(state.baseline.items.map((i) => [i.ref, i]));
  const pendingByRef = new Map<string, { change: NonNullable<ScopeItemView['pending']>; item: PricedScopeItem }>();
  for (const order of issuedOrders(state)) {
    for (const { ref, op, item, costDelta } of order.lines) {
      const removed = op === 'remove';
      const change = {
        changeOrder: orderNumber(order),
        op,
        hours: removed ? 0 : hours(item.centiHours),
        cost: removed ? 0 : item.cost,
        costDelta,
      };
      pendingByRef.set(ref, { change, item });
    }
  }
  const items = [...state.scope].map(([ref, item]) => {
    const changedBy = item.changedBy.map((number) => orderNumber({ number }));
    return itemView(ref, item, itemState(item), changedBy, baselineByRef.get(ref), pendingByRef.get(ref)?.change);
  });
  for (const [ref, { change, item }] of pendingByRef)
    if (!state.scope.has(ref)) items.push(itemView(ref, item, 'pending', [], undefined, change));
  const live = items.filter((i) => i.state !== 'removed' && i.state !== 'pending');
  return {
    projectId: state.projectId,
    currency: state.currency,
    items,
    totals: {
      baselineHours: hours(state.baseline.items.reduce((s, i) => s + i.centiHours, 0)),
      currentHours: Math.round(live.reduce((s, i) => s + i.hours, 0) * 100) / 100,
      baselineCost: state.baseline.total,
      currentCost: live.reduce((s, i) => s + i.cost, 0),
      pendingCostDelta: items.reduce((s, i) => s + (i.pending?.costDelta ?? 0), 0),
    },
  };
}

export function budgetView(state: ProjectState) {
  const approved = approvedChanges(state);
  const signed = signedOrders(state);
  const pending = issuedOrders(state);
  const awaitingOrder = [...state.changeRequests.values()]
    .filter((r) => r.status === 'assessed' && !r.assessment!.noCharge)
    .reduce((s, r) => s + r.assessment!.costDelta, 0);
  const drafts = [...state.changeOrders.values()].filter((o) => o.status === 'draft');
  const currentCost = [...state.scope.values()].filter((i) => !i.removed).reduce((s, i) => s + i.cost, 0);
  return {
    projectId: state.projectId,
    currency: state.currency,
    baseline: state.baseline.total,
    approvedChanges: approved,
    current: state.baseline.total + approved,
    variance: approved,
    ...pendingFigures(pending),
    absorbed: signed.reduce((s, o) => s + o.absorbed, 0),
    currentCost,
    awaitingOrder,
    /** Requests on draft orders: no longer awaiting an order, not yet sent to the client. */
    onDraftOrders: {
      amount: sumMinor(drafts.map((o) => o.amount)),
      count: drafts.reduce((n, o) => n + o.changeRequestIds.length, 0),
    },
    invoiced: signed.reduce((s, o) => s + o.invoiced, 0),
    /** Recurring monthly charges, apart from the one-off figures above. */
    monthly: monthlyFigures(state),
    signedOrders: signed.map((o) => ({
      changeOrder: orderNumber(o),
      amount: o.amount,
      absorbed: o.absorbed,
      signedAt: o.signature!.signedAt,
    })),
    pendingOrders: pending.map((o) => ({
      changeOrder: orderNumber(o),
      amount: o.amount,
      issuedAt: o.issue!.issuedAt,
      expiresAt: o.issue!.expiresAt,
    })),
  };
}

export function timelineView(state: ProjectState) {
  const calendar = calendarOf(state);
  const current = [...state.milestones.values()];
  const pending = shiftMilestones(
    current,
    issuedOrders(state).flatMap((o) => o.schedule),
  );
  const milestones = current.map((m, i) => {
    const slip = m.shift;
    const pendingSlip = pending[i].shift;
    return {
      ref: m.ref,
      name: m.name,
      baselineDue: m.due,
      currentDue: calendar.addWorkingDays(m.due, slip),
      slipWorkingDays: slip,
      ...(pendingSlip !== slip
        ? { pendingDue: calendar.addWorkingDays(m.due, pendingSlip), pendingSlipWorkingDays: pendingSlip }
        : {}),
    };
  });
  return {
    projectId: state.projectId,
    startDate: state.startDate,
    holidays: state.holidays,
    milestones,
    ...timelineEnds(current.at(-1), state.holidays),
  };
}

/** A card as the board shows it; `admittedBy` is "baseline" or the number of the signed order. */
export function boardCardView(state: ProjectState, c: CardState) {
  return {
    id: c.id,
    ref: c.ref,
    title: c.title,
    role: c.role,
    column: c.column,
    estimateHours: hours(c.estimateCentiHours),
    loggedHours: hours(c.loggedCentiHours),
    unapprovedHours: hours(Math.max(0, c.loggedCentiHours - c.estimateCentiHours)),
    unapprovedWork: c.loggedCentiHours > c.estimateCentiHours,
    /** The person of the team doing the work (P-3), null when no one is. */
    assignee: c.assignee ?? null,
    /** The milestone its scope item is due by, null: the project's last milestone. */
    milestone: c.milestone ?? null,
    admittedBy:
      c.admittedBy.kind === 'baseline' ? 'baseline' : orderNumber(state.changeOrders.get(c.admittedBy.changeOrderId)!),
  };
}

export function boardView(state: ProjectState) {
  const cards = [...state.cards.values()];
  const cardView = (c: CardState) => boardCardView(state, c);
  const live = cards.filter((c) => !c.cancelled);
  return {
    projectId: state.projectId,
    columns: BOARD_COLUMNS.map((column: BoardColumn) => ({
      column,
      wipLimit: state.wipLimits.get(column) ?? null,
      cards: live.filter((c) => c.column === column).map(cardView),
    })),
    cancelled: cards.filter((c) => c.cancelled).map(cardView),
    unapprovedHours: hours(live.reduce((s, c) => s + Math.max(0, c.loggedCentiHours - c.estimateCentiHours), 0)),
  };
}

export function changeRequestView(state: ProjectState, id: string) {
  const r = state.changeRequests.get(id)!;
  return {
    id: r.id,
    number: requestNumber(r),
    title: r.title,
    description: r.description,
    source: r.source,
    requestedBy: r.requestedBy,
    receivedAt: r.receivedAt,
    ...(r.ticketRef ? { ticketRef: r.ticketRef } : {}),
    status: r.status,
    ...(r.assessment && {
      assessment: {
        noCharge: r.assessment.noCharge,
        costDelta: r.assessment.costDelta,
        notes: r.assessment.notes ?? null,
        lines: r.assessment.lines.map((l) => ({
          op: l.op,
          ref: l.ref,
          title: l.item.title,
          role: l.item.role,
          hours: hours(l.item.centiHours),
          hoursDelta: hours(l.centiHoursDelta),
          costDelta: l.costDelta,
          milestone: l.item.milestone ?? null,
        })),
        schedule: r.assessment.schedule,
        ...assessmentProducts(r.assessment),
      },
    }),
    ...(r.decline && { decline: r.decline }),
    changeOrder: r.changeOrderId ? orderNumber(state.changeOrders.get(r.changeOrderId)!) : null,
  };
}

export function changeOrderView(state: ProjectState, id: string) {
  const o = state.changeOrders.get(id)!;
  return {
    id: o.id,
    number: orderNumber(o),
    status: o.status,
    changeRequests: o.changeRequestIds.map((r) => requestNumber(state.changeRequests.get(r)!)),
    changeRequestIds: o.changeRequestIds,
    signer: o.signer,
    amount: o.amount,
    absorbed: o.absorbed,
    lines: o.lines.map((l) => ({
      changeRequest: requestNumber({ number: l.changeRequestNumber }),
      op: l.op,
      ref: l.ref,
      title: l.item.title,
      role: l.item.role,
      hoursDelta: hours(l.centiHoursDelta),
      costDelta: l.costDelta,
      amount: l.amount,
      noCharge: l.noCharge,
      milestone: l.item.milestone ?? null,
    })),
    ...orderProducts(o, state.baseline.monthly),
    schedule: o.schedule.map((s) => ({ milestone: s.milestone, workingDays: s.workingDays })),
    draftedAt: o.draftedAt,
    issuedAt: o.issue?.issuedAt ?? null,
    expiresAt: o.issue?.expiresAt ?? null,
    documentSha256: o.issue?.documentSha256 ?? null,
    revision: o.revision ?? 0,
    /** The first issue and each revision, oldest first; each document stays available. */
    issues: (o.issues ?? []).map((i) => ({ number: orderNumber({ number: o.number, revision: i.revision }), ...i })),
    /** Why the order must be revised before the client can sign it, while it must. */
    needsRevision: o.status === 'issued' ? (staleFiguresRefusal(state, o)?.message ?? null) : null,
    firstViewedAt: o.firstViewedAt ?? null,
    /** When the signer withdrew consent through the current link: they wait for a paper copy. */
    consentWithdrawnAt: o.status === 'issued' ? (currentCeremony(o)?.withdrawnAt ?? null) : null,
    signerVerification: o.signerVerification ?? 'none',
    signedAt: o.signature?.signedAt ?? null,
    signedBy: o.signature?.signer ?? null,
    closedReason: o.closedReason ?? null,
    closedAt: o.closedAt ?? null,
    invoiced: o.invoiced,
    invoices: o.invoices,
  };
}

export function projectSummary(state: ProjectState) {
  const budget = budgetView(state);
  const timeline = timelineView(state);
  const scope = scopeView(state);
  const requests = [...state.changeRequests.values()];
  const orders = [...state.changeOrders.values()];
  const countBy = <T extends string>(values: T[]) =>
    values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});
  return {
    id: state.projectId,
    name: state.name,
    status: state.status ?? 'open',
    client: state.client,
    financeContact: state.financeContact ?? null,
    manager: state.manager ?? null,
    currency: state.currency,
    rates: Object.fromEntries(state.rates),
    startDate: state.startDate,
    holidays: state.holidays,
    // null: drafts that name no expiry get DEFAULT_EXPIRY_DAYS.
    defaultExpiryDays: state.defaultExpiryDays ?? null,
    timeZone: state.timeZone ?? null,
    baselineEstablished: state.baseline.established,
    baseline: { total: budget.baseline, hours: scope.totals.baselineHours, end: timeline.baselineEnd },
    current: {
      total: budget.current,
      hours: scope.totals.currentHours,
      cost: budget.currentCost,
      end: timeline.forecastEnd,
    },
    pending: { exposure: budget.pendingExposure, credits: budget.pendingCredits, orders: budget.pendingOrders.length },
    totals: {
      approvedChanges: budget.approvedChanges,
      absorbed: budget.absorbed,
      awaitingOrder: budget.awaitingOrder,
      onDraftOrders: budget.onDraftOrders,
      invoiced: budget.invoiced,
      uninvoiced: budget.approvedChanges - budget.invoiced,
    },
    monthly: budget.monthly,
    forecastEnd: timeline.forecastEnd,
    slipWorkingDays: timeline.slipWorkingDays,
    changeRequests: { count: requests.length, byStatus: countBy(requests.map((r) => r.status)) },
    changeOrders: { count: orders.length, byStatus: countBy(orders.map((o) => o.status)) },
    lastEventAt: state.lastEventAt,
  };
}

/** One portfolio row, counted from the whole state (the read tables keep it up to date as events come). */
export function portfolioRow(state: ProjectState, now: string): PortfolioRow {
  return portfolioRowOf(tallyOf(state), now);
}
