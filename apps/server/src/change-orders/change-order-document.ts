import { ChangeOrderDocumentModel } from '@scope-ledger/documents';
import { applyShifts, calendarOf, ChangeOrderState, milestonesInOrder, ProjectState } from '@scope-ledger/domain';

export interface IssueFigures {
  issuedAt: string;
  expiresAt: string;
  originalContract: number;
  previouslyApproved: number;
}

/** What the change-order PDF shows, from the project's state and the figures fixed at issue. */
export function changeOrderDocumentModel(
  state: ProjectState,
  order: ChangeOrderState,
  figures: IssueFigures,
  msp: { name: string; email?: string },
): ChangeOrderDocumentModel {
  const calendar = calendarOf(state);
  const before = state.milestoneShifts;
  const after = applyShifts(state, order.schedule, before);
  const schedule = milestonesInOrder(state)
    .filter((m) => (after[m.ref] ?? 0) !== (before[m.ref] ?? 0))
    .map((m) => ({
      milestone: m.ref,
      name: m.name,
      workingDays: (after[m.ref] ?? 0) - (before[m.ref] ?? 0),
      baselineDue: m.due,
      newDue: calendar.addWorkingDays(m.due, after[m.ref] ?? 0),
    }));
  return {
    msp,
    client: state.client,
    project: { id: state.projectId, name: state.name, currency: state.currency },
    order: {
      id: order.id,
      number: `CO-${order.number}`,
      issuedAt: figures.issuedAt,
      expiresAt: figures.expiresAt,
      terms: order.terms,
      signer: order.signer,
    },
    requests: order.changeRequestIds.map((id) => {
      const r = state.changeRequests[id];
      return {
        number: `CR-${r.number}`,
        title: r.title,
        source: r.source,
        requestedBy: r.requestedBy.name,
        receivedAt: r.receivedAt,
        noCharge: r.assessment?.noCharge ?? false,
      };
    }),
    lines: order.lines.map((l) => ({
      changeRequestNumber: `CR-${l.changeRequestNumber}`,
      op: l.op,
      ref: l.ref,
      title: l.item.title,
      role: l.item.role,
      centiHours: l.centiHoursDelta,
      rate: l.item.rate,
      fixedCost:
        l.op === 'add'
          ? l.item.fixedCost
          : l.op === 'remove'
            ? -(l.before?.fixedCost ?? 0)
            : l.item.fixedCost - (l.before?.fixedCost ?? 0),
      amount: l.amount,
      noCharge: l.noCharge,
    })),
    schedule,
    price: {
      originalContract: figures.originalContract,
      previouslyApproved: figures.previouslyApproved,
      thisOrder: order.amount,
      newContractTotal: figures.originalContract + figures.previouslyApproved + order.amount,
      absorbed: order.absorbed,
    },
  };
}
