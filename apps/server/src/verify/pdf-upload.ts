import {
  ArgumentsHost,
  CallHandler,
  Catch,
  ExceptionFilter,
  ExecutionContext,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import express, { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { CompanySettingsService } from '../company/company-settings.service';
import { ProblemDetailsFilter, ProblemException, problemOf } from '../http/problem-details.filter';
import { verifyProblemPage } from './verify-page';

/** The largest PDF anyone may upload to be checked. */
export const MAX_PDF_BYTES = 20 * 1024 * 1024;
const MAX_PDF_SIZE = '20 MB';

const rawPdf = express.raw({ type: 'application/pdf', limit: MAX_PDF_BYTES });

/**
 * Takes a PDF sent as the body (application/pdf) into `request.body`, and lets multipart/form-data
 * through to multer; anything else is refused with 415.
 */
@Injectable()
export class RawPdfBody implements NestInterceptor {
  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    if (request.is('application/pdf')) {
      await new Promise<void>((resolve, reject) =>
        rawPdf(request, http.getResponse<Response>(), (error?: unknown) => (error ? reject(error) : resolve())),
      );
    } else if (!request.is('multipart/form-data')) {
      throw new ProblemException(
        415,
        'Unsupported media type',
        'Send the PDF as the request body with Content-Type: application/pdf, ' +
          'or as the field "file" of a multipart/form-data upload',
      );
    }
    return next.handle();
  }
}

/** multer keeps the one file of the field "file" in memory. */
export const MultipartPdf = FileInterceptor('file', { limits: { fileSize: MAX_PDF_BYTES, files: 1 } });

/** What multer hands the route of the file it kept (the fields used here). */
export interface UploadedPdfFile {
  readonly buffer: Buffer;
}

/** The PDF of either kind of upload. */
export function uploadedPdf(request: Request, file: UploadedPdfFile | undefined): Buffer {
  const pdf = file?.buffer ?? (Buffer.isBuffer(request.body) ? request.body : undefined);
  if (!pdf || pdf.length === 0) {
    const message = 'file is missing: choose the PDF to check';
    throw new ProblemException(400, 'Invalid request', message, [{ field: 'file', message }]);
  }
  return pdf;
}

/** Whether the answer should be the page (the form posts from a browser) rather than JSON. */
export function wantsPage(request: Request): boolean {
  return request.accepts(['json', 'html']) === 'html';
}

/**
 * Problems of the check: a page for the browser's form, problem+json for the API. Both body
 * parsers' size errors get one message.
 */
@Catch()
export class VerifyProblemFilter implements ExceptionFilter {
  private readonly json = new ProblemDetailsFilter();

  constructor(private readonly company: CompanySettingsService) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const problem = problemOf(error);
    const tooLarge = problem.status === 413;
    const failure = tooLarge
      ? new ProblemException(413, 'Payload too large', `The PDF is larger than the ${MAX_PDF_SIZE} limit`)
      : error;
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    if (!wantsPage(request) || problem.status >= 500 || response.headersSent) return this.json.catch(failure, host);
    const { status, body } = problemOf(failure);
    response
      .status(status)
      .type('text/html; charset=utf-8')
      .setHeader('Cache-Control', 'no-store')
      // The name as last read: a filter answers at once, without a query.
      .send(verifyProblemPage(this.company.lastMailIdentity().mspName, String(body.title), String(body.detail ?? '')));
  }
}
