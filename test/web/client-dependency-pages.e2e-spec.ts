import { smallBaseline, smallProject } from '../api/api-helpers';
import { signedInAgent } from '../support/staff-session';
import { startTestServer, TestServer } from '../support/test-server';

/** The project page's "Waiting on the client" panel: log, mark arrived, claim the days a late one cost. */
describe('client dependencies on the project page', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('logs a dependency, shows it overdue, marks it arrived late and claims the days as a change request', async () => {
    const projectId = (await t.api.post('/api/projects', smallProject('Waiting on the page')).expect(201)).body.id;
    await t.api.post(`/api/projects/${projectId}/baseline`, smallBaseline).expect(201);
    const { agent, csrf } = await signedInAgent(t, 'pm');
    const page = `/app/projects/${projectId}`;
    const post = (path: string, form: Record<string, string>) =>
      agent
        .post(path)
        .type('form')
        .send({ _csrf: csrf, ...form });

    const empty = await post(`${page}/client-dependencies`, { what: '', due: '2026-03-11' }).expect(400);
    expect(empty.text).toMatch(/id="dependency-what-error">[^<]*what should not be empty/i);

    const logged = await post(`${page}/client-dependencies`, {
      what: 'Firewall admin credentials',
      milestone: 'M1',
      since: '2026-03-09',
      due: '2026-03-11',
    }).expect(303);
    expect(logged.headers.location).toBe(`${page}?done=dependency&ref=DEP-1#client-dependencies`);
    const waiting = (await agent.get(logged.headers.location).expect(200)).text;
    expect(waiting).toContain('DEP-1 logged: the project now waits on the client for it.');
    const row = () => new RegExp('<tr id="dependency-DEP-1">([\\s\\S]*?)</tr>');
    expect(row().exec(waiting)?.[1]).toMatch(/Firewall admin credentials[\s\S]*M1<\/span> Network live[\s\S]*overdue/);

    const id = (await t.api.get(`/api/projects/${projectId}/client-dependencies`).expect(200)).body.dependencies[0]
      .id as string;
    await post(`${page}/client-dependencies/${id}/resolve`, { resolvedOn: '2026-03-16' }).expect(303);
    const arrived = (await agent.get(page).expect(200)).text;
    expect(row().exec(arrived)?.[1]).toMatch(/arrived[\s\S]*3 working days late[\s\S]*Claim 3 working days/);

    const claimed = await post(`${page}/client-dependencies/${id}/change-request`, {}).expect(303);
    expect(claimed.headers.location).toBe(`${page}?done=claimed&ref=CR-1#requests`);
    const withRequest = (await agent.get(claimed.headers.location).expect(200)).text;
    expect(withRequest).toContain('CR-1 logged and assessed for the working days lost.');
    expect(withRequest).toContain('Waiting for the client: Firewall admin credentials');
    expect(withRequest).toContain('Client dependency from');
    expect(row().exec(withRequest)?.[1]).toMatch(/>CR-1</);
  });

  it.each(['Pacific/Pago_Pago', 'Pacific/Kiritimati'])(
    "offers the project's today in %s as the day a dependency arrived",
    async (timeZone) => {
      // UTC-11 and UTC+14: at any hour one of them is on another date than UTC.
      const opened = t.api.post('/api/projects', { ...smallProject(`Waiting in ${timeZone}`), timeZone });
      const projectId = (await opened.expect(201)).body.id as string;
      await t.api.post(`/api/projects/${projectId}/baseline`, smallBaseline).expect(201);
      await t.api
        .post(`/api/projects/${projectId}/client-dependencies`, {
          what: 'Site access',
          since: '2026-03-09',
          due: '2026-03-11',
        })
        .expect(201);
      const { agent } = await signedInAgent(t, 'pm');
      const page = (await agent.get(`/app/projects/${projectId}`).expect(200)).text;
      const today = new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
      expect(page).toMatch(new RegExp(`name="resolvedOn"[^>]*value="${today}"|value="${today}"[^>]*name="resolvedOn"`));
    },
  );
});
