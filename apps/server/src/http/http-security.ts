import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { DOCUMENT_HEADERS, isStaffPagePath, PAGE_HEADERS } from '../web/security-headers';

/** A document (the change-order PDF) may be embedded by this server's own signing page. */
const DOCUMENT_PATH = /(\.pdf|\/pdf)$/;
/** The staff pages' documents: PDFs and the finance CSV exports. */
const STAFF_DOCUMENT_PATH = /(\.pdf|\.csv|\/pdf)$/;

type HeaderList = readonly (readonly [string, string])[];

/**
 * Security headers for every answer. The policy fits the signing page: its script, styles and
 * images come from this server (the drawn signature is a data: URL), and it embeds its own PDF
 * in an <object>. Nothing may frame the pages; only our own pages may frame a document. The
 * staff pages under /app get a stricter policy of their own (see web/security-headers.ts).
 *
 * helmet says which headers and values; they depend only on the path, so they are worked out
 * once for each kind of path at start-up and each answer only copies its list.
 */
export function securityHeaders(): RequestHandler {
  const api = helmetHeaders(false);
  const apiDocument = helmetHeaders(true);
  const page = withOverrides(api, PAGE_HEADERS);
  const staffDocument = withOverrides(apiDocument, DOCUMENT_HEADERS);
  return (request, response, next) => {
    const path = request.path;
    const headers = isStaffPagePath(path)
      ? STAFF_DOCUMENT_PATH.test(path)
        ? staffDocument
        : page
      : DOCUMENT_PATH.test(path)
        ? apiDocument
        : api;
    for (let i = 0; i < headers.length; i++) response.setHeader(headers[i][0], headers[i][1]);
    next();
  };
}

function helmetHeaders(document: boolean): HeaderList {
  const middleware = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        objectSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: [document ? "'self'" : "'none'"],
        // Servers often run on plain HTTP inside a network; upgrading would break every asset.
        upgradeInsecureRequests: null,
      },
    },
    // Signing links carry their token in the path: no referrer may leak it.
    referrerPolicy: { policy: 'no-referrer' },
  });
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string | number) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  let finished = false;
  middleware({ url: '/' } as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  if (!finished) throw new Error('helmet did not set its headers synchronously');
  return [...headers];
}

/** The list with some headers replaced (compared without regard to case) or added. */
function withOverrides(headers: HeaderList, overrides: HeaderList): HeaderList {
  const replaced = new Set(overrides.map(([name]) => name.toLowerCase()));
  return [...headers.filter(([name]) => !replaced.has(name.toLowerCase())), ...overrides];
}
