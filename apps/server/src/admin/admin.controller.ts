import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { roleCovers } from '@scope-ledger/domain';
import { ChainVerification, formatPosition } from '@scope-ledger/event-store';
import { Platform, verifyAuditTrail } from '@scope-ledger/platform';
import { ApiKeysService, STAFF_ROLES, StaffRole } from '../auth/api-keys.service';
import { StaffApi, StaffRequest } from '../auth/staff-auth.guard';
import { StaffUsers } from '../auth/staff-users.service';
import { ProblemException } from '../http/problem-details.filter';
import { uuid } from '../http/request-context';
import { PLATFORM } from '../platform.token';
import { IsText, OptionalField } from '../projects/dto/common.dto';
import { ProjectionRebuild, projectionStatus } from './projection-rebuild';
import { Answers, any, list } from '../http/answers';
import {
  ApiKey,
  AuditReport,
  CreatedApiKey,
  Health,
  ParkedRetried,
  ProjectionStatus,
  RebuildStarted,
  RebuildStatus,
} from './admin.schemas';

/** Where a rebuild's progress is read. */
export const REBUILD_STATUS_PATH = '/api/admin/projections/rebuild';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Priya (PM)' })
  @IsText(200)
  name!: string;

  @ApiProperty({ enum: STAFF_ROLES })
  @IsIn(STAFF_ROLES as string[], { message: `role must be one of ${STAFF_ROLES.join(', ')}` })
  role!: StaffRole;

  @OptionalField({
    format: 'uuid',
    description: 'the active staff user the key acts as (default: the admin making it); its role may not exceed theirs',
  })
  @IsUUID(undefined, { message: 'ownerUserId must be a UUID' })
  ownerUserId?: string;
}

/**
 * Makes a key owned by `dto.ownerUserId` (an active staff user), or else by the admin making it. The key acts as its
 * owner, so its role may not exceed theirs (admin covers every role; pm and finance only their own): 422 naming it.
 */
export async function createOwnedKey(
  keys: ApiKeysService,
  users: StaffUsers,
  dto: CreateApiKeyDto,
  makerUserId: string | null,
) {
  if (dto.ownerUserId === undefined || dto.ownerUserId === '')
    return keys.create(dto.name, dto.role, undefined, makerUserId);
  const owner = await users.find(dto.ownerUserId);
  if (!owner?.active) {
    const detail = 'ownerUserId must be an active staff user';
    throw new ProblemException(422, 'Unprocessable content', detail, [{ field: 'ownerUserId', message: detail }]);
  }
  if (!roleCovers(owner.role, dto.role)) {
    const detail = `role ${dto.role} exceeds the owner's role (${owner.name} is ${owner.role})`;
    throw new ProblemException(422, 'Unprocessable content', detail, [{ field: 'role', message: detail }]);
  }
  return keys.create(dto.name, dto.role, undefined, owner.userId);
}

/** A stream's verification as JSON carries it, as GET /api/projects/:id/audit/verify answers it. */
function chainAnswer({ firstBreak, ...result }: ChainVerification) {
  return { ...result, firstBreak: firstBreak ? { ...firstBreak, revision: Number(firstBreak.revision) } : null };
}

@StaffApi('admin', 'admin')
@Controller('api/admin')
export class AdminController {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly users: StaffUsers,
    @Inject(PLATFORM) private readonly platform: Platform,
    private readonly rebuilds: ProjectionRebuild,
  ) {}

  @Post('api-keys')
  @Answers(201, CreatedApiKey, { summary: 'Create an API key with a role; the key is shown only in this answer' })
  async create(@Body() dto: CreateApiKeyDto, @Req() request: StaffRequest) {
    // A key acts as its owner: the user named, or the admin who made it (an admin may make a key of any role).
    const created = await createOwnedKey(this.keys, this.users, dto, request.staff?.userId ?? null);
    return { ...created, note: 'Store this key now: it is shown only once.' };
  }

  @Get('api-keys')
  @Answers(200, list(ApiKey), { summary: 'API keys with their role, owner, last use and revocation' })
  list() {
    return this.keys.list();
  }

  @Delete('api-keys/:keyId')
  @HttpCode(204)
  @Answers(204, 'none', { errors: [404], summary: 'Revoke an API key' })
  async revoke(@Param('keyId', uuid) keyId: string) {
    if (!(await this.keys.revoke(keyId))) throw new ProblemException(404, 'Not found', 'No active key with this id');
  }

  @Get('projections')
  @ApiOperation({ summary: 'Whether this server runs the projections, its checkpoint, the lag and parked events' })
  @Answers(200, ProjectionStatus)
  status() {
    return projectionStatus(this.platform);
  }

  @Post('projections/rebuild')
  @HttpCode(202)
  @Header('Location', REBUILD_STATUS_PATH)
  @ApiOperation({
    summary: 'Start rebuilding every read model from the events, in the background',
    description: `Answers 202 at once; GET ${REBUILD_STATUS_PATH} tells the progress. 409 while a rebuild runs.`,
  })
  @Answers(202, RebuildStarted, { errors: [409], location: true })
  async rebuild() {
    return { ...(await this.rebuilds.start()), statusUrl: REBUILD_STATUS_PATH };
  }

  @Get('projections/rebuild')
  @ApiOperation({
    summary: 'The last rebuild on this server: state (idle, running, done, failed), events done of total, when',
  })
  @Answers(200, RebuildStatus)
  rebuildStatus() {
    return this.rebuilds.current;
  }

  @Get('audit/verify')
  @ApiOperation({
    summary: "Re-compute every stream's hash chain (projects, the catalogue, any other), as `audit verify` does",
    description: 'broken lists each broken stream with its first broken event; results has every stream.',
  })
  @Answers(200, AuditReport)
  async verifyAudit() {
    const report = await verifyAuditTrail(this.platform);
    return { ...report, broken: report.broken.map(chainAnswer), results: report.results.map(chainAnswer) };
  }

  @Get('projections/parked')
  @Answers(200, list(any), { summary: 'Events the projections could not apply, parked for a retry' })
  parked() {
    return this.platform.processor.parkedEvents();
  }

  @Post('projections/parked/:eventId/retry')
  @HttpCode(200)
  @Answers(200, ParkedRetried, { errors: [404], summary: 'Apply a parked event again' })
  async retryParked(@Param('eventId', uuid) eventId: string) {
    const retried = await this.platform.processor.retryParked(eventId);
    if (!retried) throw new ProblemException(404, 'Not found', 'No parked event with this id');
    return { retried: eventId };
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Get()
  @Answers(200, Health, {
    summary: 'Whether the event store and the read models answer, and the projections checkpoint',
    description: 'OK; 503 with the same body when storage cannot be reached',
  })
  async health(@Res({ passthrough: true }) res: Response) {
    const unreachable = (error: Error) => ({ status: 'unreachable', error: error.message });
    const eventStore = await this.platform.store
      .headPosition()
      .then((head) => ({ status: 'ok', head: formatPosition(head) }), unreachable);
    const readModels = await this.platform.sql.query('SELECT 1').then(() => ({ status: 'ok' }), unreachable);
    const { checkpoint, isActive } = this.platform.processor;
    const healthy = eventStore.status === 'ok' && readModels.status === 'ok';
    if (!healthy) res.status(503);
    return {
      status: healthy ? 'ok' : 'degraded',
      storage: this.platform.description,
      eventStore,
      readModels,
      projections: { active: isActive, checkpoint: formatPosition(checkpoint) },
    };
  }
}
