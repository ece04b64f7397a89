import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, notFound, orderNumber, projectStreamId, ProjectState, requestNumber } from '@scope-ledger/domain';
import { verifyChain } from '@scope-ledger/event-store';
import { CommandContext, newIdFor, ProjectCommands } from '@scope-ledger/platform';
import { Roles } from '../auth/staff-auth.guard';
import { ChangeOrderService } from '../change-orders/change-order.service';
import { draftChangeOrderCommand, DraftChangeOrderDto, ReasonDto } from '../change-orders/change-order.dto';
import { StaffContext } from '../http/request-context';
import {
  AsOfQueryDto,
  assessChangeRequestCommand,
  AssessChangeRequestDto,
  declineChangeRequestCommand,
  DeclineChangeRequestDto,
  EstablishBaselineDto,
  LogChangeRequestDto,
  openProjectCommand,
  OpenProjectDto,
} from '../projects/dto/project.dto';
import { ProjectReads } from '../projects/project-reads';
import { FormReader, optional } from './form-reader';
import { noticeFor, PageViewer, sendPage, submitForm } from './page-response';
import { auditPage } from './pages/audit.page';
import { changeRequestPage } from './pages/change-request.page';
import { FormFailure } from './pages/forms';
import { Viewer } from './pages/layout';
import { newProjectPage } from './pages/new-project.page';
import { projectPage } from './pages/project.page';
import { StaffPageErrorsFilter } from './staff-page-errors.filter';
import { StaffSessionGuard } from './staff-session.guard';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 404 });
const now = () => new Date().toISOString();
const requestRef = (state: ProjectState, id: string) => requestNumber(state.changeRequests.get(id)!);
const orderRef = (state: ProjectState, id: string) => orderNumber(state.changeOrders.get(id)!);

const NOTICES: Record<string, (ref: string) => string> = {
  opened: () => 'Project opened. Set its baseline below: the scope items, hours and milestones the client signed.',
  baseline: () => 'Baseline established. The delivery board has a card for every scope item.',
  logged: (ref) => `${ref} logged. Assess it when you know what it takes.`,
  assessed: (ref) => `${ref} assessed. Put it on a change order for the client to sign.`,
  declined: (ref) => `${ref} declined. It stays on record.`,
  drafted: (ref) => `${ref} drafted. Check it, then issue it for signature.`,
  issued: (ref) => `${ref} issued for signature. Its signing link is below, ready to copy.`,
  voided: (ref) => `${ref} voided. Its requests can be assessed again or put on a new order.`,
};

/** The project pages: overview, new project, requests, orders, documents and the audit trail. */
@ApiExcludeController()
@UseGuards(StaffSessionGuard)
@UseFilters(StaffPageErrorsFilter)
@Controller('app/projects')
export class ProjectPagesController {
  constructor(
    private readonly commands: ProjectCommands,
    private readonly reads: ProjectReads,
    private readonly orders: ChangeOrderService,
  ) {}

  private async showProject(
    res: Response,
    viewer: Viewer,
    projectId: string,
    status: number,
    extra: { failure?: FormFailure; notice?: string; asOf?: string; asOfForm?: FormFailure } = {},
  ) {
    const state = await this.reads.state(projectId, extra.asOf);
    sendPage(
      res,
      status,
      projectPage(viewer, {
        state,
        ...extra,
        now: now(),
        signingUrl: (orderId, nonce) => this.orders.signingUrl(orderId, nonce),
      }),
    );
  }

  @Get('new')
  @Roles('pm')
  newProject(@PageViewer() viewer: Viewer, @Res() res: Response) {
    sendPage(res, 200, newProjectPage(viewer, { today: now().slice(0, 10) }));
  }

  @Post()
  @Roles('pm')
  async open(
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const form = new FormReader(body);
    await submitForm(
      res,
      'open',
      form,
      async () => {
        const currency = form.text('currency').toUpperCase();
        const rates: [string, number][] = [];
        const roles = form.rows('rates', ['role', 'rate']);
        for (let i = 0; i < roles; i++) {
          const role = form.text(`rates[${i}].role`);
          const rate = form.money(`rates[${i}].rate`, currency || 'USD');
          if (!role) form.refuse(`rates[${i}].role`, 'Name the role this rate is for');
          else if (rate === undefined) form.refuse(`rates[${i}].rate`, `Enter the hourly rate for ${role}`);
          else rates.push([role, rate]);
        }
        const holidays = form
          .text('holidays')
          .split(/[\s,;]+/)
          .filter(Boolean);
        const dto = await form.validate(OpenProjectDto, {
          name: form.text('name'),
          client: { name: form.text('client.name'), email: form.text('client.email') },
          currency,
          rates: Object.fromEntries(rates),
          startDate: form.text('startDate'),
          ...(holidays.length ? { holidays } : {}),
        });
        const id = newIdFor(context);
        await this.commands.execute(id, openProjectCommand(dto, id, now()), context);
        return `/app/projects/${id}?done=opened#scope`;
      },
      async (failure, status) => sendPage(res, status, newProjectPage(viewer, { failure, today: now().slice(0, 10) })),
    );
  }

  @Get(':id')
  @Roles('pm', 'finance')
  async project(
    @Param('id', uuid) id: string,
    @Query() query: Record<string, unknown>,
    @PageViewer() viewer: Viewer,
    @Res() res: Response,
  ) {
    const notice = noticeFor(query.done, query.ref, NOTICES);
    if (query.asOf === undefined || query.asOf === '') return this.showProject(res, viewer, id, 200, { notice });
    const form = new FormReader({ asOf: query.asOf });
    let asOf: string;
    try {
      asOf = (await form.validate(AsOfQueryDto, { asOf: form.timestamp('asOf') })).asOf!;
      await this.reads.state(id, asOf);
    } catch (error) {
      const message =
        error instanceof DomainError && error.kind === 'not_found'
          ? 'The project did not exist yet at that moment'
          : 'Enter a date and time';
      await this.reads.state(id); // an unknown project is a 404, not a form error
      return this.showProject(res, viewer, id, 400, {
        asOfForm: { form: 'as-of', values: form.values, detail: message, errors: [{ field: 'asOf', message }] },
      });
    }
    return this.showProject(res, viewer, id, 200, { asOf });
  }

  @Post(':id/baseline')
  @Roles('pm')
  async baseline(
    @Param('id', uuid) id: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const state = await this.reads.state(id);
    const form = new FormReader(body);
    await submitForm(
      res,
      'baseline',
      form,
      async () => {
        const items = Array.from({ length: form.rows('items', ['ref', 'title', 'hours', 'fixedCost']) }, (_, i) => ({
          ref: form.text(`items[${i}].ref`),
          title: form.text(`items[${i}].title`),
          role: form.text(`items[${i}].role`),
          hours: form.number(`items[${i}].hours`) ?? 0,
          ...optional('fixedCost', form.money(`items[${i}].fixedCost`, state.currency)),
        }));
        const milestones = Array.from({ length: form.rows('milestones', ['ref', 'name', 'due']) }, (_, i) => ({
          ref: form.text(`milestones[${i}].ref`),
          name: form.text(`milestones[${i}].name`),
          due: form.text(`milestones[${i}].due`),
        }));
        const dto = await form.validate(EstablishBaselineDto, { items, milestones });
        await this.commands.execute(
          id,
          { type: 'EstablishBaseline', now: now(), items: dto.items, milestones: dto.milestones },
          context,
        );
        return `/app/projects/${id}?done=baseline`;
      },
      (failure, status) => this.showProject(res, viewer, id, status, { failure }),
    );
  }

  @Post(':id/change-requests')
  @Roles('pm')
  async logRequest(
    @Param('id', uuid) id: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const form = new FormReader(body);
    await submitForm(
      res,
      'log',
      form,
      async () => {
        const dto = await form.validate(LogChangeRequestDto, {
          title: form.text('title'),
          description: form.text('description'),
          source: form.text('source'),
          requestedBy: { name: form.text('requestedBy.name'), email: form.text('requestedBy.email') },
          ...optional('receivedAt', form.timestamp('receivedAt')),
          ...optional('ticketRef', form.optional('ticketRef')),
        });
        const changeRequestId = newIdFor(context);
        const outcome = await this.commands.execute(
          id,
          { type: 'LogChangeRequest', now: now(), changeRequestId, ...dto },
          context,
        );
        return `/app/projects/${id}?done=logged&ref=${requestRef(outcome.state, changeRequestId)}#requests`;
      },
      (failure, status) => this.showProject(res, viewer, id, status, { failure }),
    );
  }

  @Get(':id/change-requests/:crId')
  @Roles('pm', 'finance')
  async changeRequest(
    @Param('id', uuid) id: string,
    @Param('crId', uuid) crId: string,
    @PageViewer() viewer: Viewer,
    @Res() res: Response,
  ) {
    await this.showRequest(res, viewer, id, crId, 200);
  }

  private async showRequest(
    res: Response,
    viewer: Viewer,
    projectId: string,
    changeRequestId: string,
    status: number,
    failure?: FormFailure,
  ) {
    const state = await this.reads.state(projectId);
    if (!state.changeRequests.has(changeRequestId)) {
      throw notFound('This change request does not exist in this project');
    }
    sendPage(res, status, changeRequestPage(viewer, { state, changeRequestId, failure }));
  }

  @Post(':id/change-requests/:crId/assessment')
  @Roles('pm')
  async assess(
    @Param('id', uuid) id: string,
    @Param('crId', uuid) crId: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const state = await this.reads.state(id);
    const form = new FormReader(body);
    await submitForm(
      res,
      'assess',
      form,
      async () => {
        const lines = Array.from({ length: form.rows('lines', ['ref', 'title', 'hours', 'fixedCost']) }, (_, i) => {
          const op = form.text(`lines[${i}].op`);
          const line = { op, ref: form.text(`lines[${i}].ref`) };
          // A removal names only its item; whatever else the row still shows is ignored.
          if (op === 'remove') return line;
          return {
            ...line,
            ...optional('title', form.optional(`lines[${i}].title`)),
            ...optional('role', form.optional(`lines[${i}].role`)),
            ...optional('hours', form.number(`lines[${i}].hours`)),
            ...optional('fixedCost', form.money(`lines[${i}].fixedCost`, state.currency)),
          };
        });
        const schedule = Array.from({ length: form.rows('schedule', ['milestone', 'workingDays']) }, (_, i) => ({
          milestone: form.text(`schedule[${i}].milestone`),
          workingDays: form.number(`schedule[${i}].workingDays`),
        }));
        const dto = await form.validate(AssessChangeRequestDto, {
          lines,
          schedule,
          ...optional('notes', form.optional('notes')),
          noCharge: form.checked('noCharge'),
        });
        const outcome = await this.commands.execute(id, assessChangeRequestCommand(dto, crId, now()), context);
        return `/app/projects/${id}?done=assessed&ref=${requestRef(outcome.state, crId)}#orders`;
      },
      (failure, status) => this.showRequest(res, viewer, id, crId, status, failure),
    );
  }

  @Post(':id/change-requests/:crId/decline')
  @Roles('pm')
  async decline(
    @Param('id', uuid) id: string,
    @Param('crId', uuid) crId: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const form = new FormReader(body);
    await submitForm(
      res,
      'decline',
      form,
      async () => {
        const dto = await form.validate(DeclineChangeRequestDto, {
          reason: form.text('reason'),
          category: form.text('category'),
        });
        const outcome = await this.commands.execute(id, declineChangeRequestCommand(dto, crId, now()), context);
        return `/app/projects/${id}?done=declined&ref=${requestRef(outcome.state, crId)}#requests`;
      },
      (failure, status) => this.showRequest(res, viewer, id, crId, status, failure),
    );
  }

  @Post(':id/change-orders')
  @Roles('pm')
  async draft(
    @Param('id', uuid) id: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const form = new FormReader(body);
    await submitForm(
      res,
      'draft',
      form,
      async () => {
        const dto = await form.validate(DraftChangeOrderDto, {
          changeRequestIds: form.list('changeRequestIds'),
          signer: { name: form.text('signer.name'), email: form.text('signer.email') },
          ...optional('expiresInDays', form.number('expiresInDays')),
          ...optional('terms', form.optional('terms')),
        });
        const changeOrderId = newIdFor(context);
        const outcome = await this.commands.execute(id, draftChangeOrderCommand(dto, changeOrderId, now()), context);
        const number = orderRef(outcome.state, changeOrderId);
        return `/app/projects/${id}?done=drafted&ref=${number}#order-${number}`;
      },
      (failure, status) => this.showProject(res, viewer, id, status, { failure }),
    );
  }

  @Post(':id/change-orders/:coId/issue')
  @Roles('pm')
  async issue(
    @Param('id', uuid) id: string,
    @Param('coId', uuid) coId: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    await submitForm(
      res,
      `issue-${coId}`,
      new FormReader(body),
      async () => {
        const outcome = await this.orders.issue(id, coId, context);
        const number = orderRef(outcome.state, coId);
        return `/app/projects/${id}?done=issued&ref=${number}#order-${number}`;
      },
      (failure, status) => this.showProject(res, viewer, id, status, { failure }),
    );
  }

  @Post(':id/change-orders/:coId/void')
  @Roles('pm')
  async void(
    @Param('id', uuid) id: string,
    @Param('coId', uuid) coId: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const form = new FormReader(body);
    await submitForm(
      res,
      `void-${coId}`,
      form,
      async () => {
        const dto = await form.validate(ReasonDto, { reason: form.text('reason') });
        const outcome = await this.commands.execute(
          id,
          { type: 'VoidChangeOrder', now: now(), changeOrderId: coId, reason: dto.reason },
          context,
        );
        const number = orderRef(outcome.state, coId);
        return `/app/projects/${id}?done=voided&ref=${number}#order-${number}`;
      },
      (failure, status) => this.showProject(res, viewer, id, status, { failure }),
    );
  }

  @Get(':id/change-orders/:coId/pdf')
  @Roles('pm', 'finance')
  async pdf(@Param('id', uuid) id: string, @Param('coId', uuid) coId: string, @Res() res: Response) {
    const order = (await this.reads.state(id)).changeOrders.get(coId);
    if (!order) throw notFound('This change order does not exist in this project');
    const document = await this.orders.documentOf(order);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader(
      'Content-Disposition',
      `inline; filename="${orderNumber(order)}${document.signed ? '-signed' : ''}.pdf"`,
    );
    res.setHeader('X-Document-SHA256', document.sha256);
    res.send(document.pdf);
  }

  @Get(':id/audit')
  @Roles('pm', 'finance')
  async audit(@Param('id', uuid) id: string, @PageViewer() viewer: Viewer, @Res() res: Response) {
    const state = await this.reads.state(id);
    const events = await this.reads.events(id);
    sendPage(res, 200, auditPage(viewer, { state, events, verification: verifyChain(projectStreamId(id), events) }));
  }
}
