import request from 'supertest';
import { pdfToText } from '../../libs/documents/src/testing/poppler';
import { smallBaseline, smallProject } from '../api/api-helpers';
import { startTestServer, TestServer } from '../support/test-server';
import { assessedRequest, draftOrder, issueOrder } from './change-order-scenario';

/**
 * The change requests a client reads on the order: how each came in, in words, and a request that only moves dates
 * (the working days lost waiting on the client) not marked chargeable.
 */
describe('how the order names its requests, read with poppler', () => {
  let t: TestServer;
  let projectId: string;
  let orderId: string;
  let signPath: string;

  beforeAll(async () => {
    t = await startTestServer();
    projectId = (await t.api.post('/api/projects', smallProject('Branch refit')).expect(201)).body.id;
    await t.api.post(`/api/projects/${projectId}/baseline`, smallBaseline).expect(201);
    const dependencies = `/api/projects/${projectId}/client-dependencies`;
    const logged = await t.api
      .post(dependencies, {
        what: 'Firewall admin credentials',
        milestone: 'M1',
        since: '2026-03-09',
        due: '2026-03-11',
      })
      .expect(201);
    await t.api.post(`${dependencies}/${logged.body.id}/resolve`, { resolvedOn: '2026-03-16' }).expect(200);
    const delay = await t.api.post(`${dependencies}/${logged.body.id}/change-request`, {}).expect(201);
    const vpn = await assessedRequest(t, projectId, 'vpn');

    orderId = (await draftOrder(t, projectId, [delay.body.id, vpn])).id;
    signPath = (await issueOrder(t, projectId, orderId)).signPath;
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  it('prints "Client delay" and "Email", and "Schedule only" for the request priced at 0.00', async () => {
    const pdf = (await t.api.get(`/api/projects/${projectId}/change-orders/${orderId}/pdf`).expect(200)).body as Buffer;
    const text = pdfToText(pdf);

    expect(text).toMatch(
      /CR-1\s+Waiting for the client: Firewall admin\s+Client delay\s+Northwind Traders\s+[\d-]{10}\s+Schedule only/,
    );
    expect(text).toMatch(/CR-2\s+Second site VPN tunnel\s+Email\s+Jo Okafor\s+\d{4}-\d{2}-\d{2}\s+Chargeable/);
    expect(text).not.toContain('client_dep');
    expect(text).not.toContain('endency');
    expect(text).not.toMatch(/\bemail\s+Jo Okafor/);
  });

  it('names the same words on the signing page', async () => {
    const page = await request(t.http).get(signPath).expect(200);

    expect(page.text).toContain(
      'Waiting for the client: Firewall admin credentials <span class="muted">(Client delay)</span>',
    );
    expect(page.text).toContain('<span class="tag">schedule only</span>');
    expect(page.text).toContain('Second site VPN tunnel <span class="muted">(Email)</span>');
    expect(page.text).not.toContain('client_dependency');
  });
});
