import { orderNumber, ProjectState, requestNumber } from '@scope-ledger/domain';
import { boardView, budgetView, scopeView, timelineView } from './project-views';

/**
 * What changed in a project between two moments: scope items whose state or figures moved,
 * budget and timeline deltas, cards that appeared or moved. Both sides are plain views, so
 * the comparison says exactly what a user would see differently.
 */
export function compareProjectStates(before: ProjectState, after: ProjectState) {
  const scopeBefore = new Map(scopeView(before).items.map((i) => [i.ref, i]));
  const scopeAfter = new Map(scopeView(after).items.map((i) => [i.ref, i]));
  const scope = [...new Set([...scopeBefore.keys(), ...scopeAfter.keys()])].flatMap((ref) => {
    const a = scopeBefore.get(ref);
    const b = scopeAfter.get(ref);
    if (
      a &&
      b &&
      a.state === b.state &&
      a.hours === b.hours &&
      a.cost === b.cost &&
      a.title === b.title &&
      a.role === b.role &&
      a.pending?.changeOrder === b.pending?.changeOrder
    ) {
      return [];
    }
    return [
      {
        ref,
        before: a
          ? { state: a.state, title: a.title, hours: a.hours, cost: a.cost, pending: a.pending?.changeOrder ?? null }
          : null,
        after: b
          ? { state: b.state, title: b.title, hours: b.hours, cost: b.cost, pending: b.pending?.changeOrder ?? null }
          : null,
        costDelta: (b?.cost ?? 0) - (a?.cost ?? 0),
      },
    ];
  });

  const budgetBefore = budgetView(before);
  const budgetAfter = budgetView(after);
  const figures = [
    'baseline',
    'approvedChanges',
    'current',
    'pendingExposure',
    'absorbed',
    'currentCost',
    'awaitingOrder',
    'invoiced',
  ] as const;
  const budget = Object.fromEntries(
    figures.map((f) => [
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
        dueBefore: was?.currentDue ?? null,
        dueAfter: m.currentDue,
        slipDelta: m.slipWorkingDays - (was?.slipWorkingDays ?? 0),
      };
    })
    .filter((m) => m.dueBefore !== m.dueAfter);

  const cardsBefore = new Map(
    boardView(before).columns.flatMap((c) => c.cards.map((card) => [card.id, card] as const)),
  );
  const cards = boardView(after)
    .columns.flatMap((c) => c.cards)
    .flatMap((card) => {
      const was = cardsBefore.get(card.id);
      if (
        was &&
        was.column === card.column &&
        was.estimateHours === card.estimateHours &&
        was.loggedHours === card.loggedHours
      )
        return [];
      return [
        {
          id: card.id,
          ref: card.ref,
          title: card.title,
          columnBefore: was?.column ?? null,
          columnAfter: card.column,
          estimateBefore: was?.estimateHours ?? null,
          estimateAfter: card.estimateHours,
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
