import request from 'supertest';
import { pdfToText } from '../../libs/documents/src/testing/poppler';
import { startSmtpTestServer, SmtpTestServer } from '../notifications/smtp-test-server';
import { startTestServer, TestServer } from '../support/test-server';
import {
  assessedRequest,
  issuedScenario,
  issueOrder,
  openProject,
  readAndConsent,
  signer,
} from './change-order-scenario';

/** The certificate of completion names how the signer was authenticated and when they consented. */
describe('certificate of completion after the signing ceremony', () => {
  let t: TestServer;
  let smtp: SmtpTestServer;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    t = await startTestServer({ config: { smtpUrl: smtp.url } });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const signedText = async (signPath: string) =>
    pdfToText((await request(t.http).get(`${signPath}/document.pdf`).expect(200)).body as Buffer);
  const flat = (text: string) => text.replace(/\s+/g, ' ');

  it('names the link sent by email when the order asks for no code', async () => {
    const { issued } = await issuedScenario(t, 'Certificate: link only');
    await readAndConsent(t.http, issued.signPath);
    await request(t.http)
      .post(issued.signPath)
      .send({ name: signer.name, documentSha256: issued.documentSha256 })
      .expect(200);
    const text = flat(await signedText(issued.signPath));
    expect(text).toContain(`Authentication Link sent by email to ${signer.email}; no further check`);
    expect(text).toMatch(/Consent to sign electronically Given \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC; consent text/);
  }, 60_000);

  it('names the emailed one-time code and when it was entered', async () => {
    const projectId = await openProject(t, 'Certificate: code');
    const vpn = await assessedRequest(t, projectId, 'vpn');
    const drafted = await t.api
      .post(`/api/projects/${projectId}/change-orders`, {
        changeRequestIds: [vpn],
        signer,
        signerVerification: 'email_code',
      })
      .expect(201);
    const issued = await issueOrder(t, projectId, drafted.body.id);
    await readAndConsent(t.http, issued.signPath);
    await request(t.http).post(`${issued.signPath}/code`).send({}).expect(200);
    const received = await smtp.waitFor((mails) => mails.some((m) => m.subject.startsWith('Your code')), 15_000);
    const code = /\b(\d{6})\b/.exec(received.find((m) => m.subject.startsWith('Your code'))!.text)![1];
    await request(t.http).post(`${issued.signPath}/code/verify`).send({ code }).expect(200);
    await request(t.http)
      .post(issued.signPath)
      .send({ name: signer.name, documentSha256: issued.documentSha256 })
      .expect(200);
    const text = flat(await signedText(issued.signPath));
    expect(text).toMatch(
      new RegExp(`Authentication Email one-time code sent to ${signer.email.replace(/\./g, '\\.')}, entered \\d{4}-`),
    );
  }, 60_000);
});
