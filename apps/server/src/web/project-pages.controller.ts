import { Body, Controller, Get, Param, Post, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  clientDependenciesOf,
  dependencyNumber,
  DomainError,
  notFound,
  orderNumber,
  ProjectCommand,
  projectStreamId,
  ProjectState,
  requestNumber,
} from '@scope-ledger/domain';
import { verifyChain } from '@scope-ledger/event-store';
import { CommandContext, newIdFor, ProjectCommands } from '@scope-ledger/platform';
import { seesSignerNetwork, withSignerNetworkWithheld } from '../auth/signer-network';
import { Roles } from '../auth/staff-auth.guard';
import { CapacityImpactController } from '../capacity/capacity-impact.controller';
import { sendDraftPreview } from '../change-orders/change-order-document';
import { ChangeOrderService } from '../change-orders/change-order.service';
import { draftChangeOrderCommand, DraftChangeOrderDto, ReasonDto } from '../change-orders/change-order.dto';
import { AnswersAsOf, StaffContext, uuid } from '../http/request-context';
import {
  assessChangeRequestCommand,
  AssessChangeRequestDto,
  declineChangeRequestCommand,
  amendChangeRequestCommand,
  AmendChangeRequestDto,
  DeclineChangeRequestDto,
  EstablishBaselineDto,
  LogChangeRequestDto,
  openProjectCommand,
  OpenProjectDto,
} from '../projects/dto/project.dto';
import { ProjectReads } from '../projects/project-reads';
import {
  LogClientDependencyDto,
  RequestDelayChangeDto,
  ResolveClientDependencyDto,
} from '../projects/client-dependencies.controller';
import { catalogueView } from '../catalogue/catalogue-view';
import { holidaysOf, optional, rateCardOf } from './form-reader';
import { pageAsOf } from './page-as-of';
import { noticeFor, PageViewer, Refusal, sendPage, submitForm } from './page-response';
import { auditPage } from './pages/audit.page';
import { CapacityImpact } from './pages/capacity-impact.section';
import { changeRequestPage } from './pages/change-request.page';
import { Viewer } from './pages/layout';
import { newProjectPage } from './pages/new-project.page';
import { projectPage } from './pages/project.page';
import { StaffPageErrorsFilter } from './staff-page-errors.filter';
import { StaffSessionGuard } from './staff-session.guard';

const now = () => new Date().toISOString();
const requestRef = (state: ProjectState, id: string) => requestNumber(state.changeRequests.get(id)!);
const orderRef = (state: ProjectState, id: string) => orderNumber(state.changeOrders.get(id)!);
/** DEP-n, or the id itself for one this project does not have (the command then answers 404). */
const dependencyRef = (state: ProjectState, id: string) => {
  const found = clientDependenciesOf(state).find((d) => d.id === id);
  return found ? dependencyNumber(found) : id;
};

const NOTICES: Record<string, (ref: string) => string> = {
  opened: () => 'Project opened. Set its baseline below: the scope items, hours and milestones the client signed.',
  baseline: () => 'Baseline established. The delivery board has a card for every scope item.',
  logged: (ref) => `${ref} logged. Assess it when you know what it takes.`,
  assessed: (ref) => `${ref} assessed. Put it on a change order for the client to sign.`,
  declined: (ref) => `${ref} declined. It stays on record.`,
  amended: (ref) => `${ref} corrected.`,
  drafted: (ref) => `${ref} drafted. Check it, then issue it for signature.`,
  issued: (ref) => `${ref} issued for signature. Its signing link is below, ready to copy.`,
  revised: (ref) => `${ref} sent to the client with a new signing link; the earlier link no longer works.`,
  voided: (ref) => `${ref} voided. Its requests can be assessed again or put on a new order.`,
  dependency: (ref) => `${ref} logged: the project now waits on the client for it.`,
  arrived: (ref) => `${ref} marked arrived.`,
  claimed: (ref) => `${ref} logged and assessed for the working days lost. Put it on a change order for the client.`,
};

/** What the project page shows besides the project: a refused form, a confirmation, or a past moment. */
type Shown = { refused?: Refusal; notice?: string; asOf?: string };

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
    private readonly moduleRef: ModuleRef,
  ) {}

  /**
   * What signing would do to capacity, from the API's own answer: for an assessed request (or the live order it
   * is on) or a draft or issued order; undefined for one that can no longer be signed.
   */
  private async capacityIfSigned(
    projectId: string,
    what: { requestId: string } | { orderId: string },
  ): Promise<CapacityImpact | undefined> {
    const api = this.moduleRef.get(CapacityImpactController, { strict: false });
    try {
      return 'requestId' in what
        ? await api.ofRequest(projectId, what.requestId)
        : await api.ofOrder(projectId, what.orderId);
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'conflict') return undefined;
      throw error;
    }
  }

  private async showProject(res: Response, viewer: Viewer, projectId: string, shown: Shown = {}) {
    const { refused, ...args } = shown;
    const state = await this.reads.state(projectId, args.asOf);
    const issuers = await this.issuersOfAwaitingOrders(projectId, state, viewer);
    // A usable link lets whoever holds it sign as the client: only its sender and admins see it.
    const signingUrl = (orderId: string, nonce: string) =>
      viewer.staff.role === 'admin' || issuers.get(orderId) === viewer.staff.id
        ? this.orders.signingUrl(orderId, nonce)
        : undefined;
    // Signing's effect on capacity is shown for the present only: a past moment's page changes nothing.
    const capacity = new Map<string, CapacityImpact>();
    if (!args.asOf) {
      for (const order of state.changeOrders.values()) {
        if (order.status !== 'draft' && order.status !== 'issued') continue;
        const impact = await this.capacityIfSigned(projectId, { orderId: order.id });
        if (impact) capacity.set(order.id, impact);
      }
    }
    const page = projectPage(viewer, { state, ...args, failure: refused?.failure, now: now(), signingUrl, capacity });
    sendPage(res, refused?.status ?? 200, page);
  }

  /** Who sent each order's current link (the staff key of its last issue or revision), when any awaits a signature. */
  private async issuersOfAwaitingOrders(projectId: string, state: ProjectState, viewer: Viewer) {
    const issuers = new Map<string, string>();
    const awaiting = [...state.changeOrders.values()].some((o) => o.status === 'issued');
    if (viewer.staff.role === 'admin' || !awaiting) return issuers;
    for (const e of await this.reads.events(projectId)) {
      if (e.type === 'ChangeOrderIssued' || e.type === 'ChangeOrderRevised')
        issuers.set((e.data as { changeOrderId: string }).changeOrderId, e.metadata.actor.id);
    }
    return issuers;
  }

  private async showRequest(res: Response, viewer: Viewer, projectId: string, id: string, refused?: Refusal) {
    const state = await this.reads.state(projectId);
    if (!state.changeRequests.has(id)) throw notFound('This change request does not exist in this project');
    const catalogue = catalogueView((await this.reads.catalogue()).state);
    const status = state.changeRequests.get(id)!.status;
    const capacity =
      status === 'assessed' || status === 'ordered'
        ? await this.capacityIfSigned(projectId, { requestId: id })
        : undefined;
    const page = changeRequestPage(viewer, {
      state,
      changeRequestId: id,
      failure: refused?.failure,
      catalogue,
      capacity,
    });
    sendPage(res, refused?.status ?? 200, page);
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
    const refused = await submitForm(res, 'open', body, async (form) => {
      const currency = form.text('currency').toUpperCase();
      const rates = rateCardOf(form, currency || 'USD');
      const holidays = holidaysOf(form);
      const timeZone = form.text('timeZone');
      const dto = await form.validate(OpenProjectDto, {
        name: form.text('name'),
        client: { name: form.text('client.name'), email: form.text('client.email') },
        currency,
        rates,
        startDate: form.text('startDate'),
        ...(holidays.length ? { holidays } : {}),
        ...(timeZone ? { timeZone } : {}),
      });
      const id = newIdFor(context);
      await this.commands.execute(id, openProjectCommand(dto, id, now()), context);
      return `/app/projects/${id}?done=opened#scope`;
    });
    if (refused) {
      sendPage(res, refused.status, newProjectPage(viewer, { failure: refused.failure, today: now().slice(0, 10) }));
    }
  }

  @Get(':id')
  @Roles('pm', 'finance')
  @AnswersAsOf()
  async project(
    @Param('id', uuid) id: string,
    @Query() query: Record<string, unknown>,
    @PageViewer() viewer: Viewer,
    @Res() res: Response,
  ) {
    const { asOf, failure } = await pageAsOf(query, this.reads, id);
    if (failure) return this.showProject(res, viewer, id, { refused: { status: 400, failure } });
    if (asOf) return this.showProject(res, viewer, id, { asOf });
    return this.showProject(res, viewer, id, { notice: noticeFor(query, NOTICES) });
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
    const refused = await submitForm(res, 'baseline', body, async (form) => {
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
      const command: ProjectCommand = {
        type: 'EstablishBaseline',
        now: now(),
        items: dto.items,
        milestones: dto.milestones,
      };
      await this.commands.execute(id, command, context);
      return `/app/projects/${id}?done=baseline`;
    });
    if (refused) await this.showProject(res, viewer, id, { refused });
  }

  @Post(':id/client-dependencies')
  @Roles('pm')
  async logDependency(
    @Param('id', uuid) id: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, 'dependency', body, async (form) => {
      const dto = await form.validate(LogClientDependencyDto, {
        what: form.text('what'),
        due: form.text('due'),
        ...optional('milestone', form.optional('milestone')),
        ...optional('since', form.optional('since')),
      });
      const dependencyId = newIdFor(context);
      const command: ProjectCommand = { type: 'LogClientDependency', now: now(), dependencyId, ...dto };
      const { state } = await this.commands.execute(id, command, context);
      return `/app/projects/${id}?done=dependency&ref=${dependencyRef(state, dependencyId)}#client-dependencies`;
    });
    if (refused) await this.showProject(res, viewer, id, { refused });
  }

  @Post(':id/client-dependencies/:depId/resolve')
  @Roles('pm')
  async resolveDependency(
    @Param('id', uuid) id: string,
    @Param('depId', uuid) dependencyId: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const ref = dependencyRef(await this.reads.state(id), dependencyId);
    const refused = await submitForm(res, `resolve-${ref}`, body, async (form) => {
      const dto = await form.validate(ResolveClientDependencyDto, optional('resolvedOn', form.optional('resolvedOn')));
      const command: ProjectCommand = { type: 'ResolveClientDependency', now: now(), dependencyId, ...dto };
      await this.commands.execute(id, command, context);
      return `/app/projects/${id}?done=arrived&ref=${ref}#client-dependencies`;
    });
    if (refused) await this.showProject(res, viewer, id, { refused });
  }

  @Post(':id/client-dependencies/:depId/change-request')
  @Roles('pm')
  async claimDelay(
    @Param('id', uuid) id: string,
    @Param('depId', uuid) dependencyId: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const ref = dependencyRef(await this.reads.state(id), dependencyId);
    const refused = await submitForm(res, `claim-${ref}`, body, async (form) => {
      const dto = await form.validate(RequestDelayChangeDto, optional('milestone', form.optional('milestone')));
      const changeRequestId = newIdFor(context);
      const command: ProjectCommand = { type: 'RequestDelayChange', now: now(), dependencyId, changeRequestId, ...dto };
      const { state } = await this.commands.execute(id, command, context);
      return `/app/projects/${id}?done=claimed&ref=${requestRef(state, changeRequestId)}#requests`;
    });
    if (refused) await this.showProject(res, viewer, id, { refused });
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
    const refused = await submitForm(res, 'log', body, async (form) => {
      const dto = await form.validate(LogChangeRequestDto, {
        title: form.text('title'),
        description: form.text('description'),
        source: form.text('source'),
        requestedBy: { name: form.text('requestedBy.name'), email: form.text('requestedBy.email') },
        ...optional('receivedAt', form.timestamp('receivedAt')),
        ...optional('ticketRef', form.optional('ticketRef')),
      });
      const changeRequestId = newIdFor(context);
      const command: ProjectCommand = { type: 'LogChangeRequest', now: now(), changeRequestId, ...dto };
      const { state } = await this.commands.execute(id, command, context);
      return `/app/projects/${id}?done=logged&ref=${requestRef(state, changeRequestId)}#requests`;
    });
    if (refused) await this.showProject(res, viewer, id, { refused });
  }

  @Get(':id/change-requests/:crId')
  @Roles('pm', 'finance')
  async changeRequest(
    @Param('id', uuid) id: string,
    @Param('crId', uuid) crId: string,
    @PageViewer() viewer: Viewer,
    @Res() res: Response,
  ) {
    await this.showRequest(res, viewer, id, crId);
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
    const { currency } = await this.reads.state(id);
    const refused = await submitForm(res, 'assess', body, async (form) => {
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
          ...optional('fixedCost', form.money(`lines[${i}].fixedCost`, currency)),
          ...optional('milestone', form.optional(`lines[${i}].milestone`)),
        };
      });
      const schedule = Array.from({ length: form.rows('schedule', ['milestone', 'workingDays']) }, (_, i) => ({
        milestone: form.text(`schedule[${i}].milestone`),
        workingDays: form.number(`schedule[${i}].workingDays`),
      }));
      // A product row names its SKU and the units after the change; a removal names only the SKU.
      const products = Array.from({ length: form.rows('products', ['sku', 'quantity']) }, (_, i) => {
        const op = form.text(`products[${i}].op`);
        const line = { op, sku: form.text(`products[${i}].sku`) };
        return op === 'remove' ? line : { ...line, ...optional('quantity', form.number(`products[${i}].quantity`)) };
      });
      const dto = await form.validate(AssessChangeRequestDto, {
        lines,
        ...(products.length > 0 ? { products } : {}),
        schedule,
        ...optional('notes', form.optional('notes')),
        noCharge: form.checked('noCharge'),
      });
      const catalogue = await this.reads.catalogueFor(dto.products);
      const command = assessChangeRequestCommand(dto, crId, now(), catalogue);
      const { state } = await this.commands.execute(id, command, context);
      return `/app/projects/${id}?done=assessed&ref=${requestRef(state, crId)}#orders`;
    });
    if (refused) await this.showRequest(res, viewer, id, crId, refused);
  }

  @Post(':id/change-requests/:crId/amend')
  @Roles('pm')
  async amend(
    @Param('id', uuid) id: string,
    @Param('crId', uuid) crId: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, 'amend', body, async (form) => {
      const dto = await form.validate(AmendChangeRequestDto, {
        title: form.text('title'),
        description: form.text('description'),
      });
      const { state } = await this.commands.execute(id, amendChangeRequestCommand(dto, crId, now()), context);
      return `/app/projects/${id}?done=amended&ref=${requestRef(state, crId)}#requests`;
    });
    if (refused) await this.showRequest(res, viewer, id, crId, refused);
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
    const refused = await submitForm(res, 'decline', body, async (form) => {
      const dto = await form.validate(DeclineChangeRequestDto, {
        reason: form.text('reason'),
        category: form.text('category'),
      });
      const { state } = await this.commands.execute(id, declineChangeRequestCommand(dto, crId, now()), context);
      return `/app/projects/${id}?done=declined&ref=${requestRef(state, crId)}#requests`;
    });
    if (refused) await this.showRequest(res, viewer, id, crId, refused);
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
    const refused = await submitForm(res, 'draft', body, async (form) => {
      const dto = await form.validate(DraftChangeOrderDto, {
        changeRequestIds: form.list('changeRequestIds'),
        signer: { name: form.text('signer.name'), email: form.text('signer.email') },
        ...optional('expiresInDays', form.number('expiresInDays')),
        ...optional('terms', form.optional('terms')),
        ...optional('signerVerification', form.optional('signerVerification')),
      });
      const changeOrderId = newIdFor(context);
      const command = draftChangeOrderCommand(dto, changeOrderId, now(), await this.orders.draftDefaults());
      const { state } = await this.commands.execute(id, command, context);
      const number = orderRef(state, changeOrderId);
      return `/app/projects/${id}?done=drafted&ref=${number}#order-${number}`;
    });
    if (refused) await this.showProject(res, viewer, id, { refused });
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
    const refused = await submitForm(res, `issue-${coId}`, body, async () => {
      const number = orderRef((await this.orders.issue(id, coId, context)).state, coId);
      return `/app/projects/${id}?done=issued&ref=${number}#order-${number}`;
    });
    if (refused) await this.showProject(res, viewer, id, { refused });
  }

  @Post(':id/change-orders/:coId/revise')
  @Roles('pm')
  async revise(
    @Param('id', uuid) id: string,
    @Param('coId', uuid) coId: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, `revise-${coId}`, body, async () => {
      const { state } = await this.orders.revise(id, coId, context);
      const order = state.changeOrders.get(coId)!;
      const ref = encodeURIComponent(orderNumber(order));
      return `/app/projects/${id}?done=revised&ref=${ref}#order-${orderNumber({ number: order.number })}`;
    });
    if (refused) await this.showProject(res, viewer, id, { refused });
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
    const refused = await submitForm(res, `void-${coId}`, body, async (form) => {
      const { reason } = await form.validate(ReasonDto, { reason: form.text('reason') });
      const command: ProjectCommand = { type: 'VoidChangeOrder', now: now(), changeOrderId: coId, reason };
      const number = orderRef((await this.commands.execute(id, command, context)).state, coId);
      return `/app/projects/${id}?done=voided&ref=${number}#order-${number}`;
    });
    if (refused) await this.showProject(res, viewer, id, { refused });
  }

  @Get(':id/change-orders/:coId/preview.pdf')
  @Roles('pm', 'finance')
  async preview(@Param('id', uuid) id: string, @Param('coId', uuid) coId: string, @Res() res: Response) {
    const state = await this.reads.state(id);
    const order = state.changeOrders.get(coId);
    if (!order) throw notFound('This change order does not exist in this project');
    const pdf = await this.orders.draftPreview(state, order);
    if (!pdf) return res.redirect(303, `/app/projects/${id}/change-orders/${coId}/pdf`);
    sendDraftPreview(res, pdf, `${orderNumber(order)}-draft.pdf`);
  }

  @Get(':id/change-orders/:coId/pdf')
  @Roles('pm', 'finance')
  async pdf(@Param('id', uuid) id: string, @Param('coId', uuid) coId: string, @Res() res: Response) {
    const order = (await this.reads.state(id)).changeOrders.get(coId);
    if (!order) throw notFound('This change order does not exist in this project');
    const document = await this.orders.documentOf(order);
    const filename = `${orderNumber(order)}${document.signed ? '-signed' : ''}.pdf`;
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="${filename}"`);
    res.setHeader('X-Document-SHA256', document.sha256);
    res.send(document.pdf);
  }

  @Get(':id/audit')
  @Roles('pm', 'finance')
  async audit(@Param('id', uuid) id: string, @PageViewer() viewer: Viewer, @Res() res: Response) {
    const state = await this.reads.state(id);
    const events = await this.reads.events(id);
    const verification = verifyChain(projectStreamId(id), events);
    const shown = seesSignerNetwork(viewer.staff.role) ? events : events.map(withSignerNetworkWithheld);
    sendPage(res, 200, auditPage(viewer, { state, events: shown, verification }));
  }
}
