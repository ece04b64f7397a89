import request from 'supertest';
import { opensslTsVerify, readSeal } from '../../libs/documents/src/seal/testing/seal-inspection';
import { startTestServer, type TestServer } from '../support/test-server';
import { startTsaResponder, type TsaResponder } from '../support/tsa-responder';
import { issuedScenario, readAndConsent, signAsClient, signer } from './change-order-scenario';

/** With TSA_URL set, a signed order's seal carries a time-stamp from that authority (PAdES B-T). */
describe('the seal of a signed order, with a time-stamp authority', () => {
  let tsa: TsaResponder;
  let t: TestServer;

  beforeAll(async () => {
    tsa = await startTsaResponder();
    t = await startTestServer({ config: { tsaUrl: tsa.url } });
  });

  afterEach(() => {
    tsa.behaviour = 'grant';
  });

  afterAll(async () => {
    await t.close();
    await tsa.close();
  });

  it('carries a time-stamp token that openssl verifies against the seal signature, from the TSA root', async () => {
    const { projectId, order, issued } = await issuedScenario(t, 'Time-stamped seal');
    await signAsClient(t.http, issued);

    const sealed = (await t.api.get(`/api/projects/${projectId}/change-orders/${order.id}/pdf`).expect(200))
      .body as Buffer;
    expect(readSeal(sealed).timeStampToken).toBeDefined();
    const verified = opensslTsVerify(sealed, tsa.caCertificateFile);
    expect(verified).toMatchObject({ exitCode: 0 });
    expect(verified.output).toContain('Verification: OK');
  });

  it('refuses the signature with 503 and Retry-After while the TSA cannot give a time; signs once it can', async () => {
    const { projectId, order, issued } = await issuedScenario(t, 'TSA out of order');
    await readAndConsent(t.http, issued.signPath);
    tsa.behaviour = 'error';
    const refused = await request(t.http)
      .post(issued.signPath)
      .send({ name: signer.name, documentSha256: issued.documentSha256 })
      .expect(503);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['retry-after']).toBe('30');
    const reason = 'the time-stamp authority answered HTTP 500';
    expect(JSON.parse(refused.text as string)).toMatchObject({
      status: 503,
      detail: `No trusted time for the seal: ${reason}; nothing was signed. Try again shortly`,
    });
    const unsigned = await t.api.get(`/api/projects/${projectId}/change-orders/${order.id}`).expect(200);
    expect(unsigned.body.status).not.toBe('signed');

    tsa.behaviour = 'grant';
    await request(t.http)
      .post(issued.signPath)
      .send({ name: signer.name, documentSha256: issued.documentSha256 })
      .expect(200);
    const signed = await t.api.get(`/api/projects/${projectId}/change-orders/${order.id}`).expect(200);
    expect(signed.body.status).toBe('signed');
  });
});
