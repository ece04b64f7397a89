import { createHash } from 'node:crypto';
import request from 'supertest';
import { startTestServer, TestServer } from '../support/test-server';
import { issuedScenario, readAndConsent } from './change-order-scenario';

/** Anyone holding the events can read back the exact consent text a signer agreed to, and re-hash it. */
describe('the consent disclosure by its SHA-256', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the text whose hash SignerConsented records, and nothing else stored', async () => {
    const { projectId, issued } = await issuedScenario(t, 'Disclosure read back');
    await readAndConsent(t.http, issued.signPath);
    const events = (await t.api.get(`/api/projects/${projectId}/events`).expect(200)).body as {
      type: string;
      data: { disclosureSha256?: string };
    }[];
    const consented = events.find((e) => e.type === 'SignerConsented')!;
    const sha256 = consented.data.disclosureSha256!;

    const text = await request(t.http).get(`/disclosures/${sha256}`).expect(200);
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(createHash('sha256').update(text.text, 'utf8').digest('hex')).toBe(sha256);
    expect(text.text).toContain('Northwind Managed IT');
    expect(text.text).toContain('projects@northwind-it.example');

    // The issued PDF is stored the same way, but is not a disclosure: it stays behind the link.
    const pdf = await request(t.http).get(`/disclosures/${issued.documentSha256}`).expect(404);
    expect(pdf.headers['content-type']).toMatch(/application\/problem\+json/);
    await request(t.http).get('/disclosures/not-a-hash').expect(404);
  });
});
