import { expectProblem } from '../api/api-helpers';
import { signedInAgent } from '../support/staff-session';
import { startTestServer, TestServer } from '../support/test-server';
import { assessedRequest, draftOrder, issueOrder, openProject, signAsClient } from './change-order-scenario';

/** GET …/change-orders/:coId/preview.pdf: a draft's preview; an issued order's real document; nothing else. */
describe('the draft preview route', () => {
  let t: TestServer;
  let projectId: string;

  beforeAll(async () => {
    t = await startTestServer({
      config: { mspName: 'Lighthouse Managed IT', mspEmail: 'projects@lighthouse.example' },
    });
    projectId = await openProject(t);
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  const previewOf = (orderId: string) => `/api/projects/${projectId}/change-orders/${orderId}/preview.pdf`;

  it('answers a draft with a PDF, and once issued or signed points to the real document', async () => {
    const order = await draftOrder(t, projectId, [await assessedRequest(t, projectId, 'vpn')]);
    const draft = await t.api.get(previewOf(order.id)).expect(200);
    expect(draft.headers['content-type']).toBe('application/pdf');
    expect((draft.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');

    const issued = await issueOrder(t, projectId, order.id);
    const real = `/api/projects/${projectId}/change-orders/${order.id}/pdf`;
    const afterIssue = await t.api.get(previewOf(order.id)).expect(303);
    expect(afterIssue.headers.location).toBe(real);

    await signAsClient(t.http, issued);
    expect((await t.api.get(previewOf(order.id)).expect(303)).headers.location).toBe(real);
  });

  it('is 404 for an order that does not exist and 409 for a draft voided before it was issued', async () => {
    expectProblem(await t.api.get(previewOf('7d1c6a4e-2f3b-4c5d-8e9f-0a1b2c3d4e5f')), 404);

    const order = await draftOrder(t, projectId, [await assessedRequest(t, projectId, 'docs')]);
    await t.api
      .post(`/api/projects/${projectId}/change-orders/${order.id}/void`, { reason: 'Wrong signer' })
      .expect(200);
    const refused = await t.api.get(previewOf(order.id));
    expectProblem(refused, 409);
    expect(refused.body.detail).toBe(`${order.number} was voided before it was issued; it has no document`);
  });

  it('is linked from a draft on the project page and served to signed-in staff', async () => {
    const order = await draftOrder(t, projectId, [await assessedRequest(t, projectId, 'wifi')]);
    const { agent } = await signedInAgent(t, 'pm');
    const page = await agent.get(`/app/projects/${projectId}`).expect(200);
    const href = `/app/projects/${projectId}/change-orders/${order.id}/preview.pdf`;
    expect(page.text).toContain(`href="${href}">Preview PDF (draft)</a>`);
    const pdf = await agent.get(href).buffer(true).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
  });
});
