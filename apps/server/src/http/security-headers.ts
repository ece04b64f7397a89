import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** The staff pages under /app. */
export function isStaffPagePath(path: string): boolean {
  return path === '/app' || path.startsWith('/app/');
}

const DOCUMENT_PATH = /(\.pdf|\/pdf)$/;
const STAFF_DOCUMENT_PATH = /(\.pdf|\.csv|\/pdf)$/;

/**
 * helmet's headers. The API and signing page: everything from this server (a drawn signature is a data:
 * URL), no framing but of their PDFs by our page, no referrer to leak a token. The staff pages are
 * never cached and inline nothing; only our pages may frame their documents (PDF, CSV).
 */
export function securityHeaders(): RequestHandler {
  const api = helmet(apiOptions("'none'"));
  const apiDocument = helmet(apiOptions("'self'"));
  const staffDocument = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'self'"] } },
    referrerPolicy: { policy: 'no-referrer' },
  });
  return (request, response, next) => {
    if (!isStaffPagePath(request.path))
      return (DOCUMENT_PATH.test(request.path) ? apiDocument : api)(request, response, next);
    response.setHeader('Cache-Control', 'no-store');
    return (STAFF_DOCUMENT_PATH.test(request.path) ? staffDocument : staffPage)(request, response, next);
  };
}

/** The staff pages' headers, also for an error page on a document's path (whose policy would block its styles). */
export const staffPage: RequestHandler = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'same-origin' },
});

function apiOptions(frameAncestors: string): Parameters<typeof helmet>[0] {
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        objectSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: [frameAncestors],
        // Servers often run on plain HTTP inside a network; upgrading would break every asset.
        upgradeInsecureRequests: null,
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  };
}
