import request from 'supertest';
import { tokenSha256 } from '@scope-ledger/platform';
import { startTestServer, TestServer } from '../support/test-server';
import {
  eventually,
  issueChangeOrder,
  notificationsCaughtUp,
  signChangeOrder,
  signingTokenIn,
} from './change-order-scenario';

const manager = { name: 'Sam Okafor', email: 'sam.okafor@northwind-it.example' };

describe('the outbox without an SMTP server', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ config: { smtpUrl: undefined, publicUrl: 'https://ledger.example' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('holds every message and lists it to project managers, the signing link shown to admins only', async () => {
    const signer = { name: 'Priya Raman', email: 'priya@contoso.example' };
    const order = await issueChangeOrder(t, { projectName: 'Microsoft 365 migration', signer, manager });
    await signChangeOrder(t, order);
    await notificationsCaughtUp(t);
    const pm = await t.keyFor('pm');

    const listed = await eventually(async () => {
      const response = await request(t.http)
        .get(`/api/outbox?changeOrderId=${order.changeOrderId}`)
        .set('Authorization', `Bearer ${pm}`)
        .expect(200);
      const messages = response.body as { kind: string; status: string }[];
      return messages.length === 4 && messages.every((m) => m.status === 'held') ? response.body : undefined;
    });

    const byKind = Object.fromEntries(listed.map((m: { kind: string }) => [m.kind, m]));
    expect(Object.keys(byKind).sort()).toEqual([
      'sign_link',
      'signed_confirmation',
      'signed_to_manager',
      'viewed_to_manager',
    ]);
    expect(byKind.sign_link).toMatchObject({
      to: signer,
      replyTo: manager,
      subject: 'Please sign change order CO-1 for Microsoft 365 migration',
      status: 'held',
      attempts: 0,
      projectId: order.projectId,
      changeOrderId: order.changeOrderId,
      sentAt: null,
    });
    // Whoever holds the link can sign as the client: a project manager reading the outbox sees it withheld.
    expect(signingTokenIn(byKind.sign_link.text, 'https://ledger.example')).toBeUndefined();
    expect(byKind.sign_link.text).toContain('https://ledger.example/sign/(link withheld)');
    expect(byKind.sign_link.html).toContain('https://ledger.example/sign/(link withheld)');
    const asAdmin = (await t.api.get(`/api/outbox?changeOrderId=${order.changeOrderId}`).expect(200)).body as {
      kind: string;
      text: string;
    }[];
    const sent = asAdmin.find((m) => m.kind === 'sign_link')!;
    expect(tokenSha256(signingTokenIn(sent.text, 'https://ledger.example')!)).toBe(order.issued.signingTokenSha256);
    expect(byKind.signed_to_manager).toMatchObject({
      to: manager,
      subject: 'CO-1 for Microsoft 365 migration was signed',
    });
  });

  it('filters by status and refuses finance keys and bad filters', async () => {
    const order = await issueChangeOrder(t, {
      projectName: 'Firewall refresh',
      signer: { name: 'Lee Chen', email: 'lee@contoso.example' },
    });
    await notificationsCaughtUp(t);
    await t.server.notifications.sender.runOnce();

    const held = await t.api.get(`/api/outbox?changeOrderId=${order.changeOrderId}&status=held`).expect(200);
    expect(held.body).toHaveLength(1);
    const sent = await t.api.get(`/api/outbox?changeOrderId=${order.changeOrderId}&status=sent`).expect(200);
    expect(sent.body).toEqual([]);

    const finance = await t.keyFor('finance');
    await request(t.http).get('/api/outbox').set('Authorization', `Bearer ${finance}`).expect(403);
    await request(t.http).get('/api/outbox').expect(401);
    const bad = await t.api.get('/api/outbox?status=delivered').expect(400);
    expect(bad.body.detail).toContain('status must be one of pending, sent, failed, held');
  });

  it('parks an event it cannot turn into email and goes on with the next ones', async () => {
    // An issued event without a nonce: the link cannot be derived.
    const broken = await issueChangeOrder(t, {
      projectName: 'Broken link',
      signer: { name: 'A', email: 'a@contoso.example' },
      signingTokenNonce: '',
    });
    const fine = await issueChangeOrder(t, {
      projectName: 'Fine link',
      signer: { name: 'B', email: 'b@contoso.example' },
    });
    await notificationsCaughtUp(t);

    const { rows } = await t.server.platform.sql.query<{ event_id: string; error: string }>(
      `SELECT event_id, error FROM projection_parked_events`,
    );
    expect(rows).toEqual([
      { event_id: broken.issuedEventId, error: expect.stringContaining('without a signing-token nonce') },
    ]);
    expect(
      await t.api
        .get(`/api/outbox?changeOrderId=${broken.changeOrderId}`)
        .expect(200)
        .then((r) => r.body),
    ).toEqual([]);
    const listed = await t.api.get(`/api/outbox?changeOrderId=${fine.changeOrderId}`).expect(200);
    expect(listed.body.map((m: { kind: string }) => m.kind)).toEqual(['sign_link']);
  });

  it('emails nothing about the past when it first starts on an existing event log, and everything after', async () => {
    const before = await issueChangeOrder(t, {
      projectName: 'Imported history',
      signer: { name: 'Old Signer', email: 'old@contoso.example' },
    });
    await notificationsCaughtUp(t);
    const { processor } = t.server.platform;
    await processor.stop();
    // As after importing an event log into a new database: events, but no outbox and no reactors' checkpoint.
    await t.server.platform.sql.query(`DELETE FROM notification_outbox`);
    await t.server.platform.sql.query(`DELETE FROM projection_checkpoints WHERE name = 'reactors'`);
    await processor.start();

    const after = await issueChangeOrder(t, {
      projectName: 'New work',
      signer: { name: 'New Signer', email: 'new@contoso.example' },
    });
    await notificationsCaughtUp(t);
    expect(
      await t.api
        .get(`/api/outbox?changeOrderId=${before.changeOrderId}`)
        .expect(200)
        .then((r) => r.body),
    ).toEqual([]);
    const listed = await t.api.get(`/api/outbox?changeOrderId=${after.changeOrderId}`).expect(200);
    expect(listed.body.map((m: { kind: string }) => m.kind)).toEqual(['sign_link']);
  });
});
