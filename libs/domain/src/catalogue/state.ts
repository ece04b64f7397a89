import { CatalogueEvent, Product } from './events';

export interface CatalogueProduct extends Product {
  readonly cataloguedAt: string;
  readonly updatedAt?: string;
  readonly retiredAt?: string;
}

/** Products by their SKU key (upper case, see skuKey), in the order they were catalogued. */
export interface CatalogueState {
  readonly products: ReadonlyMap<string, CatalogueProduct>;
}

export const initialCatalogueState: CatalogueState = { products: new Map() };

/** SKUs are unique regardless of letter case: "lic-m365" and "LIC-M365" are one product. */
export function skuKey(sku: string): string {
  return sku.trim().toUpperCase();
}

export function findProduct(state: CatalogueState, sku: string): CatalogueProduct | undefined {
  return state.products.get(skuKey(sku));
}

export function evolveCatalogue(state: CatalogueState, event: CatalogueEvent): CatalogueState {
  const products = new Map(state.products);
  const key = skuKey(event.data.sku);
  switch (event.type) {
    case 'ProductCatalogued':
      products.set(key, { ...event.data });
      break;
    case 'ProductUpdated': {
      const { updatedAt, ...product } = event.data;
      const existing = products.get(key);
      if (!existing) throw new Error(`The catalogue has no product ${event.data.sku}`);
      products.set(key, { ...existing, ...product, updatedAt });
      break;
    }
    case 'ProductRetired': {
      const existing = products.get(key);
      if (!existing) throw new Error(`The catalogue has no product ${event.data.sku}`);
      products.set(key, { ...existing, retiredAt: event.data.retiredAt });
      break;
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
  return { products };
}

export function foldCatalogue(events: Iterable<CatalogueEvent>, from = initialCatalogueState): CatalogueState {
  let state = from;
  for (const event of events) state = evolveCatalogue(state, event);
  return state;
}
