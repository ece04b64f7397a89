import { Body, Controller, Get, Header, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiKeysService } from '../auth/api-keys.service';
import { CredentialThrottle, throttledDetail } from '../auth/credential-throttle';
import { memberOf, StaffUsers } from '../auth/staff-users.service';
import { OidcSignIn } from '../auth/oidc-sign-in';
import { readCookie, setCookie } from './cookies';
import { signInPage } from './pages/sign-in.page';
import { errorPage } from './pages/layout';
import { sendPage } from './page-response';
import { FORM_EXPIRED } from './staff-session.guard';
import { SIGN_IN_FORM_SECONDS, StaffSessions } from './staff-sessions';
import { ASSETS } from '../http/assets';

/** Only pages under /app are valid places to return to after signing in. */
export function safeReturn(next: unknown): string | undefined {
  return typeof next === 'string' && /^\/app(?:[/?#][^\\\s]*)?$/.test(next) && !next.includes('//') ? next : undefined;
}

type SignInFormArgs = Omit<Parameters<typeof signInPage>[0], 'csrfToken' | 'singleSignOn'>;

function textOf(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** Signing in with an email and password or an API key, signing out, and the pages' script. */
@ApiExcludeController()
@Controller()
export class SignInController {
  constructor(
    private readonly sessions: StaffSessions,
    private readonly keys: ApiKeysService,
    private readonly throttle: CredentialThrottle,
    private readonly users: StaffUsers,
    private readonly oidc: OidcSignIn,
  ) {}

  @Get('app/sign-in')
  async form(
    @Query('next') next: unknown,
    @Query('signed-out') signedOut: unknown,
    @Req() request: Request,
    @Res() res: Response,
  ) {
    const session = await this.sessions.find(readCookie(request, this.sessions.cookieName));
    if (session) return res.redirect(303, safeReturn(next) ?? '/app');
    this.showForm(res, 200, { next: safeReturn(next), notice: signedOut === '1' ? 'You are signed out.' : undefined });
  }

  @Post('app/sign-in')
  async signIn(@Body() body: Record<string, unknown>, @Req() request: Request, @Res() res: Response) {
    const next = safeReturn(body?.next);
    const nonce = readCookie(request, this.sessions.signInCookieName);
    if (!this.sessions.signInCsrfMatches(nonce, body?._csrf)) {
      const detail = 'This form has expired or did not come from Scope Ledger. Open the sign-in page again.';
      return sendPage(res, 403, errorPage(undefined, 403, 'Sign-in form expired', detail));
    }
    if (!(await this.sessions.useSignInNonce(nonce!))) {
      const error = 'This sign-in form was already sent, or is over an hour old. Sign in again.';
      return this.showForm(res, 403, { next, error, email: textOf(body?.email) });
    }
    const key = textOf(body?.key);
    const staff = key
      ? await this.keyHolder(key, request, res, next)
      : await this.accountHolder(body, request, res, next);
    if (!staff) return;
    await this.sessions.signIn(res, staff);
    res.redirect(303, next ?? '/app');
  }

  /** Who the API key acts as; otherwise the form again, refused (and the address's failures counted). */
  private async keyHolder(key: string, request: Request, res: Response, next?: string) {
    const found = key.length >= 8 && key.length <= 200 ? await this.keys.verify(key) : undefined;
    const staff = found && (await this.users.memberForKey(found));
    if (staff) return staff;
    const throttled = await this.throttle.failed(request.ip ?? 'unknown');
    if (throttled.blocked) return this.showThrottled(res, throttled.retryAfterSeconds, { next, method: 'key' });
    this.showForm(res, 401, { next, method: 'key', error: 'This API key is unknown or has been revoked.' });
  }

  /**
   * The user with this email, password and (when they enrolled one) authenticator code. Failures count against
   * the account and the address; an account at its limit is refused even with the right password until the
   * window ends.
   */
  private async accountHolder(body: Record<string, unknown>, request: Request, res: Response, next?: string) {
    const email = textOf(body?.email);
    const password = typeof body?.password === 'string' ? body.password : '';
    const code = textOf(body?.code).replace(/\s/g, '');
    if (!email || !password) {
      return void this.showForm(res, 401, { next, email, error: 'Enter your email and password, or an API key.' });
    }
    const account = await this.throttle.accountBlocked(email);
    if (account.blocked) {
      return this.showThrottled(res, account.retryAfterSeconds, { next, email }, 'for this account');
    }
    const user = await this.users.verifyPassword(email, password);
    const needsCode = user ? await this.users.totpRequired(user.userId) : false;
    if (user && (!needsCode || (await this.users.checkTotp(user.userId, code)))) {
      await this.throttle.accountSucceeded(email);
      return memberOf(user);
    }
    await this.throttle.accountFailed(email);
    const throttled = await this.throttle.failed(request.ip ?? 'unknown');
    if (throttled.blocked) return this.showThrottled(res, throttled.retryAfterSeconds, { next, email });
    const error = !user
      ? 'The email or password is wrong.'
      : code
        ? 'This authenticator code is wrong or was already used; wait for the next one.'
        : 'Enter the 6-digit code your authenticator app shows.';
    this.showForm(res, 401, { next, email, error });
  }

  @Post('app/sign-out')
  async signOut(@Body() body: Record<string, unknown>, @Req() request: Request, @Res() res: Response) {
    const session = await this.sessions.find(readCookie(request, this.sessions.cookieName));
    if (session) {
      if (!this.sessions.sessionCsrfMatches(session, body?._csrf)) {
        return sendPage(res, 403, errorPage(undefined, 403, 'Not signed out', FORM_EXPIRED));
      }
      await this.sessions.end(session.id);
    }
    setCookie(res, this.sessions.cookieName, '', { maxAge: 0, secure: this.sessions.secureCookies });
    res.redirect(303, '/app/sign-in?signed-out=1');
  }

  @Get('assets/app.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  script() {
    return ASSETS.appJs;
  }

  /** Each showing of the form binds its CSRF token to a fresh nonce in a short-lived cookie. */
  private showForm(res: Response, status: number, args: SignInFormArgs) {
    const nonce = this.sessions.newSignInNonce();
    const cookie = { maxAge: SIGN_IN_FORM_SECONDS, secure: this.sessions.secureCookies };
    setCookie(res, this.sessions.signInCookieName, nonce, cookie);
    const singleSignOn = this.oidc.settings?.buttonLabel;
    sendPage(res, status, signInPage({ csrfToken: this.sessions.signInCsrfToken(nonce), singleSignOn, ...args }));
  }

  /** Too many failures from this address or for this account: the form again, with how long to wait. */
  private showThrottled(
    res: Response,
    retryAfterSeconds: number,
    args: SignInFormArgs,
    from = 'from your address',
  ): undefined {
    res.setHeader('Retry-After', String(retryAfterSeconds));
    this.showForm(res, 429, { ...args, error: `${throttledDetail('failed sign-ins', retryAfterSeconds, from)}.` });
    return undefined;
  }
}
