import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { StaffRole } from '../auth/api-keys.service';
import { ROLES, StaffRequest } from '../auth/staff-auth.guard';
import { readCookie } from './cookies';
import { Viewer } from './pages/layout';
import { StaffSession, StaffSessions } from './staff-sessions';

export interface PageRequest extends StaffRequest {
  staffSession?: StaffSession;
}

/** The signed-in staff member and their CSRF token, once the guard has found the session. */
export function viewerOf(request: PageRequest): Viewer | undefined {
  const session = request.staffSession;
  return session && { staff: session.staff, csrfToken: session.csrfToken };
}

/** No session: the error filter sends the browser to the sign-in page, then back here. */
export class SignInRequired extends Error {
  constructor(readonly returnTo: string) {
    super('Sign in to continue');
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

export const FORM_EXPIRED = 'This form has expired or did not come from Scope Ledger. Reload the page and try again.';

/** Staff pages need a session (setting request.staff as the API's guard does), its CSRF token on posts, and @Roles. */
@Injectable()
export class StaffSessionGuard implements CanActivate {
  constructor(
    private readonly sessions: StaffSessions,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<PageRequest>();
    const session = await this.sessions.find(readCookie(request, this.sessions.cookieName));
    if (!session) throw new SignInRequired(SAFE_METHODS.has(request.method) ? request.originalUrl : '/app');
    request.staff = session.staff;
    request.staffSession = session;
    if (!SAFE_METHODS.has(request.method)) {
      const body = request.body as Record<string, unknown> | undefined;
      const token = body?._csrf ?? request.headers['x-csrf-token'];
      if (!this.sessions.sessionCsrfMatches(session, token)) throw new ForbiddenException(FORM_EXPIRED);
    }
    const roles = this.reflector.getAllAndOverride<StaffRole[] | undefined>(ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (roles && session.staff.role !== 'admin' && !roles.includes(session.staff.role)) {
      throw new ForbiddenException(
        `This page needs the ${roles.join(' or ')} role; you are signed in as ${session.staff.role}.`,
      );
    }
    return true;
  }
}
