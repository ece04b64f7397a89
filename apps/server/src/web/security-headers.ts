import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';

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

export function setPageHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', PAGE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
}

export function setDocumentHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', DOCUMENT_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
}

const DOCUMENT_PATH = /(\.pdf|\.csv|\/pdf)$/;

/**
 * Security headers for the staff pages (/app), set on every answer before the handler runs.
 * Financial pages are never cached.
 */
@Injectable()
export class SecurityHeadersInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<Request>();
      const res = context.switchToHttp().getResponse<Response>();
      const path = request.path;
      if (path === '/app' || path.startsWith('/app/')) {
        if (DOCUMENT_PATH.test(path)) setDocumentHeaders(res);
        else setPageHeaders(res);
      }
    }
    return next.handle();
  }
}
