import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError } from '@scope-ledger/domain';
import { WrongExpectedRevisionError } from '@scope-ledger/event-store';
import { ReadModelsBehindError } from '@scope-ledger/projections';
import { RevisionMismatchError } from '@scope-ledger/platform';
import type { Response } from 'express';

export interface FieldError {
  field: string;
  message: string;
}

/** A 4xx or 5xx answer as RFC 9457 problem details. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    title: string,
    detail: string,
    readonly errors?: FieldError[],
    readonly extra?: Record<string, unknown>,
  ) {
    super({ title, detail, errors }, status);
  }
}

const DOMAIN_STATUS: Record<DomainError['kind'], number> = { conflict: 409, invalid: 422, not_found: 404, gone: 410 };
const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function problemOf(error: unknown): {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
} {
  if (error instanceof ProblemException) {
    return {
      status: error.getStatus(),
      body: {
        title: (error.getResponse() as { title: string }).title,
        detail: error.message === 'Http Exception' ? undefined : (error.getResponse() as { detail: string }).detail,
        ...(error.errors ? { errors: error.errors } : {}),
        ...error.extra,
      },
    };
  }
  if (error instanceof DomainError) {
    const status = DOMAIN_STATUS[error.kind];
    return {
      status,
      body: {
        title: TITLES[status],
        detail: error.message,
        ...(error.field ? { errors: [{ field: error.field, message: error.message }] } : {}),
      },
    };
  }
  if (error instanceof RevisionMismatchError) {
    return { status: 412, body: { title: TITLES[412], detail: error.message } };
  }
  if (error instanceof ReadModelsBehindError) {
    return { status: 503, body: { title: TITLES[503], detail: error.message }, headers: { 'Retry-After': '2' } };
  }
  if (databaseUnavailable(error)) {
    const detail = 'The database cannot be reached just now; the request was not applied. Try again shortly';
    return { status: 503, body: { title: TITLES[503], detail }, headers: { 'Retry-After': '5' } };
  }
  if (error instanceof WrongExpectedRevisionError) {
    return {
      status: 409,
      body: {
        title: TITLES[409],
        detail: 'The project was changed by someone else at the same moment; reload and try again',
      },
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? error.message);
    return {
      status,
      body: { title: TITLES[status] ?? 'Error', detail: Array.isArray(message) ? message.join('; ') : String(message) },
    };
  }
  const bodyParserError = error as { type?: string; status?: number; limit?: number };
  if (bodyParserError?.type === 'entity.too.large') {
    return {
      status: 413,
      body: { title: TITLES[413], detail: `The request body is larger than the ${bodyParserError.limit} byte limit` },
    };
  }
  if (bodyParserError?.type === 'entity.parse.failed') {
    return { status: 400, body: { title: TITLES[400], detail: 'The request body is not valid JSON' } };
  }
  if (bodyParserError?.type && bodyParserError.status && bodyParserError.status < 500) {
    return {
      status: bodyParserError.status,
      body: { title: TITLES[bodyParserError.status] ?? 'Bad request', detail: String((error as Error).message) },
    };
  }
  return {
    status: 500,
    body: { title: TITLES[500], detail: 'Something went wrong on our side; the request was not applied' },
  };
}

/** Codes of `pg` and Node for a database that went away or refuses connections for now. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300', // too_many_connections
]);

function databaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; name?: string; message?: string } | undefined;
  if (!e || typeof e !== 'object') return false;
  if (e.code && UNAVAILABLE_CODES.has(e.code)) return true;
  // EventStoreDB's client, and pg when the connection ends under a query.
  return e.name === 'UnavailableError' || /^Connection terminated|connection is closed/i.test(e.message ?? '');
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body, headers } = problemOf(error);
    if (status >= 500 && status !== 503)
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
    response
      .status(status)
      .type('application/problem+json')
      .send(JSON.stringify({ status, ...body }));
  }
}
