import request from 'supertest';
import { pdfToText } from '../../libs/documents/src/testing/poppler';
import { setUpOwner } from '../support/staff-session';
import { startTestServer, TestServer } from '../support/test-server';
import { assessedRequest, draftOrder, issueOrder, openProject, readAndConsent } from './change-order-scenario';

/** The certificate of completion names the person who issued the order, not the key they used. */
describe('the certificate names who issued the order', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('states the issuing user’s name when they issued with their own API key', async () => {
    await setUpOwner(t, { name: 'Ana Oliveira', email: 'ana@northwind-it.example', password: 'correct horse battery' });
    const ana = (await t.server.staffUsers.findByEmail('ana@northwind-it.example'))!;
    const { key } = await t.server.apiKeys.create('Ana’s scripts', 'pm', undefined, ana.userId);
    const withKey = (test: request.Test) => test.set('Authorization', `Bearer ${key}`);
    const asAna: TestServer = {
      ...t,
      api: {
        get: (path) => withKey(request(t.http).get(path)),
        post: (path, body) => withKey(request(t.http).post(path)).send(body as object),
        patch: (path, body) => withKey(request(t.http).patch(path)).send(body as object),
        delete: (path) => withKey(request(t.http).delete(path)),
      },
    };

    const projectId = await openProject(asAna);
    const order = await draftOrder(asAna, projectId, [await assessedRequest(asAna, projectId, 'vpn')]);
    const issued = await issueOrder(asAna, projectId, order.id);
    await readAndConsent(t.http, issued.signPath);
    await request(t.http)
      .post(issued.signPath)
      .send({ name: 'Morgan Q. Ellery', documentSha256: issued.documentSha256 })
      .expect(200);
    const pdf = (await t.api.get(`/api/projects/${projectId}/change-orders/${order.id}/pdf`).expect(200))
      .body as Buffer;
    const text = pdfToText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain('Sender Ana Oliveira, Northwind Managed IT · projects@northwind-it.example');
    expect(text).not.toContain('Ana’s scripts');
  });
});
