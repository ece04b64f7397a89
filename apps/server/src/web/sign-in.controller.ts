import { Body, Controller, Get, Header, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiKeysService } from '../auth/api-keys.service';
import { CredentialThrottle, throttledDetail } from '../auth/credential-throttle';
import { readCookie, setCookie } from './cookies';
import { signInPage } from './pages/sign-in.page';
import { errorPage } from './pages/layout';
import { sendPage } from './page-response';
import { FORM_EXPIRED } from './staff-session.guard';
import { SESSION_HOURS, SIGN_IN_FORM_SECONDS, StaffSessions } from './staff-sessions';
import { ASSETS } from '../http/assets';

/** Only pages under /app are valid places to return to after signing in. */
function safeReturn(next: unknown): string | undefined {
  return typeof next === 'string' && /^\/app(?:[/?#][^\\\s]*)?$/.test(next) && !next.includes('//') ? next : undefined;
}

/** Signing in with an API key, signing out, and the pages' script. */
@ApiExcludeController()
@Controller()
export class SignInController {
  constructor(
    private readonly sessions: StaffSessions,
    private readonly keys: ApiKeysService,
    private readonly throttle: CredentialThrottle,
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
      const error = 'This sign-in form was already sent, or is over an hour old. Enter your API key again.';
      return this.showForm(res, 403, { next, error });
    }
    const key = typeof body?.key === 'string' ? body.key.trim() : '';
    if (!key) return this.showForm(res, 401, { next, error: 'Enter your API key.' });
    const staff = key.length >= 8 && key.length <= 200 ? await this.keys.verify(key) : undefined;
    if (!staff) {
      const throttled = await this.throttle.failed(request.ip ?? 'unknown');
      if (throttled.blocked) return this.showThrottled(res, throttled.retryAfterSeconds, next);
      return this.showForm(res, 401, { next, error: 'This API key is unknown or has been revoked.' });
    }
    const session = await this.sessions.start(staff);
    setCookie(res, this.sessions.signInCookieName, '', { maxAge: 0, secure: this.sessions.secureCookies });
    setCookie(res, this.sessions.cookieName, session.id, {
      maxAge: SESSION_HOURS * 3600,
      secure: this.sessions.secureCookies,
    });
    res.redirect(303, next ?? '/app');
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
  private showForm(res: Response, status: number, args: { next?: string; error?: string; notice?: string }) {
    const nonce = this.sessions.newSignInNonce();
    const cookie = { maxAge: SIGN_IN_FORM_SECONDS, secure: this.sessions.secureCookies };
    setCookie(res, this.sessions.signInCookieName, nonce, cookie);
    sendPage(res, status, signInPage({ csrfToken: this.sessions.signInCsrfToken(nonce), ...args }));
  }

  /** Too many failures from this address: the form again, with how long to wait. */
  private showThrottled(res: Response, retryAfterSeconds: number, next?: string) {
    res.setHeader('Retry-After', String(retryAfterSeconds));
    this.showForm(res, 429, { next, error: `${throttledDetail('failed sign-ins', retryAfterSeconds)}.` });
  }
}
