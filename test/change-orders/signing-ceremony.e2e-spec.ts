import { createHash } from 'node:crypto';
import request from 'supertest';
import { DocumentStore } from '../../apps/server/src/change-orders/document-store';
import { expectProblem, expectRefusedWithoutAppend } from '../api/api-helpers';
import { startSmtpTestServer, SmtpTestServer } from '../notifications/smtp-test-server';
import { ADMIN_KEY, startTestServer, TestServer } from '../support/test-server';
import {
  assessedRequest,
  draftOrder,
  issuedScenario,
  issueOrder,
  openProject,
  readAndConsent,
  signer,
} from './change-order-scenario';

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const AGENT = 'Mozilla/5.0 (Macintosh) Safari/605.1';

type AuditEvent = { type: string; ip?: string; userAgent?: string; data: Record<string, unknown> };

/** The client's steps on /sign/:token before the signature: read, consent or withdraw, the one-time code. */
describe('signing ceremony', () => {
  let t: TestServer;
  let smtp: SmtpTestServer;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    t = await startTestServer({ config: { smtpUrl: smtp.url } });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const client = () => request(t.http);
  const eventsOf = async (projectId: string) =>
    (await t.api.get(`/api/projects/${projectId}/events`).expect(200)).body as AuditEvent[];
  const sign = (signPath: string, documentSha256: string) =>
    client().post(signPath).send({ name: signer.name, documentSha256 });

  describe('consent', () => {
    it('is its own step, posted from the page, and records the disclosure shown by its SHA-256', async () => {
      const { projectId, issued } = await issuedScenario(t, 'Consent step');
      const page = await client().get(issued.signPath).expect(200);
      expect(page.text).toContain('id="consent-button"');
      expect(page.text).not.toContain('id="sign-button"');

      const posted = await client()
        .post(`${issued.signPath}/consent`)
        .set('User-Agent', AGENT)
        // A form with no fields: no body at all.
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .expect(303);
      expect(posted.headers.location).toBe(issued.signPath);
      const after = await client().get(issued.signPath).expect(200);
      expect(after.text).toContain('You gave your consent on');
      expect(after.text).toContain('id="sign-button"');

      const consented = (await eventsOf(projectId)).find((e) => e.type === 'SignerConsented')!;
      expect(consented.userAgent).toBe(AGENT);
      expect(consented.data).toMatchObject({ disclosureVersion: expect.any(String), ip: expect.any(String) });
      const stored = await t.server.app.get(DocumentStore).get(String(consented.data.disclosureSha256));
      const text = stored!.content.toString('utf8');
      expect(sha256(stored!.content)).toBe(consented.data.disclosureSha256);
      expect(text).toContain('This consent covers this change order only');
      expect(text).toContain('email Northwind Managed IT at projects@northwind-it.example');

      await sign(issued.signPath, issued.documentSha256).expect(200);
      const signedEvent = (await eventsOf(projectId)).find((e) => e.type === 'ChangeOrderSigned')!;
      expect(signedEvent.data.consentVersion).toBe(consented.data.disclosureVersion);
    });

    it('is refused before the order was opened, and signing is refused until given', async () => {
      const { projectId, issued } = await issuedScenario(t, 'Consent first');
      const unread = await expectRefusedWithoutAppend(
        t,
        projectId,
        () => client().post(`${issued.signPath}/consent`).send({}),
        409,
      );
      expect(unread.body.detail).toBe('Open the change order before giving your consent');
      await client().get(issued.signPath).expect(200);
      const refused = await expectRefusedWithoutAppend(
        t,
        projectId,
        () => sign(issued.signPath, issued.documentSha256),
        409,
      );
      expect(refused.body.detail).toBe('Give your consent to sign electronically first');
    });
  });

  describe('the document served', () => {
    it('counts a PDF download as served, recorded once an hour per copy', async () => {
      const { projectId, issued } = await issuedScenario(t, 'Served by download');
      expectProblem(await sign(issued.signPath, issued.documentSha256), 409);
      expect((await sign(issued.signPath, issued.documentSha256)).body.detail).toBe(
        'Open the change order before signing it',
      );
      for (let i = 0; i < 3; i++) await client().get(`${issued.signPath}/document.pdf`).expect(200);
      await client().post(`${issued.signPath}/consent`).send({}).expect(200);
      await sign(issued.signPath, issued.documentSha256).expect(200);
      await client().get(`${issued.signPath}/document.pdf`).expect(200);

      const downloads = (await eventsOf(projectId)).filter((e) => e.type === 'ChangeOrderDocumentDownloaded');
      expect(downloads.map((e) => e.data.copy)).toEqual(['issued', 'sealed']);
      expect(downloads[0].data).toMatchObject({ ip: expect.any(String), userAgent: expect.any(String) });
    });
  });

  describe('withdrawing consent', () => {
    it('is recorded apart from declining; the link can no longer sign and says how to get paper', async () => {
      const { projectId, order, issued } = await issuedScenario(t, 'Withdrawn');
      await readAndConsent(t.http, issued.signPath);
      const withdrawn = await client().post(`${issued.signPath}/consent/withdraw`).send({}).expect(200);
      expect(withdrawn.body.withdrawnAt).toEqual(expect.any(String));

      const page = await client().get(issued.signPath).expect(200);
      expect(page.text).toContain('You withdrew your consent to sign electronically');
      expect(page.text).toContain('can no longer be signed electronically through this link');
      expect(page.text).toContain('mailto:projects@northwind-it.example');
      expect(page.text).toContain('paper copy');
      expect(page.text).not.toContain('id="sign-button"');

      const refused = await expectRefusedWithoutAppend(
        t,
        projectId,
        () => sign(issued.signPath, issued.documentSha256),
        409,
      );
      expect(refused.body.detail).toMatch(/withdrew your consent.*paper copy/);
      const types = (await eventsOf(projectId)).map((e) => e.type);
      expect(types).toContain('SignerConsentWithdrawn');
      expect(types).not.toContain('ChangeOrderDeclined');
      const view = (await t.api.get(`/api/projects/${projectId}/change-orders/${order.id}`).expect(200)).body;
      expect(view.status).toBe('issued');
    });
  });

  describe('the one-time code', () => {
    async function codeOrder(name: string) {
      const projectId = await openProject(t, name);
      const vpn = await assessedRequest(t, projectId, 'vpn');
      const drafted = await t.api
        .post(`/api/projects/${projectId}/change-orders`, {
          changeRequestIds: [vpn],
          signer,
          signerVerification: 'email_code',
        })
        .expect(201);
      return { projectId, orderId: drafted.body.id as string, issued: await issueOrder(t, projectId, drafted.body.id) };
    }
    const codesTo = (address: string) =>
      smtp.received.filter((m) => m.envelopeTo.includes(address) && m.subject.startsWith('Your code'));

    it('is emailed after consent, stored only as a hash, and must be confirmed before signing', async () => {
      const { projectId, orderId, issued } = await codeOrder('Code signing');
      const detail = (await t.api.get(`/api/projects/${projectId}/change-orders/${orderId}`).expect(200)).body;
      expect(detail.signerVerification).toBe('email_code');

      await readAndConsent(t.http, issued.signPath);
      const page = await client().get(issued.signPath).expect(200);
      expect(page.text).toContain('Email me a code');
      expect(page.text).not.toContain('id="sign-button"');
      const unverified = await expectRefusedWithoutAppend(
        t,
        projectId,
        () => sign(issued.signPath, issued.documentSha256),
        409,
      );
      expect(unverified.body.detail).toBe('Enter the one-time code emailed to you before signing');

      const before = codesTo(signer.email).length;
      const sent = await client().post(`${issued.signPath}/code`).send({}).expect(200);
      expect(sent.body).toMatchObject({ sentTo: signer.email, expiresAt: expect.any(String) });
      await smtp.waitFor(() => codesTo(signer.email).length > before, 15_000);
      const mail = codesTo(signer.email).at(-1)!;
      const code = /\b(\d{6})\b/.exec(mail.text)![1];

      // Staff see that a code went out, never the code; the stream holds only its salted hash.
      const outbox = (await t.api.get(`/api/outbox?changeOrderId=${orderId}`).expect(200)).body as {
        kind: string;
        text: string;
      }[];
      expect(outbox.find((m) => m.kind === 'signing_code')!.text).not.toContain(code);
      const codeEvent = (await eventsOf(projectId)).find((e) => e.type === 'SigningCodeSent')!;
      expect(JSON.stringify(codeEvent.data)).not.toContain(code);

      const wrong = code === '000000' ? '111111' : '000000';
      const refused = await client().post(`${issued.signPath}/code/verify`).send({ code: wrong });
      expectProblem(refused, 422, 'code');
      expect(refused.body.detail).toBe('That code is not right; 4 tries left');
      await client().post(`${issued.signPath}/code/verify`).send({ code }).expect(200);
      await sign(issued.signPath, issued.documentSha256).expect(200);

      const types = (await eventsOf(projectId)).map((e) => e.type);
      expect(types).toEqual(
        expect.arrayContaining(['SigningCodeSent', 'SigningCodeRejected', 'SigningCodeVerified', 'ChangeOrderSigned']),
      );
    });

    it('refuses a code for an order that asks for none, and malformed codes', async () => {
      const { projectId, issued } = await issuedScenario(t, 'No code');
      await readAndConsent(t.http, issued.signPath);
      const refused = await expectRefusedWithoutAppend(
        t,
        projectId,
        () => client().post(`${issued.signPath}/code`).send({}),
        409,
      );
      expect(refused.body.detail).toBe('CO-1 needs no one-time code');
      for (const code of ['12345', '1234567', 'abcdef', '']) {
        expectProblem(await client().post(`${issued.signPath}/code/verify`).send({ code }), 400, 'code');
      }
    });
  });

  describe('the staff draft form', () => {
    it('offers the signer check, and an order drafted with an emailed code says so', async () => {
      const projectId = await openProject(t, 'Draft form signer check');
      const vpn = await assessedRequest(t, projectId, 'vpn');
      const agent = request.agent(t.http);
      const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)![1];
      const signInPage = await agent.get('/app/sign-in').expect(200);
      await agent
        .post('/app/sign-in')
        .type('form')
        .send({ _csrf: csrfOf(signInPage.text), key: ADMIN_KEY })
        .expect(303);
      const project = await agent.get(`/app/projects/${projectId}`).expect(200);
      expect(project.text).toContain('The link and a one-time code emailed to the signer');
      await agent
        .post(`/app/projects/${projectId}/change-orders`)
        .type('form')
        .send({
          _csrf: csrfOf(project.text),
          changeRequestIds: vpn,
          'signer.name': signer.name,
          'signer.email': signer.email,
          expiresInDays: '14',
          signerVerification: 'email_code',
        })
        .expect(303);
      const orders = (await t.api.get(`/api/projects/${projectId}/change-orders`).expect(200)).body;
      expect(orders.map((o: { signerVerification: string }) => o.signerVerification)).toEqual(['email_code']);
    });
  });

  describe('issuing', () => {
    it('is refused until the company name and contact email are set, and appends nothing', async () => {
      const unset = await startTestServer({ config: { mspName: undefined, mspEmail: undefined } });
      try {
        const projectId = await openProject(unset, 'No company yet');
        const vpn = await assessedRequest(unset, projectId, 'vpn');
        const order = await draftOrder(unset, projectId, [vpn]);
        const refused = await expectRefusedWithoutAppend(
          unset,
          projectId,
          () => unset.api.post(`/api/projects/${projectId}/change-orders/${order.id}/issue`),
          409,
        );
        expect(refused.body.detail).toBe(
          'Set the company name and contact email (on the company settings page, or MSP_NAME and MSP_EMAIL) ' +
            'before issuing change orders',
        );
      } finally {
        await unset.close();
      }
    });
  });
});
