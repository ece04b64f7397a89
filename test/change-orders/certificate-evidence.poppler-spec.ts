import request from 'supertest';
import { pdfPageCount, pdfToText } from '../../libs/documents/src/testing/poppler';
import { startSmtpTestServer, SmtpTestServer } from '../notifications/smtp-test-server';
import { startTestServer, TestServer } from '../support/test-server';
import { assessedRequest, draftOrder, issueOrder, openProject, readAndConsent, signer } from './change-order-scenario';

/** pdftotext -layout spreads a table row over columns and lines: compare text with single spaces. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

/**
 * The certificate of completion in the sealed PDF states who sent the order, and each step of the
 * signer's with its time (UTC and the signer's zone) and address, as DocuSign's certificate does.
 */
describe('the certificate of completion', () => {
  async function signedOrder(t: TestServer, waitForMail: boolean) {
    const projectId = await openProject(t);
    const order = await draftOrder(t, projectId, [await assessedRequest(t, projectId, 'vpn')]);
    const issued = await issueOrder(t, projectId, order.id);
    const outbox = async () =>
      (await t.api.get(`/api/outbox?changeOrderId=${order.id}`).expect(200)).body as { kind: string; status: string }[];
    if (waitForMail) {
      for (let i = 0; i < 100 && !(await outbox()).some((m) => m.kind === 'sign_link' && m.status === 'sent'); i++)
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await readAndConsent(t.http, issued.signPath);
    await request(t.http).get(`${issued.signPath}/document.pdf`).expect(200);
    await request(t.http)
      .post(issued.signPath)
      .send({ name: 'Morgan Q. Ellery', documentSha256: issued.documentSha256, timeZone: 'Pacific/Auckland' })
      .expect(200);
    const pdf = async (copy = '') =>
      (await t.api.get(`/api/projects/${projectId}/change-orders/${order.id}/pdf${copy}`).expect(200)).body as Buffer;
    const events = (await t.api.get(`/api/projects/${projectId}/events`).expect(200)).body;
    return { issuedPdf: await pdf('?copy=issued'), sealedPdf: await pdf(), issued, events };
  }

  describe('when the sign-link email left through a mail server', () => {
    let smtp: SmtpTestServer;
    let t: TestServer;
    let text: string;
    let issuedPdf: Buffer;
    let sealedPdf: Buffer;

    beforeAll(async () => {
      smtp = await startSmtpTestServer();
      t = await startTestServer({ config: { smtpUrl: smtp.url } });
      ({ issuedPdf, sealedPdf } = await signedOrder(t, true));
      const pages = pdfPageCount(sealedPdf);
      text = flat(pdfToText(sealedPdf, { first: pages, last: pages }));
    }, 90_000);
    afterAll(async () => {
      await t?.close();
      await smtp?.close();
    });

    it('names the sender, the company and its contact, and the address the order was issued from', () => {
      expect(text).toMatch(
        /Sender .*Northwind Managed IT · projects@northwind-it\.example · IP (::ffff:)?127\.0\.0\.1/,
      );
    });

    it('gives the issued document’s page count and says the time comes from the server clock', () => {
      expect(text).toContain(`Document pages ${pdfPageCount(issuedPdf)}`);
      expect(text).toContain('Asserted by the server clock; no time-stamp authority is configured');
      expect(text).toContain("Signer's time zone Pacific/Auckland");
    });

    it('lists sent (by the mail server), viewed, consent, downloaded and signed with times and addresses', () => {
      const utc = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d Pacific/Auckland\)`;
      const ip = String.raw`IP (::ffff:)?127\.0\.0\.1`;
      expect(text).toMatch(
        new RegExp(`Sent ${utc} · email with the signing link accepted by the mail server for ${signer.email}`),
      );
      expect(text).toMatch(new RegExp(`Viewed ${utc} · ${ip} · signing page served`));
      expect(text).toMatch(new RegExp(`Document downloaded ${utc} · ${ip} · issued PDF`));
      expect(text).toMatch(new RegExp(`Consent given ${utc} · ${ip} · disclosure [\\w.-]+, SHA-256 [0-9a-f]{64}`));
      expect(text).toMatch(new RegExp(`Signed ${utc} · ${ip} · `));
      const order = ['Sent', 'Viewed', 'Consent given', 'Document downloaded', 'Signed '].map((w) =>
        text.indexOf(`${w}`, text.indexOf('Signer events')),
      );
      expect(order).toEqual([...order].sort((a, b) => a - b));
    });
  });

  describe('when no mail server accepted the email', () => {
    let t: TestServer;
    let text: string;

    beforeAll(async () => {
      t = await startTestServer();
      const { sealedPdf } = await signedOrder(t, false);
      const pages = pdfPageCount(sealedPdf);
      text = flat(pdfToText(sealedPdf, { first: pages, last: pages }));
    }, 90_000);
    afterAll(async () => {
      await t?.close();
    });

    it('says the link was handed over by staff rather than claiming it was sent', () => {
      expect(text).toMatch(
        new RegExp(
          `Link handed over by staff .*no mail server accepted an email to ${signer.email} \\(the email was held\\)`,
        ),
      );
      expect(text).not.toMatch(/Sent \d{4}/);
    });
  });

  it('refuses a time zone the signer’s browser could not have sent', async () => {
    const t = await startTestServer();
    try {
      const projectId = await openProject(t);
      const order = await draftOrder(t, projectId, [await assessedRequest(t, projectId, 'vpn')]);
      const issued = await issueOrder(t, projectId, order.id);
      await readAndConsent(t.http, issued.signPath);
      const refused = await request(t.http)
        .post(issued.signPath)
        .send({ name: 'Morgan Ellery', documentSha256: issued.documentSha256, timeZone: 'Mars/Olympus_Mons' })
        .expect(400);
      expect(refused.body.errors).toEqual([
        { field: 'timeZone', message: 'timeZone must be an IANA time zone such as Europe/Warsaw' },
      ]);
    } finally {
      await t.close();
    }
  });
});
