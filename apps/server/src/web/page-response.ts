import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import { FieldError, problemOf } from '../http/problem-details.filter';
import { FormReader } from './form-reader';
import { FormFailure } from './pages/forms';
import { Viewer } from './pages/layout';
import { PageRequest, viewerOf } from './staff-session.guard';

export function sendPage(res: Response, status: number, body: string): void {
  res.status(status).type('text/html; charset=utf-8').send(body);
}

/** The signed-in staff member and their CSRF token (set by StaffSessionGuard). */
export const PageViewer = createParamDecorator((_: unknown, ctx: ExecutionContext): Viewer =>
  viewerOf(ctx.switchToHttp().getRequest<PageRequest>())!,
);

/** A refused form, to show again with its messages, and the refusal's status. */
export interface Refusal {
  status: number;
  failure: FormFailure;
}

/**
 * Post, redirect, get: success redirects to `work`'s URL; a refusal (400, 409, 410, 412 for a form saved over a
 * newer version, 422) comes back to be shown.
 */
export async function submitForm(
  res: Response,
  form: string,
  body: unknown,
  work: (reader: FormReader) => Promise<string>,
): Promise<Refusal | undefined> {
  const reader = new FormReader(body);
  let location: string;
  try {
    location = await work(reader);
  } catch (error) {
    const { status, body: problem } = problemOf(error);
    if (![400, 409, 410, 412, 422].includes(status)) throw error;
    const errors = (problem.errors as FieldError[] | undefined) ?? [];
    return {
      status,
      failure: { form, values: reader.values, detail: String(problem.detail ?? problem.title), errors },
    };
  }
  res.redirect(303, location);
}

/** A request, order, card or client dependency as people name it; an order may carry its revision: "CO-2 R1". */
const REF = /^(?:CR|CO|C|DEP)-\d{1,7}(?: R\d{1,4})?$/;

/** The confirmation after a redirect: a fixed message per action, naming at most a CR/CO/card number. */
export function noticeFor(
  query: Record<string, unknown>,
  messages: Record<string, (ref: string) => string>,
): string | undefined {
  const { done, ref } = query;
  if (typeof done !== 'string' || !Object.hasOwn(messages, done)) return undefined;
  return messages[done](typeof ref === 'string' && REF.test(ref) ? ref : 'It');
}
