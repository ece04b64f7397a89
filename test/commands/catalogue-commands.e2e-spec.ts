import { CATALOGUE_STREAM_ID, CatalogueCommand, findProduct } from '@scope-ledger/domain';
import { PostgresEventStore, verifyChain } from '@scope-ledger/event-store';
import { CatalogueCommands } from '@scope-ledger/platform';
import { pmContext as context } from '../support/repository-commands';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const now = '2026-03-02T09:00:00.000Z';
const catalogue = (sku: string, unitPrice = 2200): CatalogueCommand => ({
  type: 'CatalogueProduct',
  now,
  sku,
  name: `Product ${sku}`,
  kind: 'licence',
  billing: 'monthly',
  currency: 'USD',
  unitPrice,
  unitCost: 1870,
});

/** Two server processes on one event store: each sees what the other appended, and neither overwrites it. */
describe('the catalogue’s command path', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeEach(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.create(database.sql);
  });
  afterEach(async () => {
    await database.drop();
  });

  it('sees what another process catalogued, and decides again when it wrote first', async () => {
    const first = new CatalogueCommands(store);
    const second = new CatalogueCommands(store);
    await first.execute(catalogue('LIC-A'), context);
    await expect(second.execute(catalogue('lic-a'), context)).rejects.toThrow('already in the catalogue');

    // Both append at once from the same revision: one retries on the fresh stream, and both products stay.
    await Promise.all([first.execute(catalogue('LIC-B'), context), second.execute(catalogue('LIC-C'), context)]);
    await second.execute({ type: 'UpdateProduct', now, sku: 'LIC-B', unitPrice: 2500 }, context);
    const { state, revision } = await first.load();
    expect(revision).toBe(3n);
    expect([...state.products.keys()]).toEqual(['LIC-A', 'LIC-B', 'LIC-C']);
    expect(findProduct(state, 'lic-b')?.unitPrice).toBe(2500);
    expect(verifyChain(CATALOGUE_STREAM_ID, await store.readStream(CATALOGUE_STREAM_ID)).valid).toBe(true);
  });
});
