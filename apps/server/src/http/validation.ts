import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, invalidRequest, ProblemException } from './problem-details.filter';

/** Our bodies nest a few levels; far deeper input only exhausts the validators' stack. */
const MAX_DEPTH = 32;
/** NUL, which PostgreSQL cannot store, and surrogates without their pair, which are not Unicode. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The checks of a value's type: when one fails, the field's limits ("at most 365") would only contradict it. */
const TYPE_CHECKS = new Set(['isString', 'isNumber', 'isInt', 'isBoolean', 'isArray', 'isObject']);

/** Flattens class-validator's tree into "items[2].hours"-style field errors; a wrong type gets its message alone. */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap(({ property, constraints, children }) => {
    const field = /^\d+$/.test(property) ? `${parent}[${property}]` : parent ? `${parent}.${property}` : property;
    const failed = Object.entries(constraints ?? {});
    const wrongType = failed.filter(([name]) => TYPE_CHECKS.has(name));
    const own = (wrongType.length > 0 ? wrongType : failed).map(([, message]) => ({
      field,
      message: humanise(message, property, field),
    }));
    return wrongType.length > 0 ? own : [...own, ...fieldErrors(children ?? [], field)];
  });
}

/** Names the field by its path ("items[2].hours must be..."), and says plainly that it is unknown. */
function humanise(message: string, property: string, field: string): string {
  if (message === `property ${property} should not exist`) return `${field} is not a known field`;
  return message.startsWith(property) ? field + message.slice(property.length) : message;
}

/** True when objects and lists nest deeper than any request of ours does. Walks without recursion. */
export function nestedTooDeep(value: unknown): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_DEPTH) return true;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}

/** "__proto__", "constructor", "toString"...: no request has such fields, but rate card roles may be named so. */
const OBJECT_MEMBERS = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Text that no field may hold, wherever it sits, by field path; and field names of OBJECT_MEMBERS. */
function unstorableText(value: unknown, path = ''): FieldError[] {
  const found: FieldError[] = [];
  const pending: [unknown, string][] = [[value, path]];
  while (pending.length > 0) {
    const [current, at] = pending.pop()!;
    if (typeof current === 'string' && UNSTORABLE.test(current)) {
      found.push({ field: at, message: `${at} must be Unicode text without NUL characters` });
    } else if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) {
        const field = Array.isArray(current) ? `${at}[${key}]` : at ? `${at}.${key}` : key;
        if (UNSTORABLE.test(key)) {
          const named = at || key.replace(/[\u0000\ud800-\udfff]/g, '\ufffd');
          found.push({ field: named, message: `${named} has a field name that is not Unicode text` });
        } else if (OBJECT_MEMBERS.has(key) && at !== 'rates') {
          found.push({ field, message: `${field} is not an allowed field name` });
        } else pending.push([child, field]);
      }
    }
  }
  return found;
}

/** class-transformer's object copy would mangle role names like "__proto__": the rate card reaches it as a Map. */
function withRateCardAsMap(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || !Object.hasOwn(body, 'rates')) return body;
  const { rates } = body as { rates: unknown };
  if (rates === null || typeof rates !== 'object' || Array.isArray(rates)) return body;
  return { ...body, rates: new Map(Object.entries(rates)) };
}

/** Class-validator's pipe, after two checks that protect the validators and the database. */
class InputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      if (nestedTooDeep(value)) {
        const detail = `The request nests objects or lists more than ${MAX_DEPTH} levels deep`;
        throw new ProblemException(400, 'Invalid request', detail);
      }
      const unstorable = unstorableText(value);
      if (unstorable.length > 0) throw invalidRequest(unstorable);
    }
    return super.transform(metadata.type === 'body' ? withRateCardAsMap(value) : value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new InputValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => invalidRequest(fieldErrors(errors)),
  });
}
