import { randomBytes } from 'node:crypto';
import { event, ProjectEvent, projectStreamId } from '@scope-ledger/domain';
import { migrate, Position, PostgresEventStore } from '@scope-ledger/event-store';
import {
  listOutbox,
  notificationMigrations,
  OutboxReactor,
  ReminderScheduler,
  signingUrl,
} from '@scope-ledger/notifications';
import { signingToken } from '@scope-ledger/platform';
import { EventProcessor } from '@scope-ledger/projections';
import {
  CO_1,
  CO_2,
  co1SignedWithItsWork,
  CR_3,
  EXPIRES_AT,
  ISSUED_AT,
  onOrder,
  orderDrafted,
  orderIssued,
  projectOpened,
  REMOVE_SI_3,
  SIGNING_TOKEN_NONCE,
  withIssuedOrder,
} from '../../libs/domain/src/testing/project.fixture';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { newEvents } from './processor-support';

const manager = { name: 'Sam Okafor', email: 'sam.okafor@northwind-it.example' };
const identity = { mspName: 'Northwind IT', publicUrl: 'https://ledger.example' };
const secret = randomBytes(32);
const HOUR = 3_600_000;

describe('the outbox reactor and the reminders', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let processor: EventProcessor;
  let woken = 0;

  beforeEach(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.create(database.sql, { pollIntervalMs: 20 });
    await EventProcessor.prepare(database.sql);
    await migrate(database.sql, notificationMigrations);
    processor = await EventProcessor.create(store, database.sql);
    processor.addReactor(new OutboxReactor({ signingSecret: secret, identity, onMessagesQueued: () => woken++ }));
    await processor.start();
  });
  afterEach(async () => {
    await processor.stop();
    await store.close();
    await database.drop();
  });

  let last: Position;

  /** Appends events to the project and waits for the processor to apply them. */
  async function append(events: readonly ProjectEvent[], projectId = projectOpened.data.projectId): Promise<string[]> {
    const stored = newEvents(events, ISSUED_AT);
    ({ position: last } = await store.append(projectStreamId(projectId), stored, 'any'));
    await processor.waitFor(last, 10_000);
    return stored.map((e) => e.id);
  }

  const withManager = event('ProjectOpened', { ...projectOpened.data, manager });
  const reminders = (hoursBeforeExpiry = 48) =>
    new ReminderScheduler({ sql: database.sql, signingSecret: secret, identity, hoursBeforeExpiry });

  it('sends the sign link when an order is issued, and the outcome once it is signed or declined', async () => {
    const ids = await append([withManager, ...withIssuedOrder.slice(1)]);
    const issuedId = ids[ids.length - 1];
    const [link] = await listOutbox(database.sql);
    expect(link).toMatchObject({
      dedupeKey: `${issuedId}:sign-link`,
      kind: 'sign_link',
      changeOrderId: CO_1,
      to: { name: 'Priya Raman' },
      replyTo: manager,
      subject: 'Please sign change order CO-1 for Microsoft 365 migration',
    });
    expect(link.text).toContain(signingUrl(identity, signingToken(secret, CO_1, SIGNING_TOKEN_NONCE)));
    expect(woken).toBe(1);

    const [signedId] = await append(co1SignedWithItsWork);
    await append([
      orderDrafted(CO_2, 2, [CR_3], [onOrder(REMOVE_SI_3, CR_3, 3)], { amount: -180_000 }),
      orderIssued(CO_2, { originalContract: 749_500, previouslyApproved: 195_788 }),
    ]);
    const [declinedId] = await append([
      event('ChangeOrderDeclined', {
        changeOrderId: CO_2,
        reason: 'We keep the appliance',
        declinedAt: '2026-03-10T09:00:00.000Z',
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0',
      }),
    ]);
    const sent = (await listOutbox(database.sql)).reverse();
    expect(sent.map((m) => [m.kind, m.changeOrderId, m.to.email])).toEqual([
      ['sign_link', CO_1, 'priya.raman@contoso-dental.example'],
      ['signed_confirmation', CO_1, 'priya.raman@contoso-dental.example'],
      ['signed_to_manager', CO_1, manager.email],
      ['sign_link', CO_2, 'priya.raman@contoso-dental.example'],
      ['declined_to_manager', CO_2, manager.email],
    ]);
    expect(sent[1].dedupeKey).toBe(`${signedId}:signed:signer`);
    expect(sent[4].dedupeKey).toBe(`${declinedId}:declined:manager`);
    expect(sent[4].text).toContain('Reason given: We keep the appliance');

    // Every event handled again (both checkpoints back at the start) queues nothing new.
    await processor.stop();
    await database.sql.query(`UPDATE projection_checkpoints SET commit_position = 0, prepare_position = 0`);
    await processor.start();
    await processor.waitFor(last, 10_000);
    expect(await listOutbox(database.sql)).toHaveLength(5);
    expect(await processor.parkedEvents()).toEqual([]);
  });

  it('sends no manager email for a project without a manager, and goes on', async () => {
    await append([...withIssuedOrder, ...co1SignedWithItsWork]);
    expect((await listOutbox(database.sql)).map((m) => m.kind).sort()).toEqual(['sign_link', 'signed_confirmation']);
    expect(await processor.parkedEvents()).toEqual([]);
  });

  it('reminds a signer once, from two days before expiry, and never about a signed order', async () => {
    await append([withManager, ...withIssuedOrder.slice(1)]);
    const expiry = Date.parse(EXPIRES_AT);
    expect(await reminders().runOnce(new Date(expiry - 49 * HOUR))).toBe(0);
    expect(await reminders().runOnce(new Date(expiry - 47 * HOUR))).toBe(1);
    expect(await reminders().runOnce(new Date(expiry - 46 * HOUR))).toBe(0);
    const reminder = (await listOutbox(database.sql, { changeOrderId: CO_1 })).find((m) => m.kind === 'reminder')!;
    expect(reminder).toMatchObject({ dedupeKey: `${CO_1}:reminder`, replyTo: manager });
    expect(reminder.subject).toBe(
      'Reminder: change order CO-1 for Microsoft 365 migration expires at 2026-03-20 10:30:00 UTC',
    );

    const other = '0c4e9d1a-5b6f-4a7e-9c8d-000000000042';
    const otherOpened = event('ProjectOpened', { ...withManager.data, projectId: other, name: 'Printer fleet' });
    await append([otherOpened, ...withIssuedOrder.slice(1), ...co1SignedWithItsWork], other);
    expect(await reminders().runOnce(new Date(expiry - 47 * HOUR))).toBe(0);
    expect(await reminders().runOnce(new Date(expiry + HOUR))).toBe(0);
  });

  it('reminds about an order issued for one day only after half its time', async () => {
    const issuedAt = Date.parse(ISSUED_AT);
    await append([
      withManager,
      ...withIssuedOrder.slice(1, -1),
      orderIssued(CO_1, {
        originalContract: 749_500,
        previouslyApproved: 0,
        expiresAt: new Date(issuedAt + 24 * HOUR).toISOString(),
      }),
    ]);
    expect(await reminders().runOnce(new Date(issuedAt + HOUR))).toBe(0);
    expect(await reminders().runOnce(new Date(issuedAt + 13 * HOUR))).toBe(1);
  });
});
