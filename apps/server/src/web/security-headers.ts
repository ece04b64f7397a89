import type { Response } from 'express';

/**
 * The staff pages load scripts, styles and images only from this server and never inline
 * (no style attributes either), so the strictest policy holds. Unlike the signing page they
 * embed no PDF: documents open in their own tab.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Documents (PDF, CSV) may be embedded by this server's own pages, never by another site. */
const DOCUMENT_CSP = "default-src 'none'; frame-ancestors 'self'";

/** Whether a path belongs to the staff pages (under /app). */
export function isStaffPagePath(path: string): boolean {
  return path === '/app' || path.startsWith('/app/');
}

/** The staff pages' headers: the strict policy above, no framing at all, never cached. */
export const PAGE_HEADERS: readonly (readonly [string, string])[] = [
  ['Content-Security-Policy', PAGE_CSP],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'same-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cache-Control', 'no-store'],
];

/** A document opened from the staff pages (PDF, CSV). */
export const DOCUMENT_HEADERS: readonly (readonly [string, string])[] = [
  ['Content-Security-Policy', DOCUMENT_CSP],
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['Cache-Control', 'no-store'],
];

export function setPageHeaders(res: Response): void {
  for (const [name, value] of PAGE_HEADERS) res.setHeader(name, value);
}

export function setDocumentHeaders(res: Response): void {
  for (const [name, value] of DOCUMENT_HEADERS) res.setHeader(name, value);
}
