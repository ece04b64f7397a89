import {
  CallHandler,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  ParseUUIDPipe,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { Observable } from 'rxjs';
import { randomUUID } from 'node:crypto';
import { parsePosition } from '@scope-ledger/event-store';
import { CommandContext } from '@scope-ledger/platform';
import { StaffRequest } from '../auth/staff-auth.guard';
import { actorOf } from '../auth/staff-users.service';
import { ProjectReads } from '../projects/project-reads';
import { idempotencyOf } from './idempotency-keys';
import { ProblemException } from './problem-details.filter';

/** Ids in paths: one that is not a UUID names nothing, so 404. */
export const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

/** Who is acting and from where, for event metadata; reads If-Match as the expected revision. */
export function staffContextOf(_: unknown, ctx: ExecutionContext): CommandContext {
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
    actor: actorOf(staff),
    // Where staff acted from goes into the events' metadata: the certificate names the sender's address.
    ip: request.ip ?? request.socket.remoteAddress ?? 'unknown',
    userAgent: String(request.headers['user-agent'] ?? 'unknown').slice(0, 500),
    correlationId: headerText(request.headers['x-correlation-id']) ?? randomUUID(),
    expectedRevision,
    idempotency: idempotencyOf(request),
  };
}

/** The command's context, as a handler parameter; the OpenAPI document reads If-Match off the routes that take it. */
export const StaffContext = createParamDecorator(staffContextOf);

const ANSWERS_AS_OF = 'scope-ledger:answers-as-of';

/** Marks a read that answers `?asOf=` with the past; every other route refuses the parameter rather than ignore it. */
export const AnswersAsOf = () => SetMetadata(ANSWERS_AS_OF, true);

/**
 * On every read: `X-Min-Position` makes the answer wait until the read models include that
 * position, and `asOf` is refused (400) where the route answers only the present. Commands
 * refuse `asOf` too: they always apply now, and a past or future moment would be silently ignored.
 */
@Injectable()
export class ReadInterceptor implements NestInterceptor {
  constructor(
    private readonly reads: ProjectReads,
    private readonly reflector: Reflector,
  ) {}

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = ctx.switchToHttp().getRequest<Request>();
    const read = request.method === 'GET' || request.method === 'HEAD';
    if (request.query.asOf !== undefined && !(read && this.reflector.get<boolean>(ANSWERS_AS_OF, ctx.getHandler()))) {
      const message = read
        ? 'asOf is not answered here: this route shows only the present'
        : 'asOf is not taken by commands: they apply now; nothing was changed';
      throw new ProblemException(400, 'Invalid request', message, [{ field: 'asOf', message }]);
    }
    if (!read) return next.handle();
    const header = request.headers['x-min-position'];
    if (header !== undefined) {
      const position = parsePosition(headerText(header) ?? '');
      if (!position)
        throw new ProblemException(400, 'Invalid request', 'X-Min-Position must look like "<commit>/<prepare>"');
      await this.reads.catchUp(position);
    }
    return next.handle();
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text && /^[\x21-\x7e]{1,100}$/.test(text) ? text : undefined;
}
