import { SetMetadata } from '@nestjs/common';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

export type Schema = SchemaObject | ReferenceObject;

/** What a route answers besides the errors every route of its kind can give (those come from its metadata). */
export interface RouteAnswers {
  status: number;
  /** The body: a JSON schema, a file type, or nothing. */
  body: Schema | 'pdf' | 'csv' | 'html' | 'none';
  description?: string;
  /** The operation's summary, where no @ApiOperation gives one. */
  summary?: string;
  /** Statuses this route gives for its own reasons: 404 unknown id, 409 wrong state, 410, 422 refused... */
  errors: number[];
  /** The answer carries the project's revision as its ETag. */
  etag?: boolean;
  /** The answer names the created resource in Location. */
  location?: boolean;
  /** The same answer in other media types, by the request's Accept (`text/csv`, `text/html`). */
  alsoAs?: ('csv' | 'html')[];
  /** Redirects this route may give (303 to an issued PDF...). */
  redirects?: number[];
}

export const ROUTE_ANSWERS = 'scope-ledger:answers';

/**
 * Documents a route's answer: its status and body, and the errors of its own (404, 409, 410, 422...).
 * Authentication, roles, validation, idempotency, If-Match and 503 are added from the route's metadata
 * by the OpenAPI document (http/openapi.ts), so each route states only what is particular to it.
 *
 *   @Answers(200, ProjectSummary, { errors: [404] })
 */
export function Answers(
  status: number,
  body: RouteAnswers['body'],
  options: Partial<Omit<RouteAnswers, 'status' | 'body'>> = {},
) {
  return SetMetadata(ROUTE_ANSWERS, { status, body, errors: [], ...options } satisfies RouteAnswers);
}

/** Named schemas, put under components.schemas by the OpenAPI document. */
export const namedSchemas = new Map<string, SchemaObject>();

/** A schema under its own name, so generated clients name the type. */
export function named(name: string, schema: SchemaObject): ReferenceObject {
  if (namedSchemas.has(name) && namedSchemas.get(name) !== schema) throw new Error(`Schema ${name} is named twice`);
  namedSchemas.set(name, schema);
  return { $ref: `#/components/schemas/${name}` };
}

// Small builders, so that a view's schema reads like the view.

export const text: SchemaObject = { type: 'string' };
export const integer: SchemaObject = { type: 'integer' };
export const number: SchemaObject = { type: 'number' };
export const boolean: SchemaObject = { type: 'boolean' };
export const id: SchemaObject = { type: 'string', format: 'uuid' };
export const date: SchemaObject = { type: 'string', format: 'date' };
export const dateTime: SchemaObject = { type: 'string', format: 'date-time' };
/** Money in the currency's minor units (cents). */
export const minor: SchemaObject = { type: 'integer', description: 'minor units (cents)' };
/** Anything: a part of the answer that this document does not describe further. */
export const any: SchemaObject = {};

/**
 * The document is OpenAPI 3.0: null is `nullable`. A reference cannot carry it (and an allOf around it
 * still refuses null), so a nullable reference is one of: the referenced schema, or null.
 */
export function nullable(schema: Schema): SchemaObject {
  if ('$ref' in schema) return { anyOf: [schema, { type: 'string', nullable: true, enum: [null] }] };
  return { type: 'object', ...schema, nullable: true };
}

export function list(items: Schema): SchemaObject {
  return { type: 'array', items };
}

export function oneOf(...values: readonly string[]): SchemaObject {
  return { type: 'string', enum: [...values] };
}

/** An object whose properties are all present, except those named in `optional`. */
export function object(properties: Record<string, Schema>, optional: readonly string[] = []): SchemaObject {
  const required = Object.keys(properties).filter((p) => !optional.includes(p));
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

/** A map from names the user chose to values of one schema. */
export function mapOf(values: Schema): SchemaObject {
  return { type: 'object', additionalProperties: values };
}

/** What every command answers: what it wrote and where (see projects/command-answer.ts), with `body` besides. */
export function commandAnswer(body: Record<string, Schema> = {}, optional: readonly string[] = []): SchemaObject {
  return object(
    {
      ...body,
      revision: { type: 'integer', description: "the project's revision after the command; also its ETag" },
      position: nullable({ type: 'string', description: 'pass as X-Min-Position to read your own writes' }),
      events: list(text),
    },
    optional,
  );
}
