import { createHmac, timingSafeEqual } from 'node:crypto';

/** Synchronizer token: an HMAC of the session (or sign-in attempt) a form belongs to, which other sites cannot read. */
export function csrfToken(key: Buffer, binding: string): string {
  return createHmac('sha256', key).update(`csrf:${binding}`).digest('base64url');
}

export function csrfMatches(key: Buffer, binding: string, presented: unknown): boolean {
  if (typeof presented !== 'string' || presented.length === 0 || presented.length > 100) return false;
  const expected = Buffer.from(csrfToken(key, binding));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The CSRF key is derived from the server secret, so it survives restarts and is the same on every server. */
export function deriveCsrfKey(serverSecret: Buffer): Buffer {
  return createHmac('sha256', serverSecret).update('scope-ledger/staff-pages/csrf/v1').digest();
}
