import { startTestServer, TestServer } from '../support/test-server';
import {
  changeRequest,
  client,
  expectProblem,
  expectRefusedWithoutAppend,
  smallBaseline,
  smallProject,
  streamHead,
} from './api-helpers';

const manager = { name: 'Sam Okafor', email: 'sam@northwind-it.example' };
const financeContact = { name: 'Lee Park', email: 'ap@northwind.example' };

describe('project settings: PATCH /api/projects/:id', () => {
  let t: TestServer;
  let projectId: string;

  beforeAll(async () => {
    t = await startTestServer();
    projectId = (await t.api.post('/api/projects', smallProject('Branch network refresh')).expect(201)).body.id;
    await t.api.post(`/api/projects/${projectId}/baseline`, smallBaseline).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('changes the settings, one event per kind of change, and answers the project with its new ETag', async () => {
    const changed = await t.api
      .patch(`/api/projects/${projectId}`, {
        name: 'Branch network refresh, phase 2',
        manager,
        financeContact,
        holidays: ['2026-03-16'],
        defaultExpiryDays: 21,
        timeZone: 'Europe/Dublin',
      })
      .expect(200);
    expect(changed.body).toMatchObject({
      name: 'Branch network refresh, phase 2',
      status: 'open',
      manager,
      client,
      financeContact,
      holidays: ['2026-03-16'],
      defaultExpiryDays: 21,
      timeZone: 'Europe/Dublin',
      events: [
        'ProjectRenamed',
        'ProjectManagerChanged',
        'ClientContactsChanged',
        'ProjectHolidaysChanged',
        'DefaultExpiryChanged',
        'ProjectTimeZoneChanged',
      ],
    });
    expect(changed.headers.etag).toBe(`"${changed.body.revision}"`);

    const read = await t.api.get(`/api/projects/${projectId}`).expect(200);
    expect(read.headers.etag).toBe(changed.headers.etag);
    expect(read.body).toMatchObject({ name: 'Branch network refresh, phase 2', manager, financeContact });
    const portfolio = await t.api.get('/api/portfolio').expect(200);
    expect(portfolio.body.projects.map((p: { name: string }) => p.name)).toContain('Branch network refresh, phase 2');
  });

  it('appends nothing and answers 200 when nothing differs', async () => {
    const before = await streamHead(t, projectId);
    const same = await t.api
      .patch(`/api/projects/${projectId}`, { name: 'Branch network refresh, phase 2', manager })
      .expect(200);
    expect(same.body.events).toEqual([]);
    expect(await streamHead(t, projectId)).toEqual(before);
  });

  it('honours If-Match: a stale ETag is refused with 412 and appends nothing', async () => {
    const current = (await t.api.get(`/api/projects/${projectId}`).expect(200)).headers.etag;
    await t.api.patch(`/api/projects/${projectId}`, { timeZone: null }).set('If-Match', current).expect(200);
    await expectRefusedWithoutAppend(
      t,
      projectId,
      () => t.api.patch(`/api/projects/${projectId}`, { timeZone: 'Asia/Tokyo' }).set('If-Match', current),
      412,
    );
  });

  it('refuses unknown fields and bad values with a message per field', async () => {
    const bad = await expectRefusedWithoutAppend(
      t,
      projectId,
      () =>
        t.api.patch(`/api/projects/${projectId}`, {
          currency: 'EUR',
          name: '',
          timeZone: 'Mars/Olympus',
          defaultExpiryDays: 400,
          holidays: ['2026-02-30'],
          rates: { engineer: -1 },
        }),
      400,
    );
    const fields = (bad.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['currency', 'name', 'timeZone', 'defaultExpiryDays', 'holidays', 'rates']),
    );
    expectProblem(await t.api.patch(`/api/projects/${projectId}`, { name: null }), 400, 'name');
  });

  it('takes the time zone when the project is opened, and refuses one that is not an IANA name', async () => {
    const opened = await t.api
      .post('/api/projects', { ...smallProject('Auckland office fit-out'), timeZone: 'Pacific/Auckland' })
      .expect(201);
    const summary = await t.api.get(`/api/projects/${opened.body.id}`).expect(200);
    expect(summary.body.timeZone).toBe('Pacific/Auckland');
    const refused = await t.api.post('/api/projects', { ...smallProject('Nowhere'), timeZone: 'Mars/Olympus' });
    expectProblem(refused, 400, 'timeZone');
    const names = (await t.api.get('/api/projects').expect(200)).body.map((p: { name: string }) => p.name);
    expect(names).toContain('Auckland office fit-out');
    expect(names).not.toContain('Nowhere');
  });

  it('prices later assessments at new rates and leaves what was priced alone', async () => {
    const crId = (await t.api.post(`/api/projects/${projectId}/change-requests`, changeRequest('Guest Wi-Fi'))).body.id;
    const line = { op: 'add', ref: 'WIFI-1', title: 'Guest Wi-Fi', role: 'engineer', hours: 2 };
    const first = await t.api
      .post(`/api/projects/${projectId}/change-requests/${crId}/assessment`, { lines: [line] })
      .expect(200);
    expect(first.body.changeRequest.assessment.costDelta).toBe(30000);
    await t.api.patch(`/api/projects/${projectId}`, { rates: { engineer: 20000, architect: 21000 } }).expect(200);
    const kept = await t.api.get(`/api/projects/${projectId}/change-requests/${crId}`).expect(200);
    expect(kept.body.assessment.costDelta).toBe(30000);
    const again = await t.api
      .post(`/api/projects/${projectId}/change-requests/${crId}/assessment`, { lines: [line] })
      .expect(200);
    expect(again.body.changeRequest.assessment.costDelta).toBe(40000);
  });

  it('gives drafts that name no expiry the project default', async () => {
    const [crId] = (await t.api.get(`/api/projects/${projectId}/change-requests`)).body.map(
      (r: { id: string }) => r.id,
    );
    await t.api
      .post(`/api/projects/${projectId}/change-orders`, { changeRequestIds: [crId], signer: client })
      .expect(201);
    const events = (await t.api.get(`/api/projects/${projectId}/events`)).body as { type: string; data: never }[];
    const drafted = events.find((e) => e.type === 'ChangeOrderDrafted')!;
    expect(drafted.data).toMatchObject({ expiresInDays: 21 });
  });

  it('closes, refuses new requests while closed, archives out of the portfolio and reopens', async () => {
    const closed = await t.api.post(`/api/projects/${projectId}/close`).expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', events: ['ProjectClosed'] });
    const refused = await expectRefusedWithoutAppend(
      t,
      projectId,
      () => t.api.post(`/api/projects/${projectId}/change-requests`, changeRequest('One more thing')),
      409,
    );
    expect(refused.body.detail).toBe(
      'Project Branch network refresh, phase 2 is closed; reopen it to log change requests',
    );
    await t.api.post(`/api/projects/${projectId}/archive`).expect(200);
    const names = async (query = '') =>
      (await t.api.get(`/api/portfolio${query}`).expect(200)).body.projects.map((p: { name: string }) => p.name);
    expect(await names()).not.toContain('Branch network refresh, phase 2');
    expect(await names('?archived=true')).toContain('Branch network refresh, phase 2');
    expectProblem(await t.api.post(`/api/projects/${projectId}/archive`), 409);

    await t.api.post(`/api/projects/${projectId}/reopen`).expect(200);
    expect(await names()).toContain('Branch network refresh, phase 2');
    await t.api.post(`/api/projects/${projectId}/change-requests`, changeRequest('One more thing')).expect(201);
  });
});
