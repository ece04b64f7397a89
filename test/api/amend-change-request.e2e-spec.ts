import { startTestServer, TestServer } from '../support/test-server';
import {
  changeRequest,
  expectProblem,
  expectRefusedWithoutAppend,
  requester,
  smallBaseline,
  smallProject,
} from './api-helpers';

/** A request's title or description, corrected by the PM until the request goes on an order. */
describe('amending a change request', () => {
  let t: TestServer;
  let projectId: string;

  beforeAll(async () => {
    t = await startTestServer();
    projectId = (await t.api.post('/api/projects', smallProject('Amendments')).expect(201)).body.id;
    await t.api.post(`/api/projects/${projectId}/baseline`, smallBaseline).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('corrects the title, keeps the description, and shows the amendment in the audit trail', async () => {
    const logged = await t.api
      .post(`/api/projects/${projectId}/change-requests`, changeRequest('Guest WiFi'))
      .expect(201);
    const path = `/api/projects/${projectId}/change-requests/${logged.body.id}`;
    const before = (await t.api.get(path).expect(200)).body;

    const amended = await t.api.patch(path, { title: 'Guest Wi-Fi with a captive portal' }).expect(200);
    expect(amended.body.changeRequest).toMatchObject({ title: 'Guest Wi-Fi with a captive portal', status: 'logged' });
    const after = (await t.api.get(path).expect(200)).body;
    expect([after.title, after.description, after.number]).toEqual([
      'Guest Wi-Fi with a captive portal',
      before.description,
      before.number,
    ]);
    const events = (await t.api.get(`/api/projects/${projectId}/events`).expect(200)).body as { type: string }[];
    expect(events.at(-1)!.type).toBe('ChangeRequestAmended');
  });

  it('refuses an amendment that changes nothing, an empty title or an unknown field, appending nothing', async () => {
    const logged = await t.api.post(`/api/projects/${projectId}/change-requests`, changeRequest('Printer')).expect(201);
    const path = `/api/projects/${projectId}/change-requests/${logged.body.id}`;
    await expectRefusedWithoutAppend(t, projectId, () => t.api.patch(path, {}), 422, 'title');
    await expectRefusedWithoutAppend(t, projectId, () => t.api.patch(path, { title: '' }), 400, 'title');
    await expectRefusedWithoutAppend(t, projectId, () => t.api.patch(path, { status: 'approved' }), 400, 'status');
  });

  it('corrects a request on a draft, whose issued order then says it, and refuses once issued', async () => {
    const logged = await t.api.post(`/api/projects/${projectId}/change-requests`, changeRequest('Switch')).expect(201);
    const path = `/api/projects/${projectId}/change-requests/${logged.body.id}`;
    await t.api
      .post(`${path}/assessment`, { lines: [{ op: 'add', ref: 'SW-1', title: 'Switch', role: 'engineer', hours: 2 }] })
      .expect(200);
    const draft = await t.api
      .post(`/api/projects/${projectId}/change-orders`, { changeRequestIds: [logged.body.id], signer: requester })
      .expect(201);
    await t.api.patch(path, { title: 'Two switches for the warehouse' }).expect(200);
    const orderPath = `/api/projects/${projectId}/change-orders/${draft.body.id}`;
    const issued = await t.api.post(`${orderPath}/issue`).expect(200);
    // What the client reads is the corrected wording.
    const signingPage = await t.api.get(new URL(issued.body.signingUrl).pathname).expect(200);
    expect(signingPage.text).toContain('Two switches for the warehouse');
    const refused = await t.api.patch(path, { title: 'Three switches' });
    expectProblem(refused, 409);
    expect(refused.body.detail).toMatch(/^CR-\d+ sits on CO-\d+ \(issued\); void that order before it can be amended$/);
  });
});
