import { Billing, ProductKind } from './events';

/** Input as the API received it (money in minor units) and `now`. A field left out of an update stays as it is. */
export type CatalogueCommand =
  | {
      type: 'CatalogueProduct';
      now: string;
      sku: string;
      name: string;
      kind: ProductKind;
      billing: Billing;
      currency: string;
      unitPrice: number;
      unitCost: number;
    }
  | {
      type: 'UpdateProduct';
      now: string;
      sku: string;
      name?: string;
      kind?: ProductKind;
      billing?: Billing;
      currency?: string;
      unitPrice?: number;
      unitCost?: number;
    }
  | { type: 'RetireProduct'; now: string; sku: string };

export type CatalogueCommandOf<K extends CatalogueCommand['type']> = Extract<CatalogueCommand, { type: K }>;
