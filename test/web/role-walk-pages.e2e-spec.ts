import { startTestServer, TestServer } from '../support/test-server';
import { Agent, signedInAgent } from '../support/staff-session';
import { assessedRequest, draftOrder, issuedScenario, projectBody } from '../change-orders/change-order-scenario';
import { products } from '../change-orders/product-order-scenario';
import { PAGE_ROUTES, StaffRole, WalkIds } from './page-routes';

/** The GET routes under /app as the server's router holds them. */
function registeredPageRoutes(t: TestServer): string[] {
  const http = t.server.app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return http.router.stack
    .flatMap((layer) => (layer.route?.methods.get ? [layer.route.path] : []))
    .filter((path) => path === '/app' || path.startsWith('/app/'))
    .sort();
}

/**
 * Each role signs in and opens every staff page: a page a role may use answers 200, a page it may not (the admin
 * pages for PMs and finance, finance's for PMs, …) answers 403 in words, and no page answers with a server error.
 */
describe('every staff page, walked by each role', () => {
  let t: TestServer;
  let ids: WalkIds;
  const agents = new Map<StaffRole, Agent>();

  beforeAll(async () => {
    t = await startTestServer();
    const { projectId, requestIds, order } = await issuedScenario(t, 'Role walk');
    const draft = await draftOrder(t, projectId, [await assessedRequest(t, projectId, 'mfa')]);
    await t.api.post('/api/catalogue/products', products.licence).expect(201);
    const key = await t.api.post('/api/admin/api-keys', { name: 'Walked key', role: 'pm' }).expect(201);
    const person = await t.api
      .post('/api/team/people', { name: 'Ada Quinn', role: 'Network engineer', weeklyCapacityHours: 40 })
      .expect(201);
    ids = {
      projectId,
      changeRequestId: requestIds.vpn,
      issuedOrderId: order.id,
      draftOrderId: draft.id,
      cardId: 'C-1',
      sku: products.licence.sku,
      client: projectBody.client.name,
      keyId: key.body.id,
      personId: person.body.person.personId,
    };
    for (const role of ['admin', 'pm', 'finance'] as const) agents.set(role, (await signedInAgent(t, role)).agent);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('walks every page the server registers (page-routes.ts lists them all)', () => {
    const listed = PAGE_ROUTES.map((r) => r.route).sort();
    const registered = registeredPageRoutes(t);
    expect({ missingFromTheList: registered.filter((r) => !listed.includes(r)) }).toEqual({ missingFromTheList: [] });
    expect({ notRegistered: listed.filter((r) => !registered.includes(r)) }).toEqual({ notRegistered: [] });
  });

  it.each(['admin', 'pm', 'finance'] as const)(
    'as %s: 200 where the role may go, 403 elsewhere, never 5xx',
    async (role) => {
      const answers: string[] = [];
      const expected: string[] = [];
      for (const page of PAGE_ROUTES) {
        if (page.roles === 'signed-out') continue;
        const response = await agents.get(role)!.get(page.path(ids));
        answers.push(`${page.route} ${response.status}`);
        expected.push(`${page.route} ${page.roles.includes(role) ? 200 : 403}`);
        if (response.status === 403) expect(response.text).toMatch(/needs the [a-z ]+ role; you are signed in as/);
      }
      expect(answers).toEqual(expected);
    },
  );

  it('answers the signed-out pages without a server error, signed in or not', async () => {
    for (const page of PAGE_ROUTES.filter((p) => p.roles === 'signed-out')) {
      for (const agent of [...agents.values()]) expect((await agent.get(page.path(ids))).status).toBeLessThan(500);
    }
  });
});
