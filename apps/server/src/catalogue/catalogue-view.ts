import { CatalogueProduct, CatalogueState } from '@scope-ledger/domain';

/** A catalogue entry as staff read it, with its unit margin. */
export function productView(product: CatalogueProduct) {
  const { sku, name, kind, billing, currency, unitPrice, unitCost } = product;
  return {
    sku,
    name,
    kind,
    billing,
    currency,
    unitPrice,
    unitCost,
    unitMargin: unitPrice - unitCost,
    retired: product.retiredAt !== undefined,
    cataloguedAt: product.cataloguedAt,
    updatedAt: product.updatedAt ?? null,
    retiredAt: product.retiredAt ?? null,
  };
}

export type ProductView = ReturnType<typeof productView>;

/** Products by SKU, retired ones only when asked for. */
export function catalogueView(state: CatalogueState, { retired = false } = {}): ProductView[] {
  return [...state.products.values()]
    .filter((p) => retired || p.retiredAt === undefined)
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
    .map(productView);
}
