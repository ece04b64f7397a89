import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { problemOf } from '../http/problem-details.filter';
import { staffPage } from '../http/security-headers';
import { errorPage } from './pages/layout';
import { sendPage } from './page-response';
import { PageRequest, SignInRequired, viewerOf } from './staff-session.guard';

const TITLES: Record<number, string> = {
  403: 'Not allowed',
  404: 'Not found',
  409: 'That could not be done',
  410: 'No longer available',
};

/** Errors on staff pages answer as pages: sign-in when the session is missing, a readable page otherwise. */
@Catch()
export class StaffPageErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('StaffPages');

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<PageRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    staffPage(request, res, () => undefined);
    if (error instanceof SignInRequired) {
      const returnTo = error.returnTo === '/app' ? '' : `?next=${encodeURIComponent(error.returnTo)}`;
      res.redirect(303, `/app/sign-in${returnTo}`);
      return;
    }
    const { status, body } = problemOf(error);
    if (status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    const title = TITLES[status] ?? String(body.title ?? 'Error');
    const detail =
      status >= 500
        ? 'Something went wrong on our side; nothing was changed. Try again in a moment.'
        : String(body.detail ?? body.title ?? '');
    sendPage(res, status, errorPage(viewerOf(request), status, title, detail));
  }
}
