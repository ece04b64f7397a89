import request from 'supertest';
import { startTestServer, TestServer } from '../support/test-server';

type Operation = { security?: Record<string, string[]>[] };
type OpenApi = {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string; bearerFormat?: string }> };
};

/** What a client generator reads from /api/docs-json: how to authenticate, and which routes need it. */
describe('the OpenAPI document', () => {
  let t: TestServer;
  let openApi: OpenApi;

  beforeAll(async () => {
    t = await startTestServer();
    openApi = (await request(t.http).get('/api/docs-json').expect(200)).body as OpenApi;
  });
  afterAll(async () => {
    await t.close();
  });

  it('describes staff API keys as opaque bearer tokens, not JWTs', () => {
    expect(openApi.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(openApi.components.securitySchemes.bearer.bearerFormat).not.toBe('JWT');
  });

  it('asks for the key on staff routes and on no public route', () => {
    const operations = Object.entries(openApi.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
    );
    const secured = (route: string) =>
      Boolean(operations.find((o) => o.route === route)?.operation.security?.some((s) => 'bearer' in s));
    expect(secured('GET /api/projects/{id}')).toBe(true);
    expect(secured('POST /api/finance/change-orders/{coId}/invoices')).toBe(true);
    for (const route of ['GET /sign/{token}', 'POST /sign/{token}', 'POST /api/verify', 'GET /health'])
      expect({ route, secured: secured(route) }).toEqual({ route, secured: false });
  });
});
