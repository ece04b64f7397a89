import { randomBytes } from 'node:crypto';
import { event, ProjectEvent, projectStreamId } from '@scope-ledger/domain';
import { migrate, Position, PostgresEventStore } from '@scope-ledger/event-store';
import { listOutbox, notificationMigrations, OutboxReactor } from '@scope-ledger/notifications';
import { EventProcessor } from '@scope-ledger/projections';
import {
  CO_1,
  CO_2,
  CO_3,
  CR_3,
  EXPIRES_AT,
  ISSUED_AT,
  onOrder,
  orderDrafted,
  orderIssued,
  orderVoided,
  projectOpened,
  REMOVE_SI_3,
  SIGNER,
  withIssuedOrder,
} from '../../libs/domain/src/testing/project.fixture';
import { newEvents } from '../projections/processor-support';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const manager = { name: 'Sam Okafor', email: 'sam.okafor@northwind-it.example' };
const identity = { mspName: 'Northwind IT', publicUrl: 'https://ledger.example' };
const secret = randomBytes(32);
const STAFF_PAGE = `https://ledger.example/app/projects/${projectOpened.data.projectId}`;

const viewed = (changeOrderId: string, viewedAt: string) => event('ChangeOrderViewed', { changeOrderId, viewedAt });
const co1Revised = event('ChangeOrderRevised', {
  changeOrderId: CO_1,
  revision: 1,
  documentSha256: 'c'.repeat(64),
  signingTokenSha256: 'd'.repeat(64),
  signingTokenNonce: 'nonce-revision-1',
  issuedAt: '2026-03-12T09:00:00.000Z',
  expiresAt: '2026-03-26T09:00:00.000Z',
  originalContract: 749_500,
  previouslyApproved: 0,
  schedule: [],
});
const co2Drafted = orderDrafted(CO_2, 2, [CR_3], [onOrder(REMOVE_SI_3, CR_3, 3)], { amount: -180_000 });
const co3Drafted = orderDrafted(CO_3, 3, [CR_3], [onOrder(REMOVE_SI_3, CR_3, 3)], { amount: -180_000 });

describe('the outbox reactor on views, expiry and voids', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let processor: EventProcessor;
  let last: Position;

  beforeEach(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.create(database.sql, { pollIntervalMs: 20 });
    await EventProcessor.prepare(database.sql);
    await migrate(database.sql, notificationMigrations);
    processor = await EventProcessor.create(store, database.sql);
    processor.addReactor(new OutboxReactor({ signingSecret: secret, identity }));
    await processor.start();
  });
  afterEach(async () => {
    await processor.stop();
    await store.close();
    await database.drop();
  });

  /** Appends events to the project and waits for the processor to apply them; their ids. */
  async function append(events: readonly ProjectEvent[]): Promise<string[]> {
    const stored = newEvents(events, ISSUED_AT);
    ({ position: last } = await store.append(projectStreamId(projectOpened.data.projectId), stored, 'any'));
    await processor.waitFor(last, 10_000);
    return stored.map((e) => e.id);
  }

  const messagesOf = async (changeOrderId: string) => (await listOutbox(database.sql, { changeOrderId })).reverse();

  it('tells the manager of the first view of each copy sent, and of its expiry, once each', async () => {
    await append([event('ProjectOpened', { ...projectOpened.data, manager }), ...withIssuedOrder.slice(1)]);
    const [firstView] = await append([viewed(CO_1, '2026-03-09T13:50:00.000Z')]);
    await append([viewed(CO_1, '2026-03-10T08:00:00.000Z')]);
    await append([co1Revised]);
    const [revisedView] = await append([viewed(CO_1, '2026-03-12T11:00:00.000Z')]);
    await append([viewed(CO_1, '2026-03-13T11:00:00.000Z')]);
    const [expired] = await append([event('ChangeOrderExpired', { changeOrderId: CO_1, expiredAt: EXPIRES_AT })]);

    const messages = await messagesOf(CO_1);
    expect(messages.map((m) => [m.kind, m.to.email])).toEqual([
      ['sign_link', SIGNER.email],
      ['viewed_to_manager', manager.email],
      ['sign_link', SIGNER.email],
      ['viewed_to_manager', manager.email],
      ['expired_to_manager', manager.email],
    ]);
    expect(messages.map((m) => m.dedupeKey).slice(1)).toEqual([
      `${firstView}:first-view:manager`,
      expect.stringMatching(/:revised-sign-link$/),
      `${revisedView}:first-view:manager`,
      `${expired}:expired:manager`,
    ]);
    expect(messages[1].subject).toBe('CO-1 for Microsoft 365 migration was opened by Priya Raman');
    expect(messages[1].text).toContain('at 2026-03-09 13:50:00 UTC, the first time since it was issued.');
    expect(messages[3].subject).toBe('CO-1 R1 for Microsoft 365 migration was opened by Priya Raman');
    expect(messages[3].text).toContain('at 2026-03-12 11:00:00 UTC, the first time since it was revised.');
    expect(messages[4].subject).toBe('CO-1 R1 for Microsoft 365 migration expired unsigned');
    expect(messages[4].text).toContain('expired unsigned on 2026-03-20 10:30:00 UTC');
    expect(messages[4].text).toContain(`${STAFF_PAGE}#order-CO-1`);

    // Every event handled again (the read tables rebuilt from the first event) queues nothing new.
    await processor.stop();
    await database.sql.query(`UPDATE projection_checkpoints SET commit_position = 0, prepare_position = 0`);
    await processor.start();
    await processor.waitFor(last, 10_000);
    expect(await messagesOf(CO_1)).toHaveLength(5);
    expect(await processor.parkedEvents()).toEqual([]);
  });

  it('tells the signer of an issued order it was withdrawn, and no one of a voided draft', async () => {
    await append([event('ProjectOpened', { ...projectOpened.data, manager }), ...withIssuedOrder.slice(1)]);
    await append([co2Drafted, orderVoided(CO_2, 'Drafted on the wrong request')]);
    const [, , voided] = await append([
      co3Drafted,
      orderIssued(CO_3, { originalContract: 749_500, previouslyApproved: 0 }),
      orderVoided(CO_3, 'The appliance stays after all'),
    ]);

    expect(await messagesOf(CO_2)).toEqual([]);
    const [link, withdrawn] = await messagesOf(CO_3);
    expect(link.kind).toBe('sign_link');
    expect(withdrawn).toMatchObject({
      dedupeKey: `${voided}:voided:signer`,
      kind: 'voided_to_signer',
      to: SIGNER,
      replyTo: manager,
      subject: 'Change order CO-3 for Microsoft 365 migration was withdrawn',
    });
    expect(withdrawn.text).toContain('Reason given: The appliance stays after all');
  });

  it('sends no view or expiry email on a project without a manager', async () => {
    await append([...withIssuedOrder, viewed(CO_1, '2026-03-09T13:50:00.000Z')]);
    await append([event('ChangeOrderExpired', { changeOrderId: CO_1, expiredAt: EXPIRES_AT })]);

    expect((await messagesOf(CO_1)).map((m) => m.kind)).toEqual(['sign_link']);
    expect(await processor.parkedEvents()).toEqual([]);
  });
});
