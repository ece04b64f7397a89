import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** A document (the change-order PDF) may be embedded by this server's own signing page. */
const DOCUMENT_PATH = /(\.pdf|\/pdf)$/;

/**
 * Security headers for every answer. The policy fits the signing page: its script, styles and
 * images come from this server (the drawn signature is a data: URL), and it embeds its own PDF
 * in an <object>. Nothing may frame the pages; only our own pages may frame a document.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        objectSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: [(request: IncomingMessage) => (DOCUMENT_PATH.test((request.url ?? '').split('?')[0]) ? "'self'" : "'none'")],
        // Servers often run on plain HTTP inside a network; upgrading would break every asset.
        upgradeInsecureRequests: null,
      },
    },
    // Signing links carry their token in the path: no referrer may leak it.
    referrerPolicy: { policy: 'no-referrer' },
  });
}
