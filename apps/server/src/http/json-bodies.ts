import type { NextFunction, Request, Response } from 'express';
import { ProblemException } from './problem-details.filter';

/** API routes that take a body other than JSON on purpose: a PDF to check, raw or as a multipart upload. */
const OTHER_BODIES = ['/api/verify'];

/**
 * The API reads only JSON bodies: one sent as text/plain or a form would otherwise be ignored and the
 * command applied as if its fields were left out, so it is refused (415) before anything runs.
 */
export function jsonBodiesOnly(request: Request, _response: Response, next: NextFunction): void {
  const path = request.originalUrl.split('?')[0].toLowerCase();
  const otherBody = OTHER_BODIES.some((route) => path === route || path.startsWith(`${route}/`));
  if (otherBody || !hasBody(request) || request.is('application/json')) return next();
  const type = request.headers['content-type']?.slice(0, 100);
  const sent = type ? `Content-Type ${type}` : 'no Content-Type';
  const detail = `The request body must be JSON sent with Content-Type: application/json (it came with ${sent})`;
  next(new ProblemException(415, 'Unsupported media type', detail, [{ field: 'body', message: detail }]));
}

/** A body is announced by its length (more than none) or by chunked transfer. */
function hasBody(request: Request): boolean {
  if (request.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(request.headers['content-length'] ?? 0);
  return Number.isFinite(length) && length > 0;
}
