import {
  baselineInvoiced,
  baselineInvoicesOf,
  BaselineInvoiceState,
  ChangeOrderState,
  invoiceDateOf,
  invoiceKind,
  InvoiceState,
  Minor,
  orderNumber,
  ProjectState,
  signedOrders,
  sumMinor,
} from '@scope-ledger/domain';
import { budgetView } from './project-views';

/** How a signed order is settled: by invoices, by credit notes, or not at all (no charge). */
export type SettlementKind = 'charge' | 'credit' | 'no_charge';

/** An invoice or credit note as finance reads it; voided ones keep their place, with why. */
export function recordedInvoice(invoice: InvoiceState) {
  return {
    invoiceNumber: invoice.invoiceNumber,
    kind: invoiceKind(invoice),
    amount: invoice.amount,
    invoiceDate: invoiceDateOf(invoice),
    invoicedAt: invoice.invoicedAt,
    voided: invoice.voided ?? null,
  };
}

export type RecordedInvoice = ReturnType<typeof recordedInvoice>;

/**
 * A signed order's settlement: what it is worth, what invoices and credit notes settled, and what remains
 * (negative while a credit is not yet credited; zero once settled, never below for a fully credited order).
 */
export function orderSettlement(order: Pick<ChangeOrderState, 'amount' | 'invoiced' | 'invoices'>) {
  const kind: SettlementKind = order.amount > 0 ? 'charge' : order.amount < 0 ? 'credit' : 'no_charge';
  const remaining = order.amount - order.invoiced;
  return {
    kind,
    amount: order.amount,
    invoiced: order.invoiced,
    uninvoiced: remaining,
    settled: remaining === 0,
    invoices: order.invoices.map(recordedInvoice),
  };
}

/** Totals over settled orders' figures; each order counts its remainder where it belongs (to bill or to credit). */
function settlementTotals(orders: readonly ReturnType<typeof orderSettlement>[]) {
  const live = orders.flatMap((o) => o.invoices.filter((i) => !i.voided));
  return {
    invoiced: sumMinor(live.filter((i) => i.kind === 'invoice').map((i) => i.amount)),
    credited: sumMinor(live.filter((i) => i.kind === 'credit_note').map((i) => i.amount)),
    signedUninvoiced: sumMinor(orders.filter((o) => o.kind === 'charge').map((o) => o.uninvoiced)),
    uncredited: sumMinor(orders.filter((o) => o.kind === 'credit').map((o) => o.uninvoiced)),
  };
}

/**
 * The baseline contract's billing: what was invoiced against it, per milestone where invoices name one, and what
 * remains; voided invoices stay listed and count for nothing.
 */
export function baselineBilling(state: ProjectState) {
  const invoices = baselineInvoicesOf(state);
  const live = invoices.filter((i) => !i.voided);
  const invoicedFor = (milestone: string | undefined) =>
    sumMinor(live.filter((i) => i.milestone === milestone).map((i) => i.amount));
  const invoiced = baselineInvoiced(state);
  return {
    contract: state.baseline.total,
    invoiced,
    uninvoiced: state.baseline.total - invoiced,
    milestones: [...state.milestones.values()].map((m) => ({
      milestone: m.ref,
      name: m.name,
      invoiced: invoicedFor(m.ref),
    })),
    /** Invoiced against the baseline as a whole, naming no milestone. */
    notByMilestone: invoicedFor(undefined),
    invoices: invoices.map(recordedBaselineInvoice),
  };
}

/** A baseline invoice as finance reads it: an invoice, with the milestone it bills (null: the baseline as a whole). */
export function recordedBaselineInvoice(invoice: BaselineInvoiceState) {
  return { ...recordedInvoice(invoice), milestone: invoice.milestone ?? null };
}

/** A project's contract value against what was invoiced and credited, order by order. */
export function reconciliationView(state: ProjectState) {
  const budget = budgetView(state);
  const billing = baselineBilling(state);
  const orders = signedOrders(state).map((o) => ({
    changeOrderId: o.id,
    number: orderNumber(o),
    signedAt: o.signature!.signedAt,
    ...orderSettlement(o),
    /** Recurring monthly change signed with the order: billed apart from its one-off amount. */
    monthly: o.monthly ?? 0,
  }));
  return {
    projectId: state.projectId,
    project: state.name,
    client: state.client.name,
    currency: state.currency,
    baseline: budget.baseline,
    baselineInvoiced: billing.invoiced,
    baselineUninvoiced: billing.uninvoiced,
    signedChanges: budget.approvedChanges,
    contractValue: budget.current,
    /** Net of invoices and credit notes against change orders. */
    changeOrdersInvoiced: budget.invoiced,
    ...settlementTotals(orders),
    absorbed: budget.absorbed,
    /** Net recurring monthly charges signed, apart from the one-off figures. */
    recurringMonthlySigned: budget.monthly.approved,
    changeOrders: orders,
    baselineBilling: billing,
  };
}

export type ProjectReconciliation = ReturnType<typeof reconciliationView>;

const FIGURES = [
  'baseline',
  'baselineInvoiced',
  'baselineUninvoiced',
  'signedChanges',
  'contractValue',
  'changeOrdersInvoiced',
  'invoiced',
  'credited',
  'signedUninvoiced',
  'uncredited',
  'absorbed',
  'recurringMonthlySigned',
] as const;

export type ReconciliationTotals = Record<(typeof FIGURES)[number], Minor>;

/** A client's projects side by side, with totals per currency: amounts in different currencies never add up. */
export function clientReconciliationView(client: string, projects: readonly ProjectReconciliation[]) {
  const totals = new Map<string, ReconciliationTotals>();
  for (const project of projects) {
    const total =
      totals.get(project.currency) ?? (Object.fromEntries(FIGURES.map((f) => [f, 0])) as ReconciliationTotals);
    for (const figure of FIGURES) total[figure] += project[figure];
    totals.set(project.currency, total);
  }
  return { client, projects, totals: Object.fromEntries(totals), currencies: [...totals.keys()] };
}
