import request from 'supertest';
import { pdfToText } from '../../libs/documents/src/testing/poppler';
import { issuedScenario, readAndConsent, signer } from '../change-orders/change-order-scenario';
import { startTestServer, TestServer } from '../support/test-server';
import { binary } from '../support/binary-body';

/**
 * The signed PDF the client keeps quotes the project's hash chain head at signing: a copy of
 * the audit trail's state outside the database, against which a rewritten history shows.
 */
describe('certificate of completion and the audit trail', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('quotes the hash of the event just before the signature', async () => {
    const { projectId, issued } = await issuedScenario(t, 'Certificate head hash');
    await readAndConsent(t.http, issued.signPath);
    await request(t.http)
      .post(issued.signPath)
      .send({ name: signer.name, documentSha256: issued.documentSha256 })
      .expect(200);
    const events = (await t.api.get(`/api/projects/${projectId}/events`).expect(200)).body as {
      revision: number;
      type: string;
      hash: string;
    }[];
    const signed = events.find((e) => e.type === 'ChangeOrderSigned')!;
    const headAtSigning = events[signed.revision - 1].hash;

    const pdf = await request(t.http)
      .get(`${issued.signPath}/document.pdf`)
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    const text = pdfToText(pdf.body as Buffer);
    expect(text).toContain('Project audit trail head at signing');
    expect(text.replace(/\s+/g, '')).toContain(headAtSigning);
  });
});
