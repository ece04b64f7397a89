import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsUUID, Max, Min } from 'class-validator';
import { listOutbox, OUTBOX_STATUSES, OutboxStatus, withSigningLinksMasked } from '@scope-ledger/notifications';
import { Platform } from '@scope-ledger/platform';
import { StaffApi, StaffRequest } from '../auth/staff-auth.guard';
import { PLATFORM } from '../platform.token';
import { OptionalField } from '../projects/dto/common.dto';

class OutboxFilterDto {
  @OptionalField({ format: 'uuid' })
  @IsUUID(undefined, { message: 'changeOrderId must be a UUID' })
  changeOrderId?: string;

  @OptionalField({ format: 'uuid' })
  @IsUUID(undefined, { message: 'projectId must be a UUID' })
  projectId?: string;

  @OptionalField({ enum: OUTBOX_STATUSES, description: 'held: not emailed because no SMTP server is configured' })
  @IsIn(OUTBOX_STATUSES as string[], { message: `status must be one of ${OUTBOX_STATUSES.join(', ')}` })
  status?: OutboxStatus;

  @OptionalField({ minimum: 1, maximum: 500, default: 200 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

@StaffApi('notifications', 'pm')
@Controller('api/outbox')
export class OutboxController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Get()
  @ApiOperation({
    summary: 'Emails the system has queued, sent, failed or held (without SMTP), newest first',
    description: 'Signing links in the messages are withheld except from admins: a link lets its holder sign.',
  })
  async list(@Query() filter: OutboxFilterDto, @Req() request: StaffRequest) {
    const messages = await listOutbox(this.platform.sql, filter);
    return request.staff!.role === 'admin' ? messages : messages.map(withSigningLinksMasked);
  }
}
