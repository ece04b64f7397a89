import type { Response } from 'express';
import { ChangeOrderDocumentModel, LineItemFigures } from '@scope-ledger/documents';
import {
  ChangeOrderState,
  changeSourceLabel,
  IssuedFigures,
  isScheduleOnly,
  orderNumber,
  PricedScopeItem,
  ProjectState,
  requestNumber,
} from '@scope-ledger/domain';

/**
 * What the change-order PDF shows, from the project's state and the figures fixed at issue (or revision):
 * `order` carries the revision the document is for, so its number reads "CO-2 R1" on a revision.
 */
export function changeOrderDocumentModel(
  state: ProjectState,
  order: ChangeOrderState,
  figures: IssuedFigures,
  msp: { name: string; email?: string },
): ChangeOrderDocumentModel {
  const schedule = (figures.schedule ?? []).map(
    ({ milestone, name, workingDays, baselineDue, dueBefore, dueAfter }) => ({
      milestone,
      name,
      workingDays,
      baselineDue,
      dueBefore,
      newDue: dueAfter,
    }),
  );
  const contractBefore = figures.originalContract + figures.previouslyApproved;
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
        source: changeSourceLabel(r.source),
        requestedBy: r.requestedBy.name,
        receivedAt: r.receivedAt,
        noCharge: r.assessment?.noCharge ?? false,
        ...(isScheduleOnly(r) ? { scheduleOnly: true } : {}),
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
      ...(l.op === 'modify' && l.before
        ? { modified: { before: itemFigures(l.before), after: itemFigures(l.item) } }
        : {}),
    })),
    ...productsOf(order, figures, state.baseline.monthly ?? 0),
    schedule,
    price: {
      originalContract: figures.originalContract,
      previouslyApproved: figures.previouslyApproved,
      contractBefore,
      thisOrder: order.amount,
      newContractTotal: contractBefore + order.amount,
      absorbed: order.absorbed,
    },
  };
}

/** Product lines and recurring charges, printed only on orders that carry products; never a unit cost or margin. */
function productsOf(
  order: ChangeOrderState,
  figures: IssuedFigures,
  baselineMonthly: number,
): Partial<ChangeOrderDocumentModel> {
  const lines = order.products ?? [];
  if (lines.length === 0) return {};
  // The baseline's monthly charges never change once established; signed orders' are fixed at issue.
  const monthlyBefore = baselineMonthly + (figures.previouslyApprovedMonthly ?? 0);
  const monthlyChange = order.monthly ?? 0;
  return {
    products: lines.map((l) => ({
      changeRequestNumber: requestNumber({ number: l.changeRequestNumber }),
      op: l.op,
      sku: l.product.sku,
      name: l.product.name,
      billing: l.product.billing,
      quantityBefore: l.quantityBefore,
      quantity: l.quantity,
      unitPrice: l.product.unitPrice,
      amount: l.product.billing === 'monthly' ? l.monthly : l.amount,
      noCharge: l.noCharge,
    })),
    recurring: { monthlyBefore, monthlyChange, monthlyAfter: monthlyBefore + monthlyChange },
  };
}

function itemFigures({ role, centiHours, rate, fixedCost, cost }: PricedScopeItem): LineItemFigures {
  return { role, centiHours, rate, fixedCost, cost };
}

/** A draft's preview goes out like any PDF, but is never cached: it shows the figures of the moment it was asked. */
export function sendDraftPreview(res: Response, pdf: Buffer, filename: string): void {
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', `inline; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.send(pdf);
}
