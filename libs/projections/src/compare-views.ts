import { orderNumber, ProjectState, requestNumber } from '@scope-ledger/domain';
import { boardView, budgetView, ScopeItemView, scopeView, timelineView } from './project-views';

const BUDGET_FIGURES = [
  'baseline',
  'approvedChanges',
  'current',
  'pendingExposure',
  'absorbed',
  'currentCost',
  'awaitingOrder',
  'invoiced',
] as const;

const SCOPE_FIELDS = ['state', 'hours', 'cost', 'title', 'role'] as const;
const CARD_FIELDS = ['column', 'estimateHours', 'loggedHours', 'title', 'role', 'cancelled'] as const;

/** What a scope item looks like on one side of a comparison. */
function scopeSide(item: ScopeItemView | undefined) {
  if (!item) return null;
  return {
    state: item.state,
    title: item.title,
    role: item.role,
    hours: item.hours,
    cost: item.cost,
    pending: item.pending?.changeOrder ?? null,
  };
}

/** What changed between two moments, compared view against view, so it is what a user would see differently. */
export function compareProjectStates(before: ProjectState, after: ProjectState) {
  const scopeBefore = new Map(scopeView(before).items.map((i) => [i.ref, i]));
  const scopeAfter = new Map(scopeView(after).items.map((i) => [i.ref, i]));
  const scope = [...new Set([...scopeBefore.keys(), ...scopeAfter.keys()])].flatMap((ref) => {
    const [a, b] = [scopeBefore.get(ref), scopeAfter.get(ref)];
    const same = a && b && SCOPE_FIELDS.every((field) => a[field] === b[field]);
    if (same && a.pending?.changeOrder === b.pending?.changeOrder) return [];
    return [{ ref, before: scopeSide(a), after: scopeSide(b), costDelta: (b?.cost ?? 0) - (a?.cost ?? 0) }];
  });

  const [budgetBefore, budgetAfter] = [budgetView(before), budgetView(after)];
  const budget = Object.fromEntries(
    BUDGET_FIGURES.map((f) => [
      f,
      { before: budgetBefore[f], after: budgetAfter[f], delta: budgetAfter[f] - budgetBefore[f] },
    ]),
  );

  const milestonesBefore = new Map(timelineView(before).milestones.map((m) => [m.ref, m]));
  const timeline = timelineView(after)
    .milestones.map((m) => {
      const was = milestonesBefore.get(m.ref);
      return {
        ref: m.ref,
        name: m.name,
        nameBefore: was?.name ?? null,
        dueBefore: was?.currentDue ?? null,
        dueAfter: m.currentDue,
        slipDelta: m.slipWorkingDays - (was?.slipWorkingDays ?? 0),
      };
    })
    .filter((m) => m.dueBefore !== m.dueAfter || m.nameBefore !== m.name);

  const cardsBefore = allCards(before);
  const cards = [...allCards(after).values()].flatMap((card) => {
    const was = cardsBefore.get(card.id);
    if (CARD_FIELDS.every((field) => was?.[field] === card[field])) return [];
    return [
      {
        id: card.id,
        ref: card.ref,
        title: card.title,
        titleBefore: was?.title ?? null,
        role: card.role,
        roleBefore: was?.role ?? null,
        columnBefore: was?.column ?? null,
        columnAfter: card.column,
        estimateBefore: was?.estimateHours ?? null,
        estimateAfter: card.estimateHours,
        loggedBefore: was?.loggedHours ?? null,
        loggedAfter: card.loggedHours,
        cancelledBefore: was?.cancelled ?? null,
        cancelledAfter: card.cancelled,
      },
    ];
  });

  const orders = [...after.changeOrders.values()]
    .filter((o) => before.changeOrders.get(o.id)?.status !== o.status)
    .map((o) => ({
      changeOrder: orderNumber(o),
      statusBefore: before.changeOrders.get(o.id)?.status ?? null,
      statusAfter: o.status,
    }));
  const requests = [...after.changeRequests.values()]
    .filter((r) => before.changeRequests.get(r.id)?.status !== r.status)
    .map((r) => ({
      changeRequest: requestNumber(r),
      title: r.title,
      statusBefore: before.changeRequests.get(r.id)?.status ?? null,
      statusAfter: r.status,
    }));

  return { scope, budget, timeline, board: cards, changeOrders: orders, changeRequests: requests };
}

/** Every card of the board, cancelled ones included, by id. */
function allCards(state: ProjectState) {
  const board = boardView(state);
  const live = board.columns.flatMap((c) => c.cards.map((card) => ({ ...card, cancelled: false })));
  const cancelled = board.cancelled.map((card) => ({ ...card, cancelled: true }));
  return new Map([...live, ...cancelled].map((card) => [card.id, card]));
}
