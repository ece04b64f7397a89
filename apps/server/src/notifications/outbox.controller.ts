import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsUUID, Max, Min } from 'class-validator';
import { conflict, notFound } from '@scope-ledger/domain';
import {
  findOutboxMessage,
  isRetryable,
  listOutbox,
  OUTBOX_STATUSES,
  outboxAsSeenBy,
  OutboxStatus,
  retryOutboxMessage,
} from '@scope-ledger/notifications';
import { Platform } from '@scope-ledger/platform';
import { Roles, StaffApi, StaffRequest } from '../auth/staff-auth.guard';
import { CompanySettingsService } from '../company/company-settings.service';
import { PLATFORM } from '../platform.token';
import { OptionalField } from '../projects/dto/common.dto';
import { Answers, list } from '../http/answers';
import { OutboxMessage } from '../admin/admin.schemas';

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
  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    private readonly company: CompanySettingsService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Emails the system has queued, sent, failed or held (without SMTP), newest first',
    description: 'Signing links in the messages are withheld except from admins: a link lets its holder sign.',
  })
  @Answers(200, list(OutboxMessage))
  async list(@Query() filter: OutboxFilterDto, @Req() request: StaffRequest) {
    return outboxAsSeenBy(request.staff!.role, await listOutbox(this.platform.sql, filter));
  }

  @Post(':messageId/retry')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send a failed, held or waiting email again at the next delivery round (admin)',
    description:
      'Its attempts so far still count: a message that used them all gets one more. ' +
      '404 for an unknown id, 409 for a message already sent or on its way, or held while no SMTP server is set.',
  })
  @Answers(200, OutboxMessage, { errors: [404, 409] })
  async retry(@Param('messageId') messageId: string) {
    return retryOutbox(this.platform, this.company, messageId);
  }
}

/**
 * Queues the message again, or refuses saying why (the API and the outbox page both retry this way). A held email
 * can be sent once an SMTP server is in force: the company settings' server, or SMTP_URL when none is stored.
 */
export async function retryOutbox(platform: Platform, company: CompanySettingsService, messageId: string) {
  const message = await findOutboxMessage(platform.sql, messageId);
  if (!message) throw notFound(`No email with id ${messageId} in the outbox`);
  if (!isRetryable(message)) throw conflict(`Email ${messageId} is ${message.status}: there is nothing to retry`);
  if (message.status === 'held' && (await company.current()).smtp === undefined)
    throw conflict('No SMTP server is configured (company settings or SMTP_URL), so held emails cannot be sent');
  const retried = await retryOutboxMessage(platform.sql, messageId);
  if (!retried) throw conflict(`Email ${messageId} changed while it was retried; reload and look again`);
  return retried;
}
