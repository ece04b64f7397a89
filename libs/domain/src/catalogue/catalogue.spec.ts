import { deciderSpecification } from '../testing/decider-specification';
import { CatalogueCommand } from './commands';
import { decideCatalogue } from './decide';
import { catalogueEvent, CatalogueEvent } from './events';
import { findProduct, foldCatalogue } from './state';

const NOW = '2026-03-01T09:00:00.000Z';
const LATER = '2026-03-02T09:00:00.000Z';

const M365 = {
  sku: 'LIC-M365-BP',
  name: 'Microsoft 365 Business Premium',
  kind: 'licence' as const,
  billing: 'monthly' as const,
  currency: 'USD',
  unitPrice: 2_200,
  unitCost: 1_870,
};
const catalogued = catalogueEvent('ProductCatalogued', { ...M365, cataloguedAt: NOW });

const given = deciderSpecification<CatalogueCommand, CatalogueEvent, ReturnType<typeof foldCatalogue>>(
  decideCatalogue,
  (events) => foldCatalogue(events),
);

describe('the product catalogue', () => {
  it('catalogues a licence with its price and cost', () => {
    given([])
      .when({ type: 'CatalogueProduct', now: NOW, ...M365, currency: 'usd' })
      .then([catalogued]);
  });

  it('refuses a SKU already taken in another letter case', () => {
    given([catalogued])
      .when({ type: 'CatalogueProduct', now: LATER, ...M365, sku: 'lic-m365-bp' })
      .thenThrows('conflict', 'SKU LIC-M365-BP is already in the catalogue', 'sku');
  });

  it('refuses a SKU that would not fit a URL path, and fractional or negative money', () => {
    given([])
      .when({ type: 'CatalogueProduct', now: NOW, ...M365, sku: 'a/b' })
      .thenThrows('invalid', 'A SKU is 1 to 40', 'sku');
    given([])
      .when({ type: 'CatalogueProduct', now: NOW, ...M365, unitPrice: 22.5 })
      .thenThrows('invalid', 'unitPrice must be a whole number', 'unitPrice');
    given([])
      .when({ type: 'CatalogueProduct', now: NOW, ...M365, unitCost: -1 })
      .thenThrows('invalid', 'unitCost must be a whole number', 'unitCost');
    given([])
      .when({ type: 'CatalogueProduct', now: NOW, ...M365, currency: 'XYZ' })
      .thenThrows('invalid', 'ISO 4217 code of a currency', 'currency');
    given([])
      .when({ type: 'CatalogueProduct', now: NOW, ...M365, billing: 'yearly' as never })
      .thenThrows('invalid', 'Billing must be one_off or monthly', 'billing');
  });

  it('updates a product by SKU in any case, carrying the whole product as it stands after', () => {
    given([catalogued])
      .when({ type: 'UpdateProduct', now: LATER, sku: 'lic-m365-bp', unitPrice: 2_350 })
      .then([catalogueEvent('ProductUpdated', { ...M365, unitPrice: 2_350, updatedAt: LATER })]);
  });

  it('appends nothing when an update changes nothing', () => {
    given([catalogued]).when({ type: 'UpdateProduct', now: LATER, sku: M365.sku, name: M365.name }).then([]);
  });

  it('retires a product, which then cannot be changed or retired again', () => {
    const retired = catalogueEvent('ProductRetired', { sku: M365.sku, retiredAt: LATER });
    given([catalogued]).when({ type: 'RetireProduct', now: LATER, sku: M365.sku }).then([retired]);
    given([catalogued, retired])
      .when({ type: 'UpdateProduct', now: LATER, sku: M365.sku, unitPrice: 1 })
      .thenThrows('conflict', 'was retired');
    given([catalogued, retired])
      .when({ type: 'RetireProduct', now: LATER, sku: M365.sku })
      .thenThrows('conflict', 'was retired');
    expect(findProduct(foldCatalogue([catalogued, retired]), 'lic-m365-bp')?.retiredAt).toBe(LATER);
  });

  it('answers an unknown SKU as not found', () => {
    given([]).when({ type: 'RetireProduct', now: NOW, sku: 'NOPE' }).thenThrows('not_found', 'SKU NOPE');
  });

  it('keeps SKUs that look like object members as plain products', () => {
    given([])
      .when({ type: 'CatalogueProduct', now: NOW, ...M365, sku: 'constructor' })
      .then([catalogueEvent('ProductCatalogued', { ...M365, sku: 'constructor', cataloguedAt: NOW })]);
    expect(findProduct(foldCatalogue([]), 'toString')).toBeUndefined();
  });
});
