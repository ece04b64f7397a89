import request from 'supertest';
import { startTestServer, TestServer } from '../support/test-server';

/** The public check reads and hashes uploads of up to 20 MB: one address cannot send them without end. */
describe('the document check is limited per address', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ config: { verifyRateLimit: 3 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 with Retry-After once an address has used its minute, page and API alike', async () => {
    const pdf = Buffer.from('%PDF-1.7\n%%EOF\n');
    await request(t.http).get('/verify').expect(200);
    for (let i = 0; i < 2; i++) {
      const answer = await request(t.http).post('/api/verify').set('Content-Type', 'application/pdf').send(pdf);
      expect(answer.status).toBe(200);
    }
    const limited = await request(t.http).post('/api/verify').set('Content-Type', 'application/pdf').send(pdf);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(limited.text).detail).toMatch(/^Too many requests to the document check from your address/);
    expect((await request(t.http).get('/verify')).status).toBe(429);
    // Signing links keep their own budget.
    expect((await request(t.http).get('/sign/not-a-token')).status).toBe(404);
  });
});
