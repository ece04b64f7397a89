import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { requireOrder } from '@scope-ledger/domain';
import { CommandContext, newIdFor, ProjectCommands } from '@scope-ledger/platform';
import { changeOrderView } from '@scope-ledger/projections';
import { Roles, StaffApi } from '../auth/staff-auth.guard';
import { AnswersAsOf, StaffContext, uuid } from '../http/request-context';
import { commandAnswer } from '../projects/command-answer';
import { AsOfQueryDto } from '../projects/dto/project.dto';
import { ProjectReads } from '../projects/project-reads';
import { draftChangeOrderCommand, DraftChangeOrderDto, ReasonDto, StaffDocumentQueryDto } from './change-order.dto';
import { sendDraftPreview } from './change-order-document';
import { ChangeOrderService } from './change-order.service';
import { Answers, list } from '../http/answers';
import { ChangeOrder, ChangeOrderAsOf, ChangeOrderCommandAnswer, ChangeOrderIssued } from '../projects/project.schemas';

@StaffApi('change orders', 'pm', 'finance')
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
  @Answers(201, ChangeOrderCommandAnswer, { errors: [404, 409, 422], location: true })
  async draft(
    @Param('id', uuid) id: string,
    @Body() dto: DraftChangeOrderDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const changeOrderId = newIdFor(context);
    const now = new Date().toISOString();
    const command = draftChangeOrderCommand(dto, changeOrderId, now, await this.orders.draftDefaults());
    const outcome = await this.commands.execute(id, command, context);
    res.location(`/api/projects/${id}/change-orders/${changeOrderId}`);
    return commandAnswer(res, outcome, changeOrderView(outcome.state, changeOrderId));
  }

  @Get()
  @AnswersAsOf()
  @Answers(200, list(ChangeOrder), { errors: [404], summary: 'Change orders with their status, lines and signature' })
  async list(@Param('id', uuid) id: string, @Query() query: AsOfQueryDto) {
    const state = await this.reads.state(id, query.asOf);
    return [...state.changeOrders.keys()].map((coId) => changeOrderView(state, coId));
  }

  @Get(':coId')
  @AnswersAsOf()
  @Answers(200, ChangeOrderAsOf, { errors: [404], summary: 'One change order' })
  async get(@Param('id', uuid) id: string, @Param('coId', uuid) coId: string, @Query() query: AsOfQueryDto) {
    const state = await this.reads.state(id, query.asOf);
    requireOrder(state, coId);
    return { ...changeOrderView(state, coId), asOf: query.asOf ?? null };
  }

  @Post(':coId/issue')
  @Roles('pm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Render, hash and send the order for signature' })
  @Answers(200, ChangeOrderIssued, { errors: [404, 409, 422] })
  async issue(
    @Param('id', uuid) id: string,
    @Param('coId', uuid) coId: string,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { signingUrl, documentSha256, expiresAt, ...outcome } = await this.orders.issue(id, coId, context);
    return commandAnswer(res, outcome, { signingUrl, documentSha256, expiresAt });
  }

  @Post(':coId/revise')
  @Roles('pm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send an order awaiting signature again as its next revision (CO-n Rk): figures of now, new PDF and link',
  })
  @Answers(200, ChangeOrderIssued, { errors: [404, 409, 422] })
  async revise(
    @Param('id', uuid) id: string,
    @Param('coId', uuid) coId: string,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { signingUrl, documentSha256, expiresAt, number, ...outcome } = await this.orders.revise(id, coId, context);
    return commandAnswer(res, outcome, { signingUrl, documentSha256, expiresAt, number });
  }

  @Post(':coId/void')
  @Roles('pm')
  @HttpCode(200)
  @Answers(200, ChangeOrderCommandAnswer, {
    errors: [404, 409, 422],
    summary: 'Void an order not yet signed, with a reason',
  })
  async void(
    @Param('id', uuid) id: string,
    @Param('coId', uuid) coId: string,
    @Body() dto: ReasonDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const command = { type: 'VoidChangeOrder', now: new Date().toISOString(), changeOrderId: coId, ...dto } as const;
    const outcome = await this.commands.execute(id, command, context);
    return commandAnswer(res, outcome, changeOrderView(outcome.state, coId));
  }

  @Get(':coId/preview.pdf')
  @ApiProduces('application/pdf')
  @ApiOperation({
    summary:
      'A draft as it would be issued now, marked "DRAFT — not for signature" and never stored; ' +
      'an issued order answers 303 to its PDF',
  })
  @Answers(200, 'pdf', { errors: [404, 409], redirects: [303] })
  async preview(@Param('id', uuid) id: string, @Param('coId', uuid) coId: string, @Res() res: Response) {
    const { state } = await this.commands.load(id);
    const pdf = await this.orders.draftPreview(state, requireOrder(state, coId));
    if (!pdf) return res.redirect(303, `/api/projects/${id}/change-orders/${coId}/pdf`);
    sendDraftPreview(res, pdf, `change-order-${coId}-draft.pdf`);
  }

  @Get(':coId/pdf')
  @ApiProduces('application/pdf')
  @ApiOperation({
    summary:
      'The issued PDF; the signed and sealed one once signed, unless copy=issued (revision=n for an earlier issue)',
  })
  @Answers(200, 'pdf', { errors: [404, 409] })
  async pdf(
    @Param('id', uuid) id: string,
    @Param('coId', uuid) coId: string,
    @Query() query: StaffDocumentQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { state } = await this.commands.load(id);
    const order = requireOrder(state, coId);
    const document =
      query.revision === undefined
        ? await this.orders.documentOf(order, query.copy)
        : await this.orders.earlierIssue(order, query.copy, query.revision);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader(
      'Content-Disposition',
      `inline; filename="change-order-${coId}${document.signed ? '-signed' : ''}.pdf"`,
    );
    res.setHeader('X-Document-SHA256', document.sha256);
    return new StreamableFile(document.pdf);
  }
}
