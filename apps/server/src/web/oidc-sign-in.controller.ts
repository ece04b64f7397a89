import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { StaffUser } from '@scope-ledger/domain';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CredentialThrottle, throttledDetail } from '../auth/credential-throttle';
import { OIDC_SIGN_IN_SECONDS, OidcIdentity, OidcSignIn, OidcSignInRefused } from '../auth/oidc-sign-in';
import { memberOf, StaffUsers } from '../auth/staff-users.service';
import { readCookie, setCookie } from './cookies';
import { sendPage } from './page-response';
import { signInRefusedPage } from './pages/oidc-sign-in.page';
import { safeReturn } from './sign-in.controller';
import { StaffSessions } from './staff-sessions';

const SINGLE_SIGN_ON_OFF = signInRefusedPage(
  404,
  'Single sign-on is off',
  'This server signs in with its own accounts only; no OIDC_ISSUER is set.',
);

/** Single sign-on: to the issuer and back, then a staff session like any other sign-in's. */
@ApiExcludeController()
@Controller('app/sign-in/oidc')
export class OidcSignInController {
  constructor(
    private readonly oidc: OidcSignIn,
    private readonly sessions: StaffSessions,
    private readonly throttle: CredentialThrottle,
    private readonly users: StaffUsers,
  ) {}

  /** The sign-in in progress: its state, which the issuer must send back unchanged. */
  private stateCookieName(): string {
    return this.sessions.secureCookies ? '__Host-sl_oidc' : 'sl_oidc';
  }

  @Get()
  async start(@Query('next') next: unknown, @Res() res: Response) {
    if (!this.oidc.settings) return sendPage(res, 404, SINGLE_SIGN_ON_OFF);
    try {
      const { url, state } = await this.oidc.start(safeReturn(next));
      setCookie(res, this.stateCookieName(), state, {
        maxAge: OIDC_SIGN_IN_SECONDS,
        secure: this.sessions.secureCookies,
      });
      res.redirect(303, url.href);
    } catch (error) {
      if (!(error instanceof OidcSignInRefused)) throw error;
      sendPage(res, error.status, signInRefusedPage(error.status, error.title, error.message));
    }
  }

  @Get('callback')
  async callback(@Req() request: Request, @Res() res: Response) {
    if (!this.oidc.settings) return sendPage(res, 404, SINGLE_SIGN_ON_OFF);
    setCookie(res, this.stateCookieName(), '', { maxAge: 0, secure: this.sessions.secureCookies });
    // The address the issuer sent the browser to, as registered there, with the answer's query.
    const callbackUrl = new URL(this.oidc.redirectUri);
    callbackUrl.search = new URL(request.originalUrl, 'http://callback').search;
    try {
      const { identity, returnTo } = await this.oidc.finish(callbackUrl, readCookie(request, this.stateCookieName()));
      const user = await this.staffFor(identity, request);
      await this.sessions.signIn(res, memberOf(user));
      res.redirect(303, returnTo ?? '/app');
    } catch (error) {
      if (!(error instanceof OidcSignInRefused)) throw error;
      if (error.countsAsFailure) {
        const throttled = await this.throttle.failed(request.ip ?? 'unknown');
        if (throttled.blocked) {
          res.setHeader('Retry-After', String(throttled.retryAfterSeconds));
          const detail = `${throttledDetail('failed sign-ins', throttled.retryAfterSeconds)}.`;
          return sendPage(res, 429, signInRefusedPage(429, 'Not signed in', detail));
        }
      }
      sendPage(res, error.status, signInRefusedPage(error.status, error.title, error.message));
    }
  }

  /**
   * The active staff user with the issuer's verified email, or a new one with OIDC_DEFAULT_ROLE when that is set.
   * A deactivated user stays out whatever the issuer says.
   */
  private async staffFor(identity: OidcIdentity, request: Request): Promise<StaffUser> {
    const existing = await this.users.findByEmail(identity.email);
    if (existing && !existing.active) {
      throw new OidcSignInRefused(
        403,
        'Not signed in',
        `The Scope Ledger account of ${identity.email} is deactivated. An administrator can reactivate it.`,
      );
    }
    const role = this.oidc.settings!.defaultRole;
    if (!existing && !role) {
      throw new OidcSignInRefused(
        403,
        'Not signed in',
        `${identity.email} has no Scope Ledger account. Ask an administrator to add you with this email address.`,
      );
    }
    // A person added here is added by single sign-on itself, on the issuer's word.
    const actor = { kind: 'system' as const, id: 'single-sign-on', name: `Single sign-on (${identity.issuer})` };
    const context = { actor, ip: request.ip, userAgent: request.get('user-agent') };
    const user = await this.users.findOrAdd({ name: identity.name, email: identity.email, role }, context);
    if (!user) throw new OidcSignInRefused(403, 'Not signed in', `${identity.email} cannot sign in.`);
    return user;
  }
}
