import type { Response } from 'express';

/**
 * The staff pages load scripts, styles and images only from this server and never inline
 * (no style attributes either), so the strictest policy holds. An error answered as a page
 * on a document's path (PDF, CSV) needs it too: the document's policy would block its styles.
 */
const PAGE_HEADERS: readonly (readonly [string, string])[] = [
  [
    'Content-Security-Policy',
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; " +
      "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  ],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'same-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cache-Control', 'no-store'],
];

export function setPageHeaders(res: Response): void {
  for (const [name, value] of PAGE_HEADERS) res.setHeader(name, value);
}
