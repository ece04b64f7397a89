import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { invalid } from '@scope-ledger/domain';
import { memberOf, StaffUsers } from '../auth/staff-users.service';
import { problemOf } from '../http/problem-details.filter';
import { readCookie, setCookie } from './cookies';
import { FormReader } from './form-reader';
import { sendPage } from './page-response';
import { errorPage } from './pages/layout';
import { FormFailure, valuesOf } from './pages/forms';
import { setPasswordPage, setupPage } from './pages/setup.page';
import { SIGN_IN_FORM_SECONDS, StaffSessions } from './staff-sessions';

const FORM_EXPIRED = 'This form has expired or did not come from Scope Ledger. Open the page again.';

/**
 * Pages for people without a session: the first start's setup, which creates the owner account and closes once an
 * active admin exists, and the one-time links that let a new user choose a password. Both forms are bound to a
 * single-use nonce, like the sign-in form.
 */
@ApiExcludeController()
@Controller()
export class SetupController {
  constructor(
    private readonly users: StaffUsers,
    private readonly sessions: StaffSessions,
  ) {}

  /** The address the first start's log names. */
  @Get('setup')
  setupLink(@Res() res: Response) {
    res.redirect(303, '/app/setup');
  }

  @Get('app/setup')
  async setupForm(@Res() res: Response) {
    if (await this.users.hasActiveAdmin()) return res.redirect(303, '/app');
    this.showForm(res, 200, (csrfToken) => setupPage({ csrfToken }));
  }

  @Post('app/setup')
  async setup(@Body() body: unknown, @Req() request: Request, @Res() res: Response) {
    if (await this.users.hasActiveAdmin()) return res.redirect(303, '/app');
    if (!(await this.formIsFresh(body, request, res))) return;
    const form = new FormReader(body);
    try {
      const password = samePasswordTwice(form);
      const owner = await this.users.createOwner(
        { name: form.text('name'), email: form.text('email'), password },
        { ip: request.ip ?? 'unknown', userAgent: String(request.headers['user-agent'] ?? 'unknown').slice(0, 500) },
      );
      await this.sessions.signIn(res, memberOf(owner));
      res.redirect(303, '/app');
    } catch (error) {
      const failure = refusedForm('setup', form, error);
      this.showForm(res, failure.status, (csrfToken) => setupPage({ csrfToken, failure: failure.failure }));
    }
  }

  @Get('app/set-password')
  async setPasswordForm(@Query('token') token: unknown, @Res() res: Response) {
    const link = typeof token === 'string' ? token : '';
    const user = await this.users.passwordLinkUser(link);
    if (!user) return this.linkGone(res);
    this.showForm(res, 200, (csrfToken) => setPasswordPage({ csrfToken, token: link, ...user }));
  }

  @Post('app/set-password')
  async setPassword(@Body() body: unknown, @Req() request: Request, @Res() res: Response) {
    if (!(await this.formIsFresh(body, request, res))) return;
    const form = new FormReader(body);
    const token = form.text('token');
    const user = await this.users.passwordLinkUser(token);
    if (!user) return this.linkGone(res);
    try {
      const signedIn = await this.users.usePasswordLink(token, samePasswordTwice(form));
      if (!signedIn) return this.linkGone(res);
      await this.sessions.signIn(res, memberOf(signedIn));
      res.redirect(303, '/app');
    } catch (error) {
      const failure = refusedForm('set-password', form, error);
      const page = (csrfToken: string) => setPasswordPage({ csrfToken, token, ...user, failure: failure.failure });
      this.showForm(res, failure.status, page);
    }
  }

  private linkGone(res: Response) {
    const detail = 'This link was already used, has expired, or its user was deactivated. Ask an admin for a new one.';
    sendPage(res, 410, errorPage(undefined, 410, 'Link no longer valid', detail));
  }

  /** Each showing binds its CSRF token to a fresh nonce in a short-lived cookie, as the sign-in form does. */
  private showForm(res: Response, status: number, page: (csrfToken: string) => string) {
    const nonce = this.sessions.newSignInNonce();
    const cookie = { maxAge: SIGN_IN_FORM_SECONDS, secure: this.sessions.secureCookies };
    setCookie(res, this.sessions.signInCookieName, nonce, cookie);
    sendPage(res, status, page(this.sessions.signInCsrfToken(nonce)));
  }

  private async formIsFresh(body: unknown, request: Request, res: Response): Promise<boolean> {
    const nonce = readCookie(request, this.sessions.signInCookieName);
    const csrf = (body as Record<string, unknown> | undefined)?._csrf;
    if (this.sessions.signInCsrfMatches(nonce, csrf) && (await this.sessions.useSignInNonce(nonce!))) return true;
    sendPage(res, 403, errorPage(undefined, 403, 'Form expired', FORM_EXPIRED));
    return false;
  }
}

/** The password typed twice, the same both times. */
export function samePasswordTwice(form: FormReader, name = 'password'): string {
  // Passwords as typed: spaces count.
  const password = valuesOf(form.values, name)[0] ?? '';
  if (password !== (valuesOf(form.values, `${name}Again`)[0] ?? ''))
    throw invalid('The two passwords differ; type the same password twice', `${name}Again`);
  return password;
}

/** A refused form to show again, without the passwords typed into it. */
export function refusedForm(id: string, form: FormReader, error: unknown): { status: number; failure: FormFailure } {
  const { status, body } = problemOf(error);
  if (![400, 409, 422].includes(status)) throw error;
  const values = Object.fromEntries(Object.entries(form.values).filter(([name]) => !/password/i.test(name)));
  const errors = (body.errors as { field: string; message: string }[] | undefined) ?? [];
  return { status, failure: { form: id, values, detail: String(body.detail ?? body.title), errors } };
}
