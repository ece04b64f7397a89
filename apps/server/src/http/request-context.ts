import { createParamDecorator, ExecutionContext, ParseUUIDPipe } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { parsePosition, Position } from '@scope-ledger/event-store';
import { CommandContext } from '@scope-ledger/platform';
import { StaffRequest } from '../auth/staff-auth.guard';
import { idempotencyOf } from './idempotency-keys';
import { ProblemException } from './problem-details.filter';

/** Ids in paths: one that is not a UUID names nothing, so 404. */
export const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

/** Who is acting and from where, for event metadata; reads If-Match as the expected revision. */
export const StaffContext = createParamDecorator((_: unknown, ctx: ExecutionContext): CommandContext => {
  const request = ctx.switchToHttp().getRequest<StaffRequest>();
  const staff = request.staff!;
  const ifMatch = request.headers['if-match'];
  let expectedRevision: bigint | undefined;
  if (typeof ifMatch === 'string' && ifMatch.trim() !== '*') {
    const match = /^(?:W\/)?"?(-?\d{1,19})"?$/.exec(ifMatch.trim());
    if (!match) throw new ProblemException(400, 'Invalid request', 'If-Match must be the project ETag, e.g. "12"');
    expectedRevision = BigInt(match[1]);
  }
  return {
    actor: { kind: 'staff', id: staff.id, name: staff.name },
    correlationId: headerText(request.headers['x-correlation-id']) ?? randomUUID(),
    expectedRevision,
    idempotency: idempotencyOf(request),
  };
});

/** X-Min-Position: read only once the read models include this position. */
export const MinPosition = createParamDecorator((_: unknown, ctx: ExecutionContext): Position | undefined => {
  const header = headerText(ctx.switchToHttp().getRequest<StaffRequest>().headers['x-min-position']);
  if (!header) return undefined;
  const position = parsePosition(header);
  if (!position)
    throw new ProblemException(400, 'Invalid request', 'X-Min-Position must look like "<commit>/<prepare>"');
  return position;
});

function headerText(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text && /^[\x21-\x7e]{1,100}$/.test(text) ? text : undefined;
}
