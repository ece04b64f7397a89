import request from 'supertest';
import { signedInAgent } from '../support/staff-session';
import { startTestServer, TestServer } from '../support/test-server';
import { issuedScenario, readAndConsent } from './change-order-scenario';

/** A signer who withdraws consent waits for paper: staff see it on the order, in the API and on the page. */
describe('consent withdrawn, as staff see it', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows when the signer withdrew, and asks staff to send paper or void the order', async () => {
    const { projectId, order, issued } = await issuedScenario(t, 'Paper please');
    const detail = async () =>
      (await t.api.get(`/api/projects/${projectId}/change-orders/${order.id}`).expect(200)).body;
    expect((await detail()).consentWithdrawnAt).toBeNull();

    await readAndConsent(t.http, issued.signPath);
    await request(t.http).post(`${issued.signPath}/consent/withdraw`).send({}).expect(200);
    const withdrawn = await detail();
    expect(withdrawn).toMatchObject({ status: 'issued', consentWithdrawnAt: expect.any(String) });

    const { agent } = await signedInAgent(t, 'pm');
    const page = (await agent.get(`/app/projects/${projectId}`).expect(200)).text.replace(/\s+/g, ' ');
    expect(page).toMatch(
      /The signer withdrew consent to sign electronically on \d{1,2} \w{3} \d{4}: send a paper copy to sign, or void/,
    );
  });
});
