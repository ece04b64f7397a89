import request from 'supertest';
import { issuedScenario, signAsClient } from '../change-orders/change-order-scenario';
import { signedInAgent } from '../support/staff-session';
import { startTestServer, TestServer } from '../support/test-server';

type AuditEvent = { type: string; ip?: string; userAgent?: string; data: { ip?: string; userAgent?: string } };

/** Finance reconciles money: it reads the signer's IP address and browser on the certificate only. */
describe("the signer's address and browser in the audit trail", () => {
  let t: TestServer;
  let projectId: string;

  beforeAll(async () => {
    t = await startTestServer();
    const scenario = await issuedScenario(t, 'Signer network privacy');
    projectId = scenario.projectId;
    await signAsClient(t.http, scenario.issued);
  });
  afterAll(async () => {
    await t.close();
  });

  const signed = (events: AuditEvent[]) => events.find((e) => e.type === 'ChangeOrderSigned')!;

  it('are withheld from finance keys in the events, and shown to project managers and admins', async () => {
    const asFinance = await request(t.http)
      .get(`/api/projects/${projectId}/events`)
      .set('Authorization', `Bearer ${await t.keyFor('finance')}`)
      .expect(200);
    const forFinance = signed(asFinance.body);
    expect(forFinance).toMatchObject({ ip: '(withheld)', userAgent: '(withheld)' });
    expect(forFinance.data).toMatchObject({ ip: '(withheld)', userAgent: '(withheld)' });
    expect(JSON.stringify(asFinance.body)).not.toContain('127.0.0.1');

    const asPm = await request(t.http)
      .get(`/api/projects/${projectId}/events`)
      .set('Authorization', `Bearer ${await t.keyFor('pm')}`)
      .expect(200);
    expect(signed(asPm.body).data.ip).toMatch(/127\.0\.0\.1/);
    expect(signed((await t.api.get(`/api/projects/${projectId}/events`).expect(200)).body).ip).toMatch(/127\.0\.0\.1/);
  });

  it('are withheld from finance on the audit page, which still verifies the chain', async () => {
    const finance = await signedInAgent(t, 'finance');
    const page = (await finance.agent.get(`/app/projects/${projectId}/audit`).expect(200)).text;
    expect(page).not.toContain('127.0.0.1');
    expect(page).toContain('(withheld)');
    expect(page).not.toContain('The hash chain is broken');
    const pm = await signedInAgent(t, 'pm');
    expect((await pm.agent.get(`/app/projects/${projectId}/audit`).expect(200)).text).toContain('127.0.0.1');
  });
});
