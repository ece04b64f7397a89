import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiKeysService, StaffKey, StaffRole } from './api-keys.service';

export const ROLES = 'scope-ledger:roles';
/** Roles allowed on a route; admin is always allowed. */
export const Roles = (...roles: StaffRole[]) => SetMetadata(ROLES, roles);

export interface StaffRequest extends Request {
  staff?: StaffKey;
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
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<StaffRequest>();
    const presented = presentedApiKey(request);
    if (!presented) throw new UnauthorizedException('Send an API key as "Authorization: Bearer <key>"');
    const staff = await this.keys.verify(presented);
    if (!staff) throw new UnauthorizedException('The API key is unknown or revoked');
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

/** An API controller for staff, documented under `tag`: an API key with one of `roles` (or admin) required. */
export function StaffApi(tag: string, ...roles: StaffRole[]) {
  return applyDecorators(ApiTags(tag), ApiBearerAuth(), UseGuards(StaffAuthGuard), Roles(...roles));
}
