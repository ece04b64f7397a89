import request from 'supertest';
import { calendarDateIn } from '@scope-ledger/domain';
import { startTestServer, TestServer } from '../support/test-server';
import { assessedRequest, draftOrder, issueOrder, openProject } from './change-order-scenario';

/** The old link of a revised order names the day the revision went out as the project counts days. */
describe("a replaced signing link in a project's time zone", () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ config: { mspName: 'Lighthouse Managed IT', mspEmail: 'pm@lighthouse.example' } });
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  it('says the newer revision was sent on the date of the project, not of UTC', async () => {
    // Kiritimati (UTC+14) is a day ahead of UTC from 10:00 UTC, Pago Pago (UTC-11) a day behind until 11:00 UTC.
    const zone = new Date().getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';
    const projectId = await openProject(t, 'Across the date line', { timeZone: zone });
    const order = await draftOrder(t, projectId, [await assessedRequest(t, projectId, 'vpn')]);
    const first = await issueOrder(t, projectId, order.id);
    const revised = await t.api.post(`/api/projects/${projectId}/change-orders/${order.id}/revise`).expect(200);

    const sentAt = (await t.api.get(`/api/projects/${projectId}/change-orders/${order.id}`).expect(200)).body.issues[1]
      .issuedAt as string;
    const sentOn = calendarDateIn(sentAt, zone);
    expect(sentOn).not.toBe(sentAt.slice(0, 10));
    const page = await request(t.http).get(first.signPath).expect(410);
    expect(page.text).toContain(`A newer revision of CO-1 (${revised.body.number}) was sent on ${sentOn};`);
  });
});
