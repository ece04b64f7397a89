import {
  approvedMonthly,
  ChangeOrderState,
  ChangeRequestState,
  Minor,
  OrderProductLine,
  ProductChangeLine,
  ProjectState,
  requestNumber,
  signedOrders,
  sumMinor,
} from '@scope-ledger/domain';

/** A product line as staff read it: unit figures, quantity change, price change and margin. */
export function productLineView(line: ProductChangeLine) {
  const { sku, name, kind, billing, unitPrice, unitCost } = line.product;
  return {
    op: line.op,
    sku,
    name,
    kind,
    billing,
    quantity: line.quantity,
    quantityBefore: line.quantityBefore,
    quantityDelta: line.quantity - line.quantityBefore,
    unitPrice,
    unitCost,
    unitMargin: unitPrice - unitCost,
    priceDelta: line.priceDelta,
    marginDelta: line.marginDelta,
  };
}

export function orderProductLineView(line: OrderProductLine) {
  return {
    changeRequest: requestNumber({ number: line.changeRequestNumber }),
    ...productLineView(line),
    noCharge: line.noCharge,
    amount: line.amount,
    monthly: line.monthly,
    margin: line.margin,
  };
}

/** What an assessment's products change: one-off price (already in costDelta), per month, and margin. */
export function assessmentProducts(assessment: NonNullable<ChangeRequestState['assessment']>) {
  const products = assessment.products ?? [];
  const margin = (billing: 'one_off' | 'monthly') =>
    sumMinor(products.filter((l) => l.product.billing === billing).map((l) => l.marginDelta));
  return {
    products: products.map(productLineView),
    monthlyDelta: assessment.monthlyDelta ?? 0,
    margin: { oneOff: margin('one_off'), monthly: margin('monthly') },
  };
}

/**
 * An order's recurring charges and product margin; once issued, the monthly totals before it (the baseline's and
 * those of the orders signed before it) and after it.
 */
export function orderProducts(order: ChangeOrderState, baselineMonthly = 0) {
  const products = order.products ?? [];
  const monthly = order.monthly ?? 0;
  const before = order.issue ? baselineMonthly + (order.issue.previouslyApprovedMonthly ?? 0) : null;
  return {
    products: products.map(orderProductLineView),
    monthly: { change: monthly, before, after: before === null ? null : before + monthly },
    margin: orderMargin(order),
  };
}

function orderMargin(order: Pick<ChangeOrderState, 'products'>): { oneOff: Minor; monthly: Minor } {
  const products = order.products ?? [];
  const of = (billing: 'one_off' | 'monthly') =>
    sumMinor(products.filter((l) => l.product.billing === billing).map((l) => l.margin));
  return { oneOff: of('one_off'), monthly: of('monthly') };
}

/** Recurring monthly charges: the baseline's products, what signed orders approved, what issued orders await. */
export function monthlyFigures(state: ProjectState) {
  const baseline = state.baseline.monthly ?? 0;
  const approved = approvedMonthly(state);
  const issued = [...state.changeOrders.values()].filter((o) => o.status === 'issued');
  const signed = signedOrders(state);
  return {
    baseline,
    approved,
    current: baseline + approved,
    pending: sumMinor(issued.map((o) => o.monthly ?? 0)),
    /** Product margin of the signed orders: once, and per month. For staff only. */
    margin: {
      oneOff: sumMinor(signed.map((o) => orderMargin(o).oneOff)),
      monthly: sumMinor(signed.map((o) => orderMargin(o).monthly)),
    },
  };
}
