import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { TimeStampUnavailableError } from '@scope-ledger/documents';
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
  ) {
    super({ title, detail, errors }, status);
  }
}

/** 400 naming every field at fault. */
export function invalidRequest(errors: FieldError[]): ProblemException {
  return new ProblemException(400, 'Invalid request', errors.map((e) => e.message).join('; '), errors);
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

type Problem = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };

/** A problem with the usual title for its status. */
function problem(status: number, detail: string, headers?: Record<string, string>): Problem {
  return { status, body: { title: TITLES[status], detail }, headers };
}

export function problemOf(error: unknown): Problem {
  if (error instanceof ProblemException) {
    return { status: error.getStatus(), body: error.getResponse() as Record<string, unknown> };
  }
  if (error instanceof DomainError) {
    const { status, body } = problem(DOMAIN_STATUS[error.kind], error.message);
    const errors = error.field ? [{ field: error.field, message: error.message }] : undefined;
    return { status, body: { ...body, errors } };
  }
  if (error instanceof RevisionMismatchError) return problem(412, error.message);
  if (error instanceof ReadModelsBehindError) return problem(503, error.message, { 'Retry-After': '2' });
  if (error instanceof TimeStampUnavailableError) {
    return problem(503, `${error.message}; nothing was signed. Try again shortly`, { 'Retry-After': '30' });
  }
  if (databaseUnavailable(error)) {
    const detail = 'The database cannot be reached just now; the request was not applied. Try again shortly';
    return problem(503, detail, { 'Retry-After': '5' });
  }
  if (error instanceof WrongExpectedRevisionError) {
    return problem(409, 'The project was changed by someone else at the same moment; reload and try again');
  }
  // Nest hands on the body parser's JSON errors wrapped in a 400, with the parser's error as the cause.
  if (error instanceof HttpException && (error.cause as { type?: string } | undefined)?.type === 'entity.parse.failed')
    return notJson(error.cause as Error);
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
  // Errors of the body parser.
  const { type, status, limit } = (error ?? {}) as { type?: string; status?: number; limit?: number };
  if (type === 'entity.too.large') return problem(413, `The request body is larger than the ${limit} byte limit`);
  if (type === 'entity.parse.failed') return notJson(error as Error);
  if (type && status && status < 500) {
    return { status, body: { title: TITLES[status] ?? 'Bad request', detail: String((error as Error).message) } };
  }
  return problem(500, 'Something went wrong on our side; the request was not applied');
}

/** Malformed JSON: where it breaks, as a character count from the start of the body (never the body's text). */
function notJson(error: Error): Problem {
  const position = /at position (\d+)/.exec(error.message)?.[1];
  const where = position === undefined ? '' : ` (it breaks at character ${Number(position) + 1})`;
  const detail = `The request body is not valid JSON${where}`;
  const { status, body } = problem(400, detail);
  return { status, body: { ...body, errors: [{ field: 'body', message: detail }] } };
}

/** Node's codes for a connection refused or lost. */
const CONNECTION_LOST = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'];
/** PostgreSQL's: shutting down or starting up (57P0x), connection exceptions (08xxx), too many connections. */
const DATABASE_AWAY = ['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300'];
const UNAVAILABLE_CODES = new Set([...CONNECTION_LOST, ...DATABASE_AWAY]);

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
