import { ChangeOrderDocumentModel } from '@scope-ledger/documents';
import {
  calendarOf,
  ChangeOrderState,
  issueFigures,
  orderNumber,
  ProjectState,
  requestNumber,
  shiftMilestones,
} from '@scope-ledger/domain';

/** What the change-order PDF shows, from the project's state and the figures fixed at issue. */
export function changeOrderDocumentModel(
  state: ProjectState,
  order: ChangeOrderState,
  figures: ReturnType<typeof issueFigures>,
  msp: { name: string; email?: string },
): ChangeOrderDocumentModel {
  const calendar = calendarOf(state);
  const before = [...state.milestones.values()];
  const schedule = shiftMilestones(before, order.schedule).flatMap((m, i) => {
    const workingDays = m.shift - before[i].shift;
    if (workingDays === 0) return [];
    return [
      {
        milestone: m.ref,
        name: m.name,
        workingDays,
        baselineDue: m.due,
        newDue: calendar.addWorkingDays(m.due, m.shift),
      },
    ];
  });
  return {
    msp,
    client: state.client,
    project: { id: state.projectId, name: state.name, currency: state.currency },
    order: {
      id: order.id,
      number: orderNumber(order),
      issuedAt: figures.issuedAt,
      expiresAt: figures.expiresAt,
      terms: order.terms,
      signer: order.signer,
    },
    requests: order.changeRequestIds.map((id) => {
      const r = state.changeRequests.get(id)!;
      return {
        number: requestNumber(r),
        title: r.title,
        source: r.source,
        requestedBy: r.requestedBy.name,
        receivedAt: r.receivedAt,
        noCharge: r.assessment?.noCharge ?? false,
      };
    }),
    lines: order.lines.map((l) => ({
      changeRequestNumber: requestNumber({ number: l.changeRequestNumber }),
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
