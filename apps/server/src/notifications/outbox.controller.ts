import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { listOutbox, OUTBOX_STATUSES, OutboxStatus } from '@scope-ledger/notifications';
import { Platform } from '@scope-ledger/platform';
import { Roles, StaffAuthGuard } from '../auth/staff-auth.guard';
import { PLATFORM } from '../platform.token';

class OutboxFilterDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID(undefined, { message: 'changeOrderId must be a UUID' })
  changeOrderId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID(undefined, { message: 'projectId must be a UUID' })
  projectId?: string;

  @ApiPropertyOptional({ enum: OUTBOX_STATUSES, description: 'held: not emailed because no SMTP server is configured' })
  @IsOptional()
  @IsIn(OUTBOX_STATUSES as string[], { message: `status must be one of ${OUTBOX_STATUSES.join(', ')}` })
  status?: OutboxStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

@ApiTags('notifications')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Roles('pm')
@Controller('api/outbox')
export class OutboxController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Get()
  @ApiOperation({ summary: 'Emails the system has queued, sent, failed or held (without SMTP), newest first' })
  list(@Query() filter: OutboxFilterDto) {
    return listOutbox(this.platform.sql, filter);
  }
}
