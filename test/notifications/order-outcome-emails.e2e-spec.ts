import { formatUtcTimestamp } from '@scope-ledger/documents';
import { projectStreamId } from '@scope-ledger/domain';
import { ProjectCommands } from '@scope-ledger/platform';
import { startTestServer, TestServer } from '../support/test-server';
import {
  draftChangeOrder,
  expireChangeOrder,
  issueChangeOrder,
  notificationsCaughtUp,
  outboxOf,
  reviseChangeOrder,
  signChangeOrder,
  signingTokenIn,
  viewChangeOrder,
  voidChangeOrder,
  withdrawSignerConsent,
} from './change-order-scenario';
import { ReceivedMail, SmtpTestServer, startSmtpTestServer } from './smtp-test-server';

const PUBLIC_URL = 'https://ledger.northwind-it.example';
const manager = { name: 'Sam Okafor', email: 'sam.okafor@northwind-it.example' };
const HOUR = 3_600_000;

const to = (address: string) => (mail: ReceivedMail) => mail.envelopeTo.includes(address);
const about = (projectName: string) => (mail: ReceivedMail) => mail.subject.includes(projectName);
const staffOrderUrl = (projectId: string, number: number) =>
  `${PUBLIC_URL}/app/projects/${projectId}#order-CO-${number}`;

describe('emails about what becomes of an issued order, over SMTP', () => {
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

  /** Every message this server queued has been handed to the SMTP server. */
  async function delivered(): Promise<void> {
    await notificationsCaughtUp(t);
    await t.server.notifications.sender.runOnce();
  }

  async function eventTypes(projectId: string): Promise<string[]> {
    return (await t.server.platform.store.readStream(projectStreamId(projectId))).map((e) => e.type);
  }

  it('tells the manager once when the signer first opens an order, and again for a revision', async () => {
    const signer = { name: 'Priya Raman', email: 'priya@contoso-first-view.example' };
    const order = await issueChangeOrder(t, { projectName: 'Mailbox migration', signer, manager });
    await viewChangeOrder(t, order);
    await viewChangeOrder(t, order, new Date(Date.now() + 2 * HOUR));
    await smtp.waitFor((all) => all.filter(to(manager.email)).some(about('Mailbox migration')));
    await delivered();

    expect((await eventTypes(order.projectId)).filter((type) => type === 'ChangeOrderViewed')).toHaveLength(2);
    expect((await outboxOf(t, order.changeOrderId)).map((m) => m.kind)).toEqual(['sign_link', 'viewed_to_manager']);
    const opened = smtp.received.filter(to(manager.email)).filter(about('Mailbox migration'));
    expect(opened.map((m) => m.subject)).toEqual(['CO-1 for Mailbox migration was opened by Priya Raman']);
    expect(opened[0].text).toContain(
      'Priya Raman opened change order CO-1 for the project Mailbox migration (Northwind Traders) at ',
    );
    expect(opened[0].text).toContain(staffOrderUrl(order.projectId, 1));

    await reviseChangeOrder(t, order);
    await viewChangeOrder(t, order);
    await viewChangeOrder(t, order, new Date(Date.now() + 2 * HOUR));
    await smtp.waitFor((all) => all.filter(to(manager.email)).filter(about('Mailbox migration')).length === 2);
    await delivered();

    expect(
      smtp.received
        .filter(to(manager.email))
        .filter(about('Mailbox migration'))
        .map((m) => m.subject),
    ).toEqual([
      'CO-1 for Mailbox migration was opened by Priya Raman',
      'CO-1 R1 for Mailbox migration was opened by Priya Raman',
    ]);
    const kinds = (await outboxOf(t, order.changeOrderId)).map((m) => m.kind);
    expect(kinds).toEqual(['sign_link', 'viewed_to_manager', 'sign_link', 'viewed_to_manager']);
  });

  it('tells the manager a signer asked for paper, and a revision sent after it blames no other order', async () => {
    const signer = { name: 'Ana Souza', email: 'ana@contoso-paper.example' };
    const order = await issueChangeOrder(t, { projectName: 'Wi-Fi survey', signer, manager });
    await withdrawSignerConsent(t, order);

    const askedForPaper = (m: ReceivedMail) => about('Wi-Fi survey')(m) && m.subject.includes('paper');
    const mails = await smtp.waitFor((all) => all.filter(to(manager.email)).some(askedForPaper));
    const paper = mails.filter(to(manager.email)).find(askedForPaper)!;
    expect(paper.subject).toBe('CO-1 for Wi-Fi survey: Ana Souza asked for a paper copy');
    expect(paper.text).toContain(
      'Ana Souza withdrew consent to sign change order CO-1 for the project Wi-Fi survey (Northwind Traders) ' +
        'electronically at ',
    );
    expect(paper.text).toContain('The link they hold no longer signs');
    expect(paper.text).toContain('Send them a paper copy to sign, or void the order');
    expect(paper.html).toContain(`href="${staffOrderUrl(order.projectId, 1)}"`);

    // Staff send a new link; no other order was signed, so the figures are as first issued.
    await reviseChangeOrder(t, order);
    const revisedMails = await smtp.waitFor((all) =>
      all.filter(to(signer.email)).some((m) => m.subject.startsWith('Revised change order CO-1 R1 for Wi-Fi survey')),
    );
    const revised = revisedMails.filter(to(signer.email)).find((m) => m.subject.startsWith('Revised'))!;
    expect(revised.text).toContain('It replaces CO-1.');
    expect(revised.text).toContain('The link sent for CO-1 no longer works');
    expect(revised.text).not.toContain('another change order was signed');
    expect((await outboxOf(t, order.changeOrderId)).map((m) => m.kind)).toEqual([
      'sign_link',
      'viewed_to_manager',
      'consent_withdrawn_to_manager',
      'sign_link',
    ]);
  });

  it('tells the manager an order expired unsigned, and when', async () => {
    const signer = { name: 'Lee Chen', email: 'lee@contoso-expired.example' };
    const order = await issueChangeOrder(t, { projectName: 'Firewall refresh', signer, manager });
    await expireChangeOrder(t, order);

    const mails = await smtp.waitFor((all) => all.filter(to(manager.email)).some(about('Firewall refresh')));
    const expired = mails.filter(to(manager.email)).find(about('Firewall refresh'))!;
    expect(expired.subject).toBe('CO-1 for Firewall refresh expired unsigned');
    expect(expired.text).toContain(
      'Change order CO-1 for the project Firewall refresh (Northwind Traders) expired unsigned on ' +
        `${formatUtcTimestamp(order.issued.expiresAt)}: Lee Chen neither signed nor declined it.`,
    );
    expect(expired.html).toContain(`href="${staffOrderUrl(order.projectId, 1)}"`);
    expect((await outboxOf(t, order.changeOrderId)).map((m) => m.kind)).toEqual(['sign_link', 'expired_to_manager']);
  });

  it('tells the signer an issued order was withdrawn and why, and says nothing of a voided draft', async () => {
    const signer = { name: 'Omar Haddad', email: 'omar@contoso-voided.example' };
    const order = await issueChangeOrder(t, { projectName: 'Backup appliance', signer, manager });
    await voidChangeOrder(t, order, 'Priced on the wrong appliance <sorry>');

    const mails = await smtp.waitFor((all) =>
      all.filter(to(signer.email)).some((m) => m.subject.includes('withdrawn')),
    );
    const withdrawn = mails.filter(to(signer.email)).find((m) => m.subject.includes('withdrawn'))!;
    expect(withdrawn.subject).toBe('Change order CO-1 for Backup appliance was withdrawn');
    expect(withdrawn.headers.get('reply-to')).toContain(manager.email);
    expect(withdrawn.text).toContain(
      'Change order CO-1 for the project Backup appliance (Northwind Traders) was withdrawn by Northwind IT Services',
    );
    expect(withdrawn.text).toContain('Reason given: Priced on the wrong appliance <sorry>');
    expect(withdrawn.text).toContain('The signing link sent for it no longer works');
    expect(withdrawn.html).toContain('Priced on the wrong appliance &lt;sorry&gt;');

    const draftSigner = { name: 'Kim Park', email: 'kim@contoso-voided-draft.example' };
    const draft = await draftChangeOrder(t, { projectName: 'Printer clean-up', signer: draftSigner, manager });
    await voidChangeOrder(t, draft, 'Not needed after all');
    await delivered();

    expect(await eventTypes(draft.projectId)).toContain('ChangeOrderVoided');
    expect(await outboxOf(t, draft.changeOrderId)).toEqual([]);
    expect(smtp.received.filter(to(draftSigner.email))).toEqual([]);
  });

  it("sends the client's finance contact the signed document along with the signer's confirmation", async () => {
    const signer = { name: 'Ana Souza', email: 'ana@contoso-finance.example' };
    const financeContact = { name: 'Ravi Patel', email: 'ap@contoso-finance.example' };
    const order = await issueChangeOrder(t, { projectName: 'Intune roll-out', signer, manager });
    const settings = { type: 'UpdateProjectSettings' as const, now: new Date().toISOString(), financeContact };
    await t.server.app
      .get(ProjectCommands)
      .execute(order.projectId, settings, { actor: { kind: 'staff', id: 'notifications-test', name: 'Test' } });
    await signChangeOrder(t, order);

    const mails = await smtp.waitFor(
      (all) => all.some(to(financeContact.email)) && all.filter(to(signer.email)).length === 2,
    );
    const [link, confirmation] = mails.filter(to(signer.email));
    const documentUrl = `${PUBLIC_URL}/sign/${signingTokenIn(link.text, PUBLIC_URL)}/document.pdf`;
    expect(confirmation.text).toContain(documentUrl);
    const copies = mails.filter(to(financeContact.email));
    expect(copies).toHaveLength(1);
    expect(copies[0].subject).toBe('Signed change order CO-1 for Intune roll-out');
    expect(copies[0].headers.get('reply-to')).toContain(manager.email);
    expect(copies[0].text).toContain('Dear Ravi Patel,');
    expect(copies[0].text).toContain('You receive a copy as the finance contact of Northwind Traders.');
    expect(copies[0].text).toContain(documentUrl);
    expect((await outboxOf(t, order.changeOrderId)).map((m) => m.kind).sort()).toEqual([
      'sign_link',
      'signed_confirmation',
      'signed_to_finance',
      'signed_to_manager',
      'viewed_to_manager',
    ]);
  });
});
