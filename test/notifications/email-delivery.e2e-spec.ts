import { addCalendarDays, calendarDateIn, dateTimeIn } from '@scope-ledger/domain';
import { tokenSha256 } from '@scope-ledger/platform';
import { secondServer } from '../reliability/second-server';
import { startTestServer, TestServer } from '../support/test-server';
import {
  declineChangeOrder,
  eventually,
  issueChangeOrder,
  notificationsCaughtUp,
  outboxOf,
  signChangeOrder,
  signingTokenIn,
} from './change-order-scenario';
import { ReceivedMail, SmtpTestServer, startSmtpTestServer } from './smtp-test-server';

const PUBLIC_URL = 'https://ledger.northwind-it.example';
const manager = { name: 'Sam Okafor', email: 'sam.okafor@northwind-it.example' };
const HOUR = 3_600_000;

const to = (address: string) => (mail: ReceivedMail) => mail.envelopeTo.includes(address);
const signLinks = (mails: ReceivedMail[], address: string) =>
  mails.filter(to(address)).filter((m) => m.subject.startsWith('Please sign'));

describe('email over SMTP', () => {
  let smtp: SmtpTestServer;
  let t: TestServer;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    t = await startTestServer({
      config: {
        smtpUrl: smtp.url,
        publicUrl: PUBLIC_URL,
        mspName: 'Northwind IT Services',
        mailFrom: 'Northwind IT <ledger@northwind-it.example>',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('sends the signer one sign-link email whose token is the one the issued event committed to', async () => {
    const signer = { name: 'Priya Raman', email: 'priya@contoso-sign-link.example' };
    const order = await issueChangeOrder(t, { projectName: 'Microsoft 365 migration', signer, manager });

    const [mail] = signLinks(await smtp.waitFor((all) => signLinks(all, signer.email).length > 0), signer.email);
    expect(mail.subject).toBe('Please sign change order CO-1 for Microsoft 365 migration');
    expect(mail.user).toBe('tester');
    expect(mail.headers.get('from')).toBe('Northwind IT <ledger@northwind-it.example>');
    expect(mail.headers.get('reply-to')).toContain(manager.email);
    expect(mail.text).toContain('Northwind IT Services asks you to review and sign change order CO-1');
    expect(mail.text).toContain('Amount: USD 900.00');
    const token = signingTokenIn(mail.text, PUBLIC_URL)!;
    expect(tokenSha256(token)).toBe(order.issued.signingTokenSha256);
    expect(mail.html).toContain(`href="${PUBLIC_URL}/sign/${token}"`);

    // The server accepted the message a moment before the sender recorded it.
    const row = await eventually(async () => (await outboxOf(t, order.changeOrderId)).find((m) => m.status === 'sent'));
    expect(row).toMatchObject({
      dedupeKey: `${order.issuedEventId}:sign-link`,
      kind: 'sign_link',
      attempts: 1,
      lastError: null,
    });
    expect(row.sentAt).not.toBeNull();
  });

  it("states the expiry in the project's time zone: the end of the day before the Auckland midnight", async () => {
    const signer = { name: 'Aroha Ngata', email: 'aroha@contoso-auckland.example' };
    const order = await issueChangeOrder(t, {
      projectName: 'Auckland office move',
      signer,
      manager,
      timeZone: 'Pacific/Auckland',
    });
    // Days to sign run to a midnight in Auckland, which is the end of the calendar day before it there.
    expect(dateTimeIn(order.issued.expiresAt, 'Pacific/Auckland')).toMatch(/ 00:00:00$/);
    const lastDay = addCalendarDays(calendarDateIn(order.issued.expiresAt, 'Pacific/Auckland'), -1);

    const [mail] = signLinks(await smtp.waitFor((all) => signLinks(all, signer.email).length > 0), signer.email);
    expect(mail.text).toContain(`expires at the end of ${lastDay}, Pacific/Auckland time.`);
    expect(mail.text).not.toContain('UTC');
  });

  it('sends nothing twice when the projector restarts from its checkpoint or replays every event', async () => {
    const signer = { name: 'Lee Chen', email: 'lee@contoso-restart.example' };
    const order = await issueChangeOrder(t, { projectName: 'Firewall refresh', signer, manager });
    await smtp.waitFor((all) => signLinks(all, signer.email).length === 1);

    const { processor, sql } = t.server.platform;
    await processor.stop();
    await processor.start();
    await notificationsCaughtUp(t);
    await processor.stop();
    await sql.query(`DELETE FROM projection_checkpoints`);
    await processor.start();
    await notificationsCaughtUp(t);
    await t.server.notifications.sender.runOnce();

    expect(signLinks(smtp.received, signer.email)).toHaveLength(1);
    expect((await outboxOf(t, order.changeOrderId)).map((m) => m.kind)).toEqual(['sign_link']);
  });

  it('queues nothing twice with a second server projecting the same events', async () => {
    const second = await secondServer(t, { publicUrl: PUBLIC_URL, smtpUrl: undefined });
    try {
      // On PostgreSQL the second one stands by (the lock is taken); on the embedded database both run.
      expect(second.platform.processor.isActive).toBe(t.server.platform.sql.dialect === 'pglite');
      const signer = { name: 'Mia Svensson', email: 'mia@contoso-two-servers.example' };
      const order = await issueChangeOrder(t, { projectName: 'Two servers', signer, manager });
      await smtp.waitFor((all) => signLinks(all, signer.email).length === 1);
      await notificationsCaughtUp(t);
      await t.server.notifications.sender.runOnce();

      expect(signLinks(smtp.received, signer.email)).toHaveLength(1);
      expect((await outboxOf(t, order.changeOrderId)).map((m) => m.kind)).toEqual(['sign_link']);
    } finally {
      await second.close();
    }
  });

  it('tells the manager the order was opened and signed, and the signer where the signed PDF is', async () => {
    const signer = { name: 'Ana Souza', email: 'ana@contoso-signed.example' };
    const order = await issueChangeOrder(t, { projectName: 'Intune roll-out', signer, manager });
    const [link] = signLinks(await smtp.waitFor((all) => signLinks(all, signer.email).length === 1), signer.email);
    await signChangeOrder(t, order);

    const mails = await smtp.waitFor(
      (all) =>
        all.filter(to(manager.email)).filter((m) => m.subject.includes('Intune')).length === 2 &&
        all.filter(to(signer.email)).length === 2,
    );
    const toManager = mails.filter(to(manager.email)).filter((m) => m.subject.includes('Intune'));
    expect(toManager.map((m) => m.subject)).toEqual([
      'CO-1 for Intune roll-out was opened by Ana Souza',
      'CO-1 for Intune roll-out was signed',
    ]);
    expect(toManager[1].text).toContain(
      'Ana Souza signed change order CO-1 for the project Intune roll-out (Northwind Traders)',
    );
    expect(toManager[1].text).toContain(`${PUBLIC_URL}/app/projects/${order.projectId}#order-CO-1`);
    const confirmation = mails.filter(to(signer.email)).find((m) => m.subject.startsWith('You signed'))!;
    expect(confirmation.subject).toBe('You signed change order CO-1 for Intune roll-out');
    expect(confirmation.text).toContain(`${PUBLIC_URL}/sign/${signingTokenIn(link.text, PUBLIC_URL)}/document.pdf`);
    expect((await outboxOf(t, order.changeOrderId)).map((m) => m.kind).sort()).toEqual([
      'sign_link',
      'signed_confirmation',
      'signed_to_manager',
      'viewed_to_manager',
    ]);
  });

  it('tells the manager why the signer declined', async () => {
    const signer = { name: 'Omar Haddad', email: 'omar@contoso-declined.example' };
    const order = await issueChangeOrder(t, { projectName: 'Backup appliance', signer, manager });
    await declineChangeOrder(t, order, 'Budget is frozen until July <sorry>');

    const mails = await smtp.waitFor((all) =>
      all.filter(to(manager.email)).some((m) => m.subject.includes('Backup appliance')),
    );
    const declined = mails.filter(to(manager.email)).find((m) => m.subject.includes('Backup appliance'))!;
    expect(declined.subject).toBe('CO-1 for Backup appliance was declined');
    expect(declined.text).toContain('Reason given: Budget is frozen until July <sorry>');
    expect(declined.html).toContain(`href="${PUBLIC_URL}/app/projects/${order.projectId}#order-CO-1"`);
    expect(declined.html).toContain('Budget is frozen until July &lt;sorry&gt;');
  });

  it('sends no manager email when the project has no manager, and goes on with the next events', async () => {
    const signer = { name: 'Kim Park', email: 'kim@contoso-no-manager.example' };
    const order = await issueChangeOrder(t, { projectName: 'Printer clean-up', signer });
    await signChangeOrder(t, order);

    await smtp.waitFor((all) => all.filter(to(signer.email)).length === 2);
    await notificationsCaughtUp(t);
    expect((await outboxOf(t, order.changeOrderId)).map((m) => m.kind)).toEqual(['sign_link', 'signed_confirmation']);
    expect(
      smtp.received
        .filter((m) => m.subject.includes('Printer clean-up'))
        .every((m) => m.envelopeTo.includes(signer.email)),
    ).toBe(true);
  });

  it('retries a message the SMTP server refused for now, and records the error in between', async () => {
    const signer = { name: 'Eva Novak', email: 'eva@contoso-retry.example' };
    smtp.refuseNext(1, 451, 'Mailbox busy, try again later');
    const order = await issueChangeOrder(t, { projectName: 'Wi-Fi survey', signer, manager });

    const first = await eventually(async () => {
      const [row] = await outboxOf(t, order.changeOrderId);
      return row?.attempts === 1 && row.lastError ? row : undefined;
    });
    expect(first).toMatchObject({ status: 'pending', attempts: 1 });
    expect(first.lastError).toContain('Mailbox busy');
    expect(Date.parse(first.nextAttemptAt!)).toBeGreaterThan(Date.now());
    expect(signLinks(smtp.received, signer.email)).toHaveLength(0);

    const report = await t.server.notifications.sender.runOnce(new Date(Date.now() + 2 * 60_000));
    expect(report.sent).toBeGreaterThanOrEqual(1);
    expect(signLinks(smtp.received, signer.email)).toHaveLength(1);
    const [delivered] = await outboxOf(t, order.changeOrderId);
    expect(delivered).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });

  it('gives up on a message the SMTP server refuses for good', async () => {
    const signer = { name: 'Nobody', email: 'nobody@contoso-refused.example' };
    smtp.refuseNext(1, 550, 'No such user here');
    const order = await issueChangeOrder(t, { projectName: 'VPN replacement', signer, manager });

    const failed = await eventually(async () => {
      const [row] = await outboxOf(t, order.changeOrderId);
      return row?.status === 'failed' ? row : undefined;
    });
    expect(failed).toMatchObject({ attempts: 1, nextAttemptAt: null });
    expect(failed.lastError).toContain('No such user here');
  });

  it('reminds a signer once when the order is about to expire, and never about a signed order', async () => {
    const signer = { name: 'Jo Mensah', email: 'jo@contoso-reminder.example' };
    const waiting = await issueChangeOrder(t, { projectName: 'Teams telephony', signer, manager });
    const other = { name: 'Ray Osei', email: 'ray@contoso-reminder.example' };
    const signed = await issueChangeOrder(t, { projectName: 'SharePoint clean-up', signer: other, manager });
    await signChangeOrder(t, signed);
    await notificationsCaughtUp(t);
    const expiresAt = Date.parse(waiting.issued.expiresAt);
    const reminders = t.server.notifications.reminders;
    const remindersOf = async (changeOrderId: string) =>
      (await outboxOf(t, changeOrderId)).filter((m) => m.kind === 'reminder');

    await reminders.runOnce(new Date(expiresAt - 72 * HOUR));
    expect(await remindersOf(waiting.changeOrderId)).toHaveLength(0);

    await reminders.runOnce(new Date(expiresAt - 24 * HOUR));
    await reminders.runOnce(new Date(expiresAt - 23 * HOUR));
    const [reminder] = await remindersOf(waiting.changeOrderId);
    expect(await remindersOf(waiting.changeOrderId)).toHaveLength(1);
    expect(reminder.dedupeKey).toBe(`${waiting.changeOrderId}:reminder`);
    expect(await remindersOf(signed.changeOrderId)).toHaveLength(0);

    const [mail] = (
      await smtp.waitFor((all) => all.filter(to(signer.email)).some((m) => m.subject.startsWith('Reminder')))
    ).filter((m) => to(signer.email)(m) && m.subject.startsWith('Reminder'));
    expect(mail.subject).toMatch(
      /^Reminder: change order CO-1 for Teams telephony expires at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/,
    );
    expect(tokenSha256(signingTokenIn(mail.text, PUBLIC_URL)!)).toBe(waiting.issued.signingTokenSha256);
  });

  it('reminds about an order issued for one day only after half its time, not right behind the link', async () => {
    const signer = { name: 'Ida Berg', email: 'ida@contoso-short.example' };
    const order = await issueChangeOrder(t, { projectName: 'Urgent patching', signer, expiresInDays: 1 });
    await notificationsCaughtUp(t);
    const issuedAt = Date.parse(order.issued.issuedAt);
    const reminders = async () => (await outboxOf(t, order.changeOrderId)).filter((m) => m.kind === 'reminder');

    // One day to sign runs to the end of tomorrow (UTC here): between 24 and 48 hours, all within the
    // reminder window, so only the half-way point holds the reminder back.
    const halfway = issuedAt + (Date.parse(order.issued.expiresAt) - issuedAt) / 2;
    await t.server.notifications.reminders.runOnce(new Date(issuedAt + HOUR));
    expect(await reminders()).toHaveLength(0);
    await t.server.notifications.reminders.runOnce(new Date(halfway - HOUR));
    expect(await reminders()).toHaveLength(0);
    await t.server.notifications.reminders.runOnce(new Date(halfway + HOUR));
    expect(await reminders()).toHaveLength(1);
  });
});
