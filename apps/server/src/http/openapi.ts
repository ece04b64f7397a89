import { INestApplication, ParseUUIDPipe, Type } from '@nestjs/common';
import { GUARDS_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type {
  OperationObject,
  ParameterObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { getMetadataStorage } from 'class-validator';
import { STAFF_ROLES, StaffRole } from '../auth/api-keys.service';
import { ROLES, StaffAuthGuard } from '../auth/staff-auth.guard';
import { namedSchemas, ROUTE_ANSWERS, RouteAnswers } from './answers';
import { staffContextOf } from './request-context';

/** What class-validator keeps of one rule on one property. */
interface ValidationMetadata {
  type: string;
  name?: string;
  propertyName: string;
  constraints?: unknown[];
  each?: boolean;
}

const PROBLEM = { $ref: '#/components/schemas/Problem' };

/** RFC 9457 problem details, as http/problem-details.filter.ts writes them. */
const problemSchema: SchemaObject = {
  type: 'object',
  description: 'An error as RFC 9457 problem details; `type` is left out, meaning about:blank',
  required: ['status', 'title', 'detail'],
  properties: {
    status: { type: 'integer', example: 404 },
    title: { type: 'string', example: 'Not found' },
    detail: { type: 'string', example: 'Project 0b6f… not found' },
    errors: {
      type: 'array',
      description: 'the fields at fault, for 400 and 422',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string', example: 'items[2].hours' }, message: { type: 'string' } },
      },
    },
  },
};

/** Why each status may come, for the errors every route of a kind can give. */
const REASONS: Record<number, string> = {
  400: 'The request is malformed: a field, parameter or header is invalid (each field at fault is named)',
  401: 'No API key, or an unknown or revoked one',
  403: "The key's role may not do this (the answer names the roles that may)",
  404: 'Nothing with this id',
  409: 'The state does not allow it, or a request with this Idempotency-Key is still running',
  410: 'Gone: the link or order no longer applies',
  412: 'If-Match names a revision the project has moved past; read it again and retry',
  413: 'The request body is larger than the limit',
  415: 'The body is not JSON (send Content-Type: application/json)',
  422: 'Refused by a business rule, or an Idempotency-Key reused for another request',
  429: 'Too many requests from this address; wait for Retry-After seconds',
  502: 'A server this one relies on (the SMTP server) refused or could not be reached',
  503: 'The database or the time-stamp authority cannot be reached, or the read models are behind',
};

const RETRY_AFTER = {
  'Retry-After': { description: 'seconds to wait before trying again', schema: { type: 'integer' } },
};
const ETAG = {
  ETag: {
    description: 'the project\'s revision, e.g. "12": send it as If-Match with the next command',
    schema: { type: 'string' },
  },
};
const LOCATION = { Location: { description: 'where the created resource is read', schema: { type: 'string' } } };

const HEADERS: Record<string, ParameterObject> = {
  'Idempotency-Key': {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      '1 to 255 visible ASCII characters, e.g. a UUID: a retry with the same key and body gets the first answer again',
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]{1,255}$' },
  },
  'If-Match': {
    name: 'If-Match',
    in: 'header',
    required: false,
    description: 'The project ETag the change is based on ("12"); 412 when the project has moved past it',
    schema: { type: 'string', example: '"12"' },
  },
  'X-Min-Position': {
    name: 'X-Min-Position',
    in: 'header',
    required: false,
    description: 'A command answer\'s `position` ("<commit>/<prepare>"): the read waits until it includes that write',
    schema: { type: 'string', example: '1234/1234' },
  },
};

const TAGS: Record<string, string> = {
  projects: 'Projects: open, baseline, settings, scope, budget, timeline, change requests and the audit trail',
  'client dependencies': 'What a project waits for from its client, and the change requests for days lost',
  'change orders': 'Draft, issue, revise and void change orders; their PDFs',
  board: 'The delivery board: cards, WIP limits and time logged',
  catalogue: 'Products and licences that assessments and baselines price',
  finance: 'Signed orders, invoices, reconciliation and bookkeeping exports',
  portfolio: 'Every project at a glance, riskiest first',
  notifications: 'The outbox of emails',
  admin: 'API keys, read-model projections and the audit trail of every stream',
  signing: "The client's signing link: page, document, consent, one-time code, sign or decline (no API key)",
  verify: 'Check a change-order PDF (no API key)',
  health: 'Whether the server and its storage answer',
};

interface Route {
  controller: Type<unknown>;
  handler: (...args: unknown[]) => unknown;
  name: string;
}

/** The OpenAPI document of the running application, as served at /api/docs-json. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Scope Ledger API')
    .setDescription(
      'Scope changes, change orders, e-signature, board and finance for managed service providers. ' +
        'Errors are application/problem+json. Each operation lists the staff roles that may call it in `x-roles`.',
    )
    .setVersion('1')
    .setLicense('Proprietary', '')
    .addServer('/', 'this server')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      // Staff API keys are opaque random strings, not JWTs.
      bearerFormat: 'sl_… API key',
      description: 'A staff API key ("Authorization: Bearer sl_…"), created by an admin or with the CLI',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const routes = routesOf(app);
  const schemas = (document.components ??= {}).schemas ?? {};
  document.components.schemas = schemas;
  schemas.Problem = problemSchema;
  for (const [name, schema] of namedSchemas) schemas[name] = schema;
  withValidationRules(schemas as Record<string, SchemaObject>);
  const tags = new Set<string>();
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods) as [string, OperationObject][]) {
      if (typeof operation !== 'object' || !operation.responses) continue;
      const route = routes.get(operation.operationId ?? '');
      if (route) describe(operation, route, path, method);
      for (const tag of operation.tags ?? []) tags.add(tag);
    }
  }
  document.tags = [...tags].sort().map((name) => ({ name, description: TAGS[name] ?? `The ${name} routes` }));
  withoutUnusedNamedSchemas(document);
  return document;
}

/** Named answer schemas of routes this server does not have (or not yet): left out of its document. */
function withoutUnusedNamedSchemas(document: OpenAPIObject): void {
  const schemas = document.components!.schemas!;
  const text = () => JSON.stringify({ paths: document.paths, schemas });
  for (let removed = true; removed;) {
    removed = false;
    const used = text();
    for (const name of namedSchemas.keys()) {
      if (name in schemas && !used.includes(`"#/components/schemas/${name}"`)) {
        delete schemas[name];
        removed = true;
      }
    }
  }
}

/** Every controller method by the operationId Nest's document gives it ("ProjectsController_open"). */
function routesOf(app: INestApplication): Map<string, Route> {
  const routes = new Map<string, Route>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown>;
      const prototype = controller.prototype as object;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
        if (name === 'constructor' || typeof handler !== 'function') continue;
        routes.set(`${controller.name}_${name}`, { controller, handler: handler as Route['handler'], name });
      }
    }
  }
  return routes;
}

function metadataOf<T>(key: string, route: Route): T | undefined {
  return (
    (Reflect.getMetadata(key, route.handler) as T | undefined) ?? (Reflect.getMetadata(key, route.controller) as T)
  );
}

type RouteArgument = { index: number; data?: unknown; pipes?: unknown[]; factory?: unknown };

function argumentsOf(route: Route): [string, RouteArgument][] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, route.controller, route.name) ?? {}) as Record<
    string,
    RouteArgument
  >;
  return Object.entries(args);
}

/** Security, roles, headers and every answer of one operation, from its route's metadata and @Answers. */
function describe(operation: OperationObject, route: Route, path: string, method: string): void {
  const guards = [
    ...((Reflect.getMetadata(GUARDS_METADATA, route.controller) ?? []) as unknown[]),
    ...((Reflect.getMetadata(GUARDS_METADATA, route.handler) ?? []) as unknown[]),
  ];
  const staff = guards.includes(StaffAuthGuard);
  const roles = metadataOf<StaffRole[]>(ROLES, route);
  const allowed = staff
    ? roles
      ? STAFF_ROLES.filter((r) => r === 'admin' || roles.includes(r))
      : [...STAFF_ROLES]
    : [];
  const args = argumentsOf(route);
  const takesBody = args.some(([key]) => key.startsWith(`${RouteParamtypes.BODY}:`)) || Boolean(operation.requestBody);
  const command = args.some(([, arg]) => arg.factory === staffContextOf);
  const answers = Reflect.getMetadata(ROUTE_ANSWERS, route.handler) as RouteAnswers | undefined;
  const api = path.startsWith('/api/');

  operation.security = staff ? [{ bearer: [] }] : [];
  if (staff) {
    Object.assign(operation, { 'x-roles': allowed });
    const who = `Roles: ${allowed.join(', ')}.`;
    operation.description = operation.description ? `${operation.description}\n\n${who}` : who;
  } else {
    operation.description = operation.description
      ? `${operation.description}\n\nPublic: no API key.`
      : 'Public: no API key.';
  }

  const parameters = (operation.parameters ??= []) as ParameterObject[];
  for (const [key, arg] of args) {
    if (!key.startsWith(`${RouteParamtypes.PARAM}:`) || !arg.pipes?.some((p) => p instanceof ParseUUIDPipe)) continue;
    const parameter = parameters.find((p) => p.in === 'path' && p.name === arg.data);
    if (parameter) parameter.schema = { type: 'string', format: 'uuid' };
  }
  withQueryRules(route, args, parameters);
  const read = method === 'get';
  if (read && api) parameters.push(HEADERS['X-Min-Position']);
  if (method === 'post') parameters.push(HEADERS['Idempotency-Key']);
  if (command) parameters.push(HEADERS['If-Match']);

  // Every route refuses ?asOf= where it does not answer the past (http/request-context.ts), so any may answer 400.
  const errors = new Set<number>([...(answers?.errors ?? []), 400]);
  if (staff) errors.add(401).add(429);
  if (staff && allowed.length < STAFF_ROLES.length) errors.add(403);
  if (takesBody) errors.add(400).add(413);
  if (takesBody && api && path !== '/api/verify') errors.add(415);
  if (method === 'post') errors.add(400).add(409).add(422);
  if (command) errors.add(412);
  if (path.startsWith('/sign') || path === '/verify' || path === '/api/verify') errors.add(429);
  errors.add(503);

  if (answers?.summary && !operation.summary) operation.summary = answers.summary;
  const responses: Record<string, ResponseObject> = {};
  if (answers) {
    const headers = { ...(answers.etag || command ? ETAG : {}), ...(answers.location ? LOCATION : {}) };
    responses[String(answers.status)] = {
      description: answers.description ?? successDescription(answers.status),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      ...contentOf(answers.body),
    };
    for (const other of answers.alsoAs ?? []) {
      Object.assign(responses[String(answers.status)].content ?? {}, contentOf(other).content);
    }
    for (const status of answers.redirects ?? []) {
      responses[String(status)] = { description: 'See Location', headers: { Location: LOCATION.Location } };
    }
  } else {
    // Left as Nest found it: the document's test names every route that lacks @Answers.
    Object.assign(responses, operation.responses);
  }
  for (const status of [...errors].sort()) {
    responses[String(status)] = {
      description: REASONS[status] ?? 'Error',
      ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}),
      content: { 'application/problem+json': { schema: PROBLEM } },
    };
  }
  operation.responses = responses;
}

function successDescription(status: number): string {
  return status === 201 ? 'Created' : status === 204 ? 'Done; no content' : 'OK';
}

function contentOf(body: RouteAnswers['body']): Partial<ResponseObject> {
  if (body === 'none') return {};
  if (body === 'pdf') return { content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } };
  if (body === 'csv') return { content: { 'text/csv': { schema: { type: 'string' } } } };
  if (body === 'html') return { content: { 'text/html': { schema: { type: 'string' } } } };
  return { content: { 'application/json': { schema: body } } };
}

/** class-validator's rules by class. */
function validationRules(): Map<object, ValidationMetadata[]> {
  return (getMetadataStorage() as unknown as { validationMetadatas: Map<object, ValidationMetadata[]> })
    .validationMetadatas;
}

/**
 * Each DTO's schema gets the limits its class-validator rules enforce (formats, lengths, ranges, enums),
 * so that a client generated from the document is refused no request it was allowed to build.
 */
function withValidationRules(schemas: Record<string, SchemaObject>): void {
  for (const [target, rules] of validationRules()) {
    const schema = schemas[(target as { name: string }).name];
    if (!schema?.properties) continue;
    for (const rule of rules) applyRule(schema.properties[rule.propertyName] as SchemaObject | undefined, rule);
  }
}

/** The same for query parameters, which Nest spreads out of their DTO. */
function withQueryRules(route: Route, args: [string, RouteArgument][], parameters: ParameterObject[]): void {
  const types = (Reflect.getMetadata('design:paramtypes', route.controller.prototype as object, route.name) ??
    []) as object[];
  for (const [key, arg] of args) {
    if (!key.startsWith(`${RouteParamtypes.QUERY}:`) || arg.data !== undefined) continue;
    for (const rule of validationRules().get(types[arg.index]) ?? []) {
      const parameter = parameters.find((p) => p.in === 'query' && p.name === rule.propertyName);
      applyRule(parameter?.schema as SchemaObject | undefined, rule);
    }
  }
}

function applyRule(property: SchemaObject | undefined, rule: ValidationMetadata): void {
  if (!property || '$ref' in property || property.allOf) return; // a nested DTO: described by its own schema
  const facts = factsOf(rule);
  if (!facts) return;
  const into = rule.each && property.type === 'array' ? ((property.items ??= {}) as SchemaObject) : property;
  const { description, ...rest } = facts;
  // A whole number stays one whichever of isInt and isNumber is read first.
  if (rest.type === 'number' && into.type === 'integer') delete rest.type;
  Object.assign(into, rest);
  if (description && !into.description) into.description = description;
}

/** The schema facts one validation rule enforces. */
function factsOf(rule: ValidationMetadata): SchemaObject | undefined {
  const [first] = (rule.constraints ?? []) as unknown[];
  switch (rule.name ?? rule.type) {
    case 'isInt':
      return { type: 'integer' };
    case 'isNumber':
      return { type: 'number' };
    case 'isString':
    case 'isTimeZone':
      return { type: 'string' };
    case 'isBoolean':
      return { type: 'boolean' };
    case 'maxLength':
      return { type: 'string', maxLength: first as number };
    case 'minLength':
      return { type: 'string', minLength: first as number };
    case 'isNotEmpty':
      return { minLength: 1 };
    case 'min':
      return { minimum: first as number };
    case 'max':
      return { maximum: first as number };
    case 'isEmail':
      return { type: 'string', format: 'email' };
    case 'isUuid':
    case 'isUUID':
      return { type: 'string', format: 'uuid' };
    case 'isIn':
      return { enum: [...(first as unknown[])] };
    case 'arrayMaxSize':
      return { maxItems: first as number };
    case 'arrayMinSize':
      return { minItems: first as number };
    case 'matches':
      return { type: 'string', pattern: first instanceof RegExp ? first.source : String(first) };
    case 'isCalendarDate':
      return { type: 'string', format: 'date' };
    case 'isTimestamp':
    case 'isIso8601':
    case 'isDateString':
      return { type: 'string', format: 'date-time' };
    case 'isHours':
      return { type: 'number', minimum: 0, maximum: 100_000, description: 'hours, at most two decimals' };
    case 'isWeekHours':
      return {
        type: 'number',
        minimum: 0.01,
        maximum: 168,
        description: 'hours in a week: more than 0, at most 168, at most two decimals',
      };
    case 'isMinorUnits':
      return { type: 'integer', minimum: 0, maximum: 100_000_000_000_000 };
    case 'isCurrencyCode':
      return { type: 'string', pattern: '^[A-Z]{3}$' };
    case 'isRateCard':
      return {
        type: 'object',
        minProperties: 1,
        maxProperties: 100,
        additionalProperties: { type: 'integer', minimum: 0, maximum: 100_000_000_000 },
      };
    default:
      return undefined;
  }
}
