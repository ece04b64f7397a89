import { Product } from '../catalogue/events';
import { skuKey } from '../catalogue/state';
import { conflict, invalid } from '../shared/domain-error';
import { isMinor, lineCost, Minor, sumMinor } from '../shared/money';
import { ProductLineInput } from './commands';
import { OrderProductLine, ProductChangeLine } from './events';
import { isLiveOrder, requestNumber } from './rules';
import { ChangeRequestState, ProjectState, signedOrders } from './state';

/** Most units of one product a line may name. */
export const MAX_PRODUCT_QUANTITY = 1_000_000;

/** A product the project holds through its signed orders: the units and the unit price agreed when added. */
export interface ProductHolding {
  readonly product: Product;
  readonly quantity: number;
  /** Numbers of the signed orders that changed it, in signing order. */
  readonly changedBy: readonly number[];
}

/** Products held now: the baseline's, then the product lines of the signed orders in signing order, by SKU key. */
export function productHoldings(state: Pick<ProjectState, 'changeOrders' | 'baseline'>): Map<string, ProductHolding> {
  const held = new Map<string, ProductHolding>();
  for (const line of state.baseline.products ?? [])
    held.set(skuKey(line.sku), { product: line.product, quantity: line.quantity, changedBy: [] });
  for (const order of signedOrders(state)) {
    for (const line of order.products ?? []) {
      const key = skuKey(line.sku);
      const changedBy = [...(held.get(key)?.changedBy ?? []), order.number];
      if (line.op === 'remove') held.delete(key);
      else held.set(key, { product: line.product, quantity: line.quantity, changedBy });
    }
  }
  return held;
}

/** The net monthly recurring charges the signed orders added. */
export function approvedMonthly(state: Pick<ProjectState, 'changeOrders'>): Minor {
  return sumMinor([...state.changeOrders.values()].filter((o) => o.signature).map((o) => o.monthly ?? 0));
}

/** The assessed product lines, priced; refuses unknown, retired or foreign-currency SKUs and bad quantities. */
export function assessProductLines(state: ProjectState, inputs: readonly ProductLineInput[]): ProductChangeLine[] {
  const held = productHoldings(state);
  const seen = new Set<string>();
  return inputs.map((input, i) => {
    const field = `products[${i}]`;
    const key = skuKey(input.sku);
    if (seen.has(key)) throw invalid(`SKU ${input.sku} appears twice in this assessment`, `${field}.sku`);
    seen.add(key);
    return assessProductLine(state, held.get(key), input, field);
  });
}

function assessProductLine(
  state: ProjectState,
  holding: ProductHolding | undefined,
  input: ProductLineInput,
  field: string,
): ProductChangeLine {
  switch (input.op) {
    case 'add': {
      if (holding) throw invalid(`SKU ${input.sku} is already in the current scope; use modify`, `${field}.sku`);
      const catalogued = input.product;
      if (!catalogued) throw invalid(`SKU ${input.sku} is not in the catalogue`, `${field}.sku`);
      if (catalogued.retiredAt) throw invalid(`SKU ${catalogued.sku} is retired from the catalogue`, `${field}.sku`);
      if (catalogued.currency !== state.currency)
        throw invalid(
          `SKU ${catalogued.sku} is priced in ${catalogued.currency}; this project is in ${state.currency}`,
          `${field}.sku`,
        );
      const { sku, name, kind, billing, currency, unitPrice, unitCost } = catalogued;
      const product = { sku, name, kind, billing, currency, unitPrice, unitCost };
      return pricedLine('add', product, checkedQuantity(input.quantity, field), 0, field);
    }
    case 'modify': {
      if (!holding) throw invalid(`SKU ${input.sku} is not in the current scope`, `${field}.sku`);
      const quantity = checkedQuantity(input.quantity, field);
      if (quantity === holding.quantity)
        throw invalid(`The project already holds ${quantity} of ${holding.product.sku}`, `${field}.quantity`);
      return pricedLine('modify', holding.product, quantity, holding.quantity, field);
    }
    case 'remove': {
      if (!holding) throw invalid(`SKU ${input.sku} is not in the current scope`, `${field}.sku`);
      if (input.quantity !== undefined) throw invalid('A removal names only the SKU', `${field}.quantity`);
      return pricedLine('remove', holding.product, 0, holding.quantity, field);
    }
    default:
      throw invalid('op must be add, modify or remove', `${field}.op`);
  }
}

function checkedQuantity(quantity: number | undefined, field: string): number {
  if (quantity === undefined) throw invalid('Say how many units', `${field}.quantity`);
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_PRODUCT_QUANTITY)
    throw invalid(`Quantity must be a whole number from 1 to ${MAX_PRODUCT_QUANTITY}`, `${field}.quantity`);
  return quantity;
}

function pricedLine(
  op: ProductChangeLine['op'],
  product: Product,
  quantity: number,
  quantityBefore: number,
  field: string,
): ProductChangeLine {
  const units = quantity - quantityBefore;
  // Units × unit price is the hundredths product the money helper rounds: exact, with no rounding to do.
  const priceDelta = lineCost(units * 100, product.unitPrice);
  const marginDelta = priceDelta - lineCost(units * 100, product.unitCost);
  if (!isMinor(priceDelta) || !isMinor(marginDelta))
    throw invalid('Quantity times unit price is larger than any amount accepted', `${field}.quantity`);
  return { op, sku: product.sku, product, quantity, quantityBefore, priceDelta, marginDelta };
}

/** One-off and monthly price changes of assessed product lines. */
export function productTotals(lines: readonly ProductChangeLine[]): { oneOff: Minor; monthly: Minor } {
  const of = (billing: Product['billing']) =>
    sumMinor(lines.filter((l) => l.product.billing === billing).map((l) => l.priceDelta));
  return { oneOff: of('one_off'), monthly: of('monthly') };
}

/**
 * The product lines of the requests going on an order. A SKU sits on at most one live order, and goes on only
 * while the project holds what the assessment found: repricing silently would show the client a different change.
 */
export function orderProductLines(
  state: ProjectState,
  requests: readonly ChangeRequestState[],
  lockedSkus: ReadonlyMap<string, number>,
): OrderProductLine[] {
  const held = productHoldings(state);
  const skus = new Set<string>();
  const lines: OrderProductLine[] = [];
  for (const request of requests) {
    const { noCharge, products = [] } = request.assessment!;
    for (const line of products) {
      const key = skuKey(line.sku);
      if (skus.has(key)) throw conflict(`SKU ${line.sku} is changed by more than one request on this order`);
      skus.add(key);
      const lockedBy = lockedSkus.get(key);
      if (lockedBy !== undefined)
        throw conflict(`SKU ${line.sku} is already changed by CO-${lockedBy}, which is not yet signed`);
      if (!isStillHeld(held.get(key), line))
        throw conflict(`SKU ${line.sku} changed since ${requestNumber(request)} was assessed; assess it again`);
      const charged = noCharge ? 0 : line.priceDelta;
      const oneOff = line.product.billing === 'one_off';
      const amount = oneOff ? charged : 0;
      const monthly = oneOff ? 0 : charged;
      const margin = line.marginDelta - (line.priceDelta - charged);
      const base = { ...line, changeRequestId: request.id, changeRequestNumber: request.number, noCharge };
      lines.push({ ...base, amount, monthly, margin });
    }
  }
  return lines;
}

function isStillHeld(holding: ProductHolding | undefined, line: ProductChangeLine): boolean {
  if (line.op === 'add') return holding === undefined;
  return holding?.quantity === line.quantityBefore && holding.product.unitPrice === line.product.unitPrice;
}

/** Each SKU changed by a draft or issued order, with that order's number. */
export function skusOnLiveOrders(state: ProjectState): Map<string, number> {
  const skus = new Map<string, number>();
  for (const order of state.changeOrders.values()) {
    if (isLiveOrder(order)) for (const line of order.products ?? []) skus.set(skuKey(line.sku), order.number);
  }
  return skus;
}
