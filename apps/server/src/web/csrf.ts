import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Synchronizer tokens: an HMAC of what the form is bound to (the staff session, or the
 * sign-in attempt before there is one). A page from another site can make the browser send
 * the cookie but cannot read the page, so it never learns the token.
 */
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
