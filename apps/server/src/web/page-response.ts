import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import { FieldError, problemOf } from '../http/problem-details.filter';
import { FormFailure } from './pages/forms';
import { Viewer } from './pages/layout';
import { PageRequest } from './staff-session.guard';
import { FormReader } from './form-reader';

export function sendPage(res: Response, status: number, body: string): void {
  res.status(status).type('text/html; charset=utf-8').send(body);
}

/** The signed-in staff member and their CSRF token (set by StaffSessionGuard). */
export const PageViewer = createParamDecorator((_: unknown, ctx: ExecutionContext): Viewer => {
  const session = ctx.switchToHttp().getRequest<PageRequest>().staffSession!;
  return { staff: session.staff, csrfToken: session.csrfToken };
});

/**
 * POST, then redirect, then GET: a form that succeeds sends the browser to `work`'s answer
 * (a URL); a refused one (400, 409, 410, 422) is shown again with its messages, with the
 * refusal's status. Anything else (not found, server errors) goes to the error page.
 */
export async function submitForm(
  res: Response,
  form: string,
  reader: FormReader,
  work: () => Promise<string>,
  showAgain: (failure: FormFailure, status: number) => Promise<void>,
): Promise<void> {
  let location: string;
  try {
    location = await work();
  } catch (error) {
    const { status, body } = problemOf(error);
    if (![400, 409, 410, 422].includes(status)) throw error;
    const errors = (body.errors as FieldError[] | undefined) ?? [];
    await showAgain({ form, values: reader.values, detail: String(body.detail ?? body.title), errors }, status);
    return;
  }
  res.redirect(303, location);
}

const REF = /^(?:CR|CO|C)-\d{1,7}$/;

/** The confirmation after a redirect: a fixed message per action, naming at most a CR/CO/card number. */
export function noticeFor(
  done: unknown,
  ref: unknown,
  messages: Record<string, (ref: string) => string>,
): string | undefined {
  if (typeof done !== 'string' || !Object.hasOwn(messages, done)) return undefined;
  return messages[done](typeof ref === 'string' && REF.test(ref) ? ref : 'It');
}
