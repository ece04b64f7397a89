import { Minor } from '../shared/money';

export type ProductKind = 'product' | 'licence';
export const PRODUCT_KINDS: readonly ProductKind[] = ['product', 'licence'];

/** one_off: paid once with the order; monthly: a recurring charge per month from signature on. */
export type Billing = 'one_off' | 'monthly';
export const BILLINGS: readonly Billing[] = ['one_off', 'monthly'];

/** A product or licence as the catalogue sells it. Prices and costs are per unit, in minor units of its currency. */
export interface Product {
  /** The code staff type, kept as typed; unique regardless of letter case. */
  readonly sku: string;
  readonly name: string;
  readonly kind: ProductKind;
  readonly billing: Billing;
  readonly currency: string;
  /** What the client pays per unit (per month for monthly billing). */
  readonly unitPrice: Minor;
  /** What the unit costs the company; never shown to clients. */
  readonly unitCost: Minor;
}

/** Every fact in the stream `catalogue`. ProductUpdated carries the product as it stands after the change. */
export interface CatalogueEventMap {
  ProductCatalogued: Product & { cataloguedAt: string };
  ProductUpdated: Product & { updatedAt: string };
  ProductRetired: { sku: string; retiredAt: string };
}

export type CatalogueEventType = keyof CatalogueEventMap;

export type CatalogueEvent = {
  [K in CatalogueEventType]: { readonly type: K; readonly data: CatalogueEventMap[K] };
}[CatalogueEventType];

export const CATALOGUE_STREAM_ID = 'catalogue';

export const CATALOGUE_SCHEMA_VERSIONS: { readonly [K in CatalogueEventType]: number } = {
  ProductCatalogued: 1,
  ProductUpdated: 1,
  ProductRetired: 1,
};

export function catalogueEvent<K extends CatalogueEventType>(
  type: K,
  data: CatalogueEventMap[K],
): Extract<CatalogueEvent, { type: K }> {
  return { type, data } as Extract<CatalogueEvent, { type: K }>;
}

/** A stored event as the catalogue reads it: undefined for types it does not know. */
export function toCatalogueEvent(type: string, data: unknown): CatalogueEvent | undefined {
  if (!Object.hasOwn(CATALOGUE_SCHEMA_VERSIONS, type)) return undefined;
  return { type, data } as CatalogueEvent;
}
