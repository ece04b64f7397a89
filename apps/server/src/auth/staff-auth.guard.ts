import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiKeysService, StaffRole } from './api-keys.service';
import { CredentialThrottle, throttledDetail, ThrottleAnswer } from './credential-throttle';
import { StaffMember, StaffUsers } from './staff-users.service';

export const ROLES = 'scope-ledger:roles';
/** Roles allowed on a route; admin is always allowed. */
export const Roles = (...roles: StaffRole[]) => SetMetadata(ROLES, roles);

export interface StaffRequest extends Request {
  staff?: StaffMember;
}

/** The API key in "Authorization: Bearer <key>", if the request carries one. */
export function presentedApiKey(request: Request): string | undefined {
  return /^Bearer\s+(\S{8,200})$/i.exec(request.headers.authorization ?? '')?.[1];
}

@Injectable()
export class StaffAuthGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly reflector: Reflector,
    private readonly throttle: CredentialThrottle,
    private readonly users: StaffUsers,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<StaffRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const presented = presentedApiKey(request);
    if (!presented) throw new UnauthorizedException('Send an API key as "Authorization: Bearer <key>"');
    const key = await this.keys.verify(presented);
    // A key stops working with its owner: deactivated, or no longer holding the key's role.
    const staff = key && (await this.users.memberForKey(key));
    if (!staff) {
      refuseWhileBlocked(await this.throttle.failed(request.ip ?? 'unknown'), response);
      throw new UnauthorizedException('The API key is unknown or revoked');
    }
    const roles = this.reflector.getAllAndOverride<StaffRole[] | undefined>(ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (roles && staff.role !== 'admin' && !roles.includes(staff.role)) {
      throw new ForbiddenException(`This needs the ${roles.join(' or ')} role; your key has the ${staff.role} role`);
    }
    request.staff = staff;
    return true;
  }
}

/** 429 with Retry-After for an address that presented too many bad keys. */
function refuseWhileBlocked(answer: ThrottleAnswer, response: Response): void {
  if (!answer.blocked) return;
  response.setHeader('Retry-After', String(answer.retryAfterSeconds));
  throw new HttpException(throttledDetail('unknown API keys', answer.retryAfterSeconds), HttpStatus.TOO_MANY_REQUESTS);
}

/** An API controller for staff, documented under `tag`: an API key with one of `roles` (or admin) required. */
export function StaffApi(tag: string, ...roles: StaffRole[]) {
  return applyDecorators(ApiTags(tag), ApiBearerAuth(), UseGuards(StaffAuthGuard), Roles(...roles));
}
