import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Res,
  StreamableFile,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { requireOrder } from '@scope-ledger/domain';
import { CommandContext, newIdFor, ProjectCommands } from '@scope-ledger/platform';
import { changeOrderView } from '@scope-ledger/projections';
import { Roles, StaffAuthGuard } from '../auth/staff-auth.guard';
import { StaffContext } from '../http/request-context';
import { commandAnswer } from '../projects/command-answer';
import { ProjectReads } from '../projects/project-reads';
import { draftChangeOrderCommand, DraftChangeOrderDto, ReasonDto } from './change-order.dto';
import { ChangeOrderService } from './change-order.service';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

@ApiTags('change orders')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Controller('api/projects/:id/change-orders')
export class ChangeOrdersController {
  constructor(
    private readonly commands: ProjectCommands,
    private readonly reads: ProjectReads,
    private readonly orders: ChangeOrderService,
  ) {}

  @Post()
  @Roles('pm')
  @ApiOperation({ summary: 'Draft a change order from assessed change requests' })
  async draft(
    @Param('id', uuid) id: string,
    @Body() dto: DraftChangeOrderDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const changeOrderId = newIdFor(context);
    const outcome = await this.commands.execute(
      id,
      draftChangeOrderCommand(dto, changeOrderId, new Date().toISOString()),
      context,
    );
    res.location(`/api/projects/${id}/change-orders/${changeOrderId}`);
    return commandAnswer(res, outcome, changeOrderView(outcome.state, changeOrderId));
  }

  @Get()
  @Roles('pm', 'finance')
  async list(@Param('id', uuid) id: string) {
    const state = await this.reads.state(id);
    return [...state.changeOrders.keys()].map((coId) => changeOrderView(state, coId));
  }

  @Get(':coId')
  @Roles('pm', 'finance')
  async get(@Param('id', uuid) id: string, @Param('coId', uuid) coId: string) {
    const state = await this.reads.state(id);
    requireOrder(state, coId);
    return changeOrderView(state, coId);
  }

  @Post(':coId/issue')
  @Roles('pm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Render, hash and send the order for signature' })
  async issue(
    @Param('id', uuid) id: string,
    @Param('coId', uuid) coId: string,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const outcome = await this.orders.issue(id, coId, context);
    return commandAnswer(res, outcome, {
      signingUrl: outcome.signingUrl,
      documentSha256: outcome.documentSha256,
      expiresAt: outcome.expiresAt,
    });
  }

  @Post(':coId/void')
  @Roles('pm')
  @HttpCode(200)
  async void(
    @Param('id', uuid) id: string,
    @Param('coId', uuid) coId: string,
    @Body() dto: ReasonDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const outcome = await this.commands.execute(
      id,
      { type: 'VoidChangeOrder', now: new Date().toISOString(), changeOrderId: coId, reason: dto.reason },
      context,
    );
    return commandAnswer(res, outcome, changeOrderView(outcome.state, coId));
  }

  @Get(':coId/pdf')
  @Roles('pm', 'finance')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'The issued PDF; the signed and sealed one once signed' })
  async pdf(
    @Param('id', uuid) id: string,
    @Param('coId', uuid) coId: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    const document = await this.orders.currentDocument(id, coId);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader(
      'Content-Disposition',
      `inline; filename="change-order-${coId}${document.signed ? '-signed' : ''}.pdf"`,
    );
    res.setHeader('X-Document-SHA256', document.sha256);
    return new StreamableFile(document.pdf);
  }
}
