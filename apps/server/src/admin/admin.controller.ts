import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { formatPosition } from '@scope-ledger/event-store';
import { Platform } from '@scope-ledger/platform';
import { ApiKeysService, STAFF_ROLES, StaffRole } from '../auth/api-keys.service';
import { StaffApi } from '../auth/staff-auth.guard';
import { ProblemException } from '../http/problem-details.filter';
import { uuid } from '../http/request-context';
import { PLATFORM } from '../platform.token';
import { IsText } from '../projects/dto/common.dto';

class CreateApiKeyDto {
  @ApiProperty({ example: 'Priya (PM)' })
  @IsText(200)
  name!: string;

  @ApiProperty({ enum: STAFF_ROLES })
  @IsIn(STAFF_ROLES as string[], { message: `role must be one of ${STAFF_ROLES.join(', ')}` })
  role!: StaffRole;
}

@StaffApi('admin', 'admin')
@Controller('api/admin')
export class AdminController {
  constructor(
    private readonly keys: ApiKeysService,
    @Inject(PLATFORM) private readonly platform: Platform,
  ) {}

  @Post('api-keys')
  async create(@Body() dto: CreateApiKeyDto) {
    const created = await this.keys.create(dto.name, dto.role);
    return { ...created, note: 'Store this key now: it is shown only once.' };
  }

  @Get('api-keys')
  list() {
    return this.keys.list();
  }

  @Delete('api-keys/:keyId')
  @HttpCode(204)
  async revoke(@Param('keyId', uuid) keyId: string) {
    if (!(await this.keys.revoke(keyId))) throw new ProblemException(404, 'Not found', 'No active key with this id');
  }

  @Post('projections/rebuild')
  @HttpCode(200)
  async rebuild() {
    const started = Date.now();
    const events = await this.platform.processor.rebuild();
    return { events, milliseconds: Date.now() - started };
  }

  @Get('projections/parked')
  parked() {
    return this.platform.processor.parkedEvents();
  }

  @Post('projections/parked/:eventId/retry')
  @HttpCode(200)
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
