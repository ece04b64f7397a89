import { STAFF_STREAM_ID, StaffCommand } from '@scope-ledger/domain';
import { PostgresEventStore, verifyChain } from '@scope-ledger/event-store';
import { StaffCommands } from '@scope-ledger/platform';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const now = '2026-03-02T09:00:00.000Z';
const setup = { actor: { kind: 'system' as const, id: 'setup', name: 'Setup page' } };
const owner = (userId: string, email: string): StaffCommand => ({
  type: 'CreateOwner',
  now,
  userId,
  name: `Owner ${email}`,
  email,
});

/** Two server processes on one event store: the staff stream's expected revision decides who was first. */
describe('the staff stream’s command path', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeEach(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.create(database.sql);
  });
  afterEach(async () => {
    await database.drop();
  });

  it('lets only one of two setups sent at once create the owner', async () => {
    const first = new StaffCommands(store);
    const second = new StaffCommands(store);
    const outcomes = await Promise.allSettled([
      first.execute(owner('00000000-0000-4000-8000-000000000001', 'ana@northwind-it.example'), setup),
      second.execute(owner('00000000-0000-4000-8000-000000000002', 'ben@northwind-it.example'), setup),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as Error).message).toContain('The owner account already exists');

    const { state, revision } = await second.load();
    expect(revision).toBe(0n);
    expect([...state.users.values()].map((u) => u.role)).toEqual(['admin']);
    expect(verifyChain(STAFF_STREAM_ID, await store.readStream(STAFF_STREAM_ID)).valid).toBe(true);
  });
});
