import type { NextFunction, Request, RequestHandler, Response } from 'express';

const WINDOW_MS = 60_000;
/** Beyond this many addresses in one window, new ones share one budget (memory stays bounded). */
const MAX_TRACKED_ADDRESSES = 50_000;

/** Per client address and minute: enough to read, sign and download, far too little to guess tokens. Per process. */
export function signingRateLimit(perMinute: number, clock: () => number = Date.now): RequestHandler {
  return addressRateLimit(perMinute, 'signing links', clock);
}

/** Per client address and minute on the public document check, which reads and hashes uploads of up to 20 MB. */
export function verifyRateLimit(perMinute: number, clock: () => number = Date.now): RequestHandler {
  return addressRateLimit(perMinute, 'the document check', clock);
}

function addressRateLimit(perMinute: number, what: string, clock: () => number): RequestHandler {
  let windowStart = clock();
  const counts = new Map<string, number>();
  return (request: Request, response: Response, next: NextFunction) => {
    const now = clock();
    if (now - windowStart >= WINDOW_MS) {
      windowStart = now;
      counts.clear();
    }
    const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    const bucket = counts.has(address) || counts.size < MAX_TRACKED_ADDRESSES ? address : 'overflow';
    const count = (counts.get(bucket) ?? 0) + 1;
    counts.set(bucket, count);
    if (count <= perMinute) return next();
    const retryAfter = Math.max(1, Math.ceil((windowStart + WINDOW_MS - now) / 1000));
    const detail = `Too many requests to ${what} from your address; try again in ${retryAfter} seconds`;
    response.status(429).setHeader('Retry-After', String(retryAfter));
    response.type('application/problem+json').send(JSON.stringify({ status: 429, title: 'Too many requests', detail }));
  };
}
