import { conflict, invalid, notFound } from '../shared/domain-error';
import { isCurrencyCode, isMinor } from '../shared/money';
import { CatalogueCommand, CatalogueCommandOf } from './commands';
import { BILLINGS, catalogueEvent, CatalogueEvent, Product, PRODUCT_KINDS } from './events';
import { CatalogueProduct, CatalogueState, findProduct } from './state';

/** Letters, digits, dot, dash and underscore, starting with a letter or digit: safe in a URL path. */
const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
const MAX_NAME_LENGTH = 200;

export function decideCatalogue(command: CatalogueCommand, state: CatalogueState): CatalogueEvent[] {
  switch (command.type) {
    case 'CatalogueProduct':
      return catalogueProduct(command, state);
    case 'UpdateProduct':
      return updateProduct(command, state);
    case 'RetireProduct':
      return retireProduct(command, state);
    default: {
      const unknown: never = command;
      throw new Error(`Unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

function catalogueProduct(command: CatalogueCommandOf<'CatalogueProduct'>, state: CatalogueState): CatalogueEvent[] {
  const sku = command.sku.trim();
  if (!SKU_PATTERN.test(sku))
    throw invalid(
      'A SKU is 1 to 40 letters, digits, dots, dashes or underscores, starting with a letter or digit',
      'sku',
    );
  const existing = findProduct(state, sku);
  if (existing) {
    const retired = existing.retiredAt ? ' (retired)' : '';
    throw conflict(
      `SKU ${existing.sku}${retired} is already in the catalogue; SKUs are unique regardless of case`,
      'sku',
    );
  }
  const { name, kind, billing, currency, unitPrice, unitCost } = command;
  const product = checkedProduct({ sku, name, kind, billing, currency, unitPrice, unitCost });
  return [catalogueEvent('ProductCatalogued', { ...product, cataloguedAt: command.now })];
}

function updateProduct(command: CatalogueCommandOf<'UpdateProduct'>, state: CatalogueState): CatalogueEvent[] {
  const existing = liveProduct(state, command.sku, 'changed');
  const { now: _now, type: _type, sku: _sku, ...changes } = command;
  const { sku, name, kind, billing, currency, unitPrice, unitCost } = existing;
  const product = checkedProduct({ sku, name, kind, billing, currency, unitPrice, unitCost, ...definedOnly(changes) });
  const unchanged = (Object.keys(product) as (keyof Product)[]).every((key) => product[key] === existing[key]);
  if (unchanged) return [];
  return [catalogueEvent('ProductUpdated', { ...product, updatedAt: command.now })];
}

function retireProduct(command: CatalogueCommandOf<'RetireProduct'>, state: CatalogueState): CatalogueEvent[] {
  const existing = liveProduct(state, command.sku, 'retired again');
  return [catalogueEvent('ProductRetired', { sku: existing.sku, retiredAt: command.now })];
}

function liveProduct(state: CatalogueState, sku: string, toDo: string): CatalogueProduct {
  const existing = findProduct(state, sku);
  if (!existing) throw notFound(`SKU ${sku} is not in the catalogue`);
  if (existing.retiredAt) throw conflict(`SKU ${existing.sku} was retired and cannot be ${toDo}`);
  return existing;
}

function checkedProduct(product: Product): Product {
  const name = product.name.trim();
  if (!name || name.length > MAX_NAME_LENGTH) throw invalid('A product needs a name of at most 200 characters', 'name');
  if (!PRODUCT_KINDS.includes(product.kind)) throw invalid('Kind must be product or licence', 'kind');
  if (!BILLINGS.includes(product.billing)) throw invalid('Billing must be one_off or monthly', 'billing');
  const currency = product.currency.trim().toUpperCase();
  if (!isCurrencyCode(currency))
    throw invalid('Currency must be the ISO 4217 code of a currency, such as USD', 'currency');
  for (const field of ['unitPrice', 'unitCost'] as const) {
    const amount = product[field];
    if (!isMinor(amount) || amount < 0)
      throw invalid(`${field} must be a whole number of minor units (cents), zero or more`, field);
  }
  return { ...product, name, currency };
}

function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}
