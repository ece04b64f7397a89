import Ajv from 'ajv';
import request from 'supertest';
import { startTestServer, TestServer } from '../support/test-server';
import { smallProject } from './api-helpers';

type Schema = { $ref?: string; type?: string; format?: string; [key: string]: unknown };
type Parameter = { name: string; in: string; schema?: Schema };
type Response = {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: Schema }>;
};
type Operation = {
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  responses: Record<string, Response>;
  'x-roles'?: string[];
};
type OpenApi = {
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, { type: string; scheme: string; bearerFormat?: string }>;
    schemas: Record<string, { properties?: Record<string, Schema>; required?: string[] }>;
  };
};

/** What a client generator reads from /api/docs-json: how to authenticate, and which routes need it. */
describe('the OpenAPI document', () => {
  let t: TestServer;
  let openApi: OpenApi;
  let operations: { route: string; operation: Operation }[];
  const operation = (route: string) => {
    const found = operations.find((o) => o.route === route);
    if (!found) throw new Error(`${route} is not in the document`);
    return found.operation;
  };

  beforeAll(async () => {
    t = await startTestServer();
    openApi = (await request(t.http).get('/api/docs-json').expect(200)).body as OpenApi;
    operations = Object.entries(openApi.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, operation: op })),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('describes staff API keys as opaque bearer tokens, not JWTs', () => {
    expect(openApi.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(openApi.components.securitySchemes.bearer.bearerFormat).not.toBe('JWT');
  });

  it('asks for the key on staff routes and on no public route', () => {
    const secured = (route: string) => Boolean(operation(route).security?.some((s) => 'bearer' in s));
    expect(secured('GET /api/projects/{id}')).toBe(true);
    expect(secured('POST /api/finance/change-orders/{coId}/invoices')).toBe(true);
    for (const route of ['GET /sign/{token}', 'POST /sign/{token}', 'POST /api/verify', 'GET /health']) {
      expect({ route, secured: secured(route) }).toEqual({ route, secured: false });
      expect(operation(route).security).toEqual([]);
    }
  });

  // A route added without @Answers (apps/server/src/http/answers.ts) is named here until it says what it answers.
  it('gives every operation a summary, its success answer and its problem+json errors', () => {
    const undocumented = operations.flatMap(({ route, operation: op }) => {
      const faults: string[] = [];
      if (!op.summary) faults.push('no summary');
      const success = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
      if (success.length === 0) faults.push('no 2xx answer');
      for (const [status, answer] of success) {
        if (status !== '204' && !answer.content) faults.push(`${status} has no content`);
        for (const [type, media] of Object.entries(answer.content ?? {}))
          if (!media.schema) faults.push(`${status} ${type} has no schema`);
      }
      const errors = Object.entries(op.responses).filter(([status]) => /^[45]\d\d$/.test(status));
      if (errors.length === 0) faults.push('no error answers');
      for (const [status, answer] of errors)
        if (answer.content?.['application/problem+json']?.schema?.$ref !== '#/components/schemas/Problem')
          faults.push(`${status} is not a Problem`);
      return faults.length ? [`${route}: ${faults.join(', ')}`] : [];
    });
    expect(undocumented).toEqual([]);
    expect(openApi.components.schemas.Problem.required).toEqual(['status', 'title', 'detail']);
  });

  it('names the roles of each staff operation and the errors its key can meet', () => {
    for (const { route, operation: op } of operations) {
      const staff = Boolean(op.security?.length);
      if (!staff) continue;
      expect({ route, roles: op['x-roles']?.includes('admin') }).toEqual({ route, roles: true });
      expect({ route, 401: Boolean(op.responses['401']) }).toEqual({ route, 401: true });
      const limited = op['x-roles']!.length < 3;
      expect({ route, 403: Boolean(op.responses['403']) }).toEqual({ route, 403: limited });
    }
    expect(operation('POST /api/projects')['x-roles']).toEqual(['admin', 'pm']);
    expect(operation('GET /api/projects/{id}')['x-roles']).toEqual(['admin', 'pm', 'finance']);
    expect(operation('POST /api/finance/change-orders/{coId}/invoices')['x-roles']).toEqual(['admin', 'finance']);
    expect(operation('GET /api/admin/api-keys')['x-roles']).toEqual(['admin']);
  });

  it('documents the headers the server reads and sends', () => {
    const header = (route: string, name: string) =>
      (operation(route).parameters ?? []).some((p) => p.in === 'header' && p.name === name);
    expect(header('PATCH /api/projects/{id}', 'If-Match')).toBe(true);
    expect(operation('PATCH /api/projects/{id}').responses['412']).toBeDefined();
    expect(header('POST /api/projects/{id}/change-requests', 'Idempotency-Key')).toBe(true);
    expect(header('GET /api/projects/{id}/budget', 'X-Min-Position')).toBe(true);
    expect(operation('GET /api/projects/{id}').responses['200'].headers).toHaveProperty('ETag');
    expect(operation('POST /api/projects').responses['201'].headers).toHaveProperty('Location');
    expect(operation('GET /api/projects/{id}').responses['503'].headers).toHaveProperty('Retry-After');
    expect(operation('POST /sign/{token}').responses['429'].headers).toHaveProperty('Retry-After');
  });

  it('names the media types of files and pages', () => {
    const types = (route: string, status = '200') => Object.keys(operation(route).responses[status].content ?? {});
    expect(types('GET /api/projects/{id}/change-orders/{coId}/pdf')).toEqual(['application/pdf']);
    expect(types('GET /api/finance/change-orders')).toEqual(['application/json', 'text/csv']);
    expect(types('GET /api/finance/exports/xero.csv')).toEqual(['text/csv']);
    expect(types('GET /sign/{token}')).toEqual(['text/html']);
    expect(types('GET /api/projects/{id}')).toEqual(['application/json']);
  });

  it('holds request fields to the limits the server checks', () => {
    const open = openApi.components.schemas.OpenProjectDto.properties!;
    expect(open.name).toMatchObject({ type: 'string', minLength: 1, maxLength: 200 });
    expect(open.startDate).toMatchObject({ type: 'string', format: 'date' });
    expect(open.currency).toMatchObject({ pattern: '^[A-Z]{3}$' });
    expect(open.rates).toMatchObject({ additionalProperties: { type: 'integer', minimum: 0 } });
    expect(openApi.components.schemas.PersonDto.properties!.email).toMatchObject({ format: 'email' });
    const item = openApi.components.schemas.BaselineItemDto.properties!;
    expect(item.fixedCost).toMatchObject({ type: 'integer', minimum: 0 });
    expect(item.hours).toMatchObject({ type: 'number', minimum: 0, maximum: 100000 });
    const log = openApi.components.schemas.LogChangeRequestDto.properties!;
    expect(log.receivedAt).toMatchObject({ format: 'date-time' });
    const id = operation('GET /api/projects/{id}').parameters!.find((p) => p.name === 'id')!;
    expect(id.schema).toEqual({ type: 'string', format: 'uuid' });
    const asOf = operation('GET /api/projects/{id}').parameters!.find((p) => p.name === 'asOf')!;
    expect(asOf.schema).toMatchObject({ format: 'date-time' });
  });

  it('accepts the real answer of a project with no manager and no finance contact under OpenAPI 3.0', async () => {
    const id = (await t.api.post('/api/projects', smallProject('No contacts')).expect(201)).body.id as string;
    const answer = (await t.api.get(`/api/projects/${id}`).expect(200)).body as Record<string, unknown>;
    expect({ manager: answer.manager, financeContact: answer.financeContact }).toEqual({
      manager: null,
      financeContact: null,
    });
    const schema = operation('GET /api/projects/{id}').responses['200'].content!['application/json'].schema!;
    // ajv's `nullable` option reads OpenAPI 3.0's keyword: null passes only where a schema says nullable: true.
    const ajv = new Ajv({ nullable: true, unknownFormats: 'ignore', allErrors: true });
    ajv.addSchema({ components: openApi.components }, 'openapi.json');
    const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/', '"openapi.json#/')) as object);
    expect(validate(answer) ? [] : validate.errors).toEqual([]);
  });

  it('is the document the server was built with', () => {
    expect(JSON.parse(JSON.stringify(t.server.openApi))).toEqual(openApi);
  });
});
