import request from 'supertest';
import { pdfToText } from '../../libs/documents/src/testing/poppler';
import { signedInAgent } from '../support/staff-session';
import { startTestServer, TestServer } from '../support/test-server';
import { draftOrder, issueOrder, signer } from './change-order-scenario';

/**
 * A modified item is priced as the difference of two rounded costs, so its row must not read as
 * "change in hours × rate". At USD 123.45 an hour:
 *   as it stands 0.50 h × 123.45 =  61.725, half up =  61.73
 *   as changed   1.25 h × 123.45 = 154.3125, half up = 154.31
 *   change       154.31 - 61.73                      =  92.58
 * while 0.75 h × 123.45 = 92.5875 would round to 92.59.
 */
describe('a modified item on the change order shows arithmetic that holds', () => {
  let t: TestServer;
  let projectId: string;
  let orderId: string;
  let signPath: string;
  let requestId: string;

  beforeAll(async () => {
    t = await startTestServer({
      config: { mspName: 'Lighthouse Managed IT', mspEmail: 'projects@lighthouse.example' },
    });
    const opened = await t.api
      .post('/api/projects', {
        name: 'Rounding check',
        client: { name: 'Harbour Freight Logistics', email: 'it@harbour-freight.example' },
        currency: 'USD',
        rates: { consultant: 12345 },
        startDate: '2026-03-02',
      })
      .expect(201);
    projectId = opened.body.id;
    await t.api
      .post(`/api/projects/${projectId}/baseline`, {
        items: [{ ref: 'AUD-1', title: 'Licence audit', role: 'consultant', hours: 0.5 }],
        milestones: [{ ref: 'M1', name: 'Audit delivered', due: '2026-03-27' }],
      })
      .expect(201);
    const logged = await t.api
      .post(`/api/projects/${projectId}/change-requests`, {
        title: 'Audit the branch offices too',
        description: 'Asked for on the weekly call.',
        source: 'meeting',
        requestedBy: { name: 'Jo Okafor', email: 'jo.okafor@harbour-freight.example' },
      })
      .expect(201);
    await t.api
      .post(`/api/projects/${projectId}/change-requests/${logged.body.id}/assessment`, {
        lines: [{ op: 'modify', ref: 'AUD-1', hours: 1.25 }],
        schedule: [],
      })
      .expect(200);
    requestId = logged.body.id;
    const order = await draftOrder(t, projectId, [logged.body.id]);
    expect(order.amount).toBe(9258);
    orderId = order.id;
    signPath = (await issueOrder(t, projectId, orderId)).signPath;
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  it('prints the item as changed and as it stood, each hours × rate = cost, and their difference', async () => {
    const pdf = (await t.api.get(`/api/projects/${projectId}/change-orders/${orderId}/pdf`).expect(200)).body as Buffer;
    const text = pdfToText(pdf);

    expect(text).toMatch(/AUD-1 — Licence audit\s+Modify\s+consultant\s+1\.25\s+USD 123\.45\s+USD 154\.31/);
    expect(text).toMatch(/less AUD-1 before this change\s+consultant\s+-0\.50\s+USD 123\.45\s+-USD 61\.73/);
    expect(text).toContain('Change: USD 92.58');
    expect(text).toMatch(/Total\s+0\.75\s+USD 92\.58/);
    expect(text).not.toMatch(/0\.75\s+USD 123\.45\s+USD 92\.58/);
  });

  it("shows the request's cost as it stood and as changed on its staff page", async () => {
    const { agent } = await signedInAgent(t, 'pm');
    const page = await agent.get(`/app/projects/${projectId}/change-requests/${requestId}`).expect(200);
    const costs = '<td class="num">+USD 92.58<div class="small muted">USD 61.73 → USD 154.31</div>';
    expect(page.text).toMatch(/<td class="num">\+0\.75<\/td>\s*<td class="num">\+USD 92\.58/);
    expect(page.text).toContain(costs);
  });

  it('shows the same figures on the signing page', async () => {
    const page = await request(t.http).get(signPath).expect(200);
    expect(page.text).toContain('Now 1.25 h × USD 123.45 = USD 154.31; was 0.50 h × USD 123.45 = USD 61.73');
    expect(page.text).toMatch(/<td class="num">0\.75<\/td>\s*<td class="num">USD 92\.58/);
    expect(page.text).toContain(signer.name);
  });
});
