import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { invalid, notFound, projectStreamId, requestNumber, stateAt } from '@scope-ledger/domain';
import { verifyChain } from '@scope-ledger/event-store';
import { CommandContext, newIdFor, ProjectCommands, stateAsOf } from '@scope-ledger/platform';
import {
  BoardFlow,
  boardCardDetail,
  boardView,
  budgetView,
  changeRequestView,
  compareProjectStates,
  projectSummary,
  scopeView,
  timelineView,
} from '@scope-ledger/projections';
import { seesSignerNetwork, withSignerNetworkWithheld } from '../auth/signer-network';
import { Roles, StaffApi, StaffRequest } from '../auth/staff-auth.guard';
import { AnswersAsOf, StaffContext, uuid } from '../http/request-context';
import { commandAnswer } from './command-answer';
import {
  AsOfQueryDto,
  assessChangeRequestCommand,
  AssessChangeRequestDto,
  CompareQueryDto,
  declineChangeRequestCommand,
  establishBaselineCommand,
  amendChangeRequestCommand,
  AmendChangeRequestDto,
  DeclineChangeRequestDto,
  EstablishBaselineDto,
  LogChangeRequestDto,
  openProjectCommand,
  OpenProjectDto,
} from './dto/project.dto';
import { updateProjectSettingsCommand, UpdateProjectSettingsDto } from './dto/project-settings.dto';
import { ProjectReads } from './project-reads';
import { Answers, list } from '../http/answers';
import {
  AuditEvent,
  Budget,
  ChainVerification,
  ChangeRequest,
  ChangeRequestAsOf,
  ChangeRequestCommandAnswer,
  ChangeRequestLogged,
  CommandAnswer,
  Comparison,
  Created,
  ProjectListItem,
  ProjectSummaryAsOf,
  Scope,
  SummaryCommandAnswer,
  Timeline,
  BoardWithFlow,
  BoardCardDetail,
} from './project.schemas';

const now = () => new Date().toISOString();

@StaffApi('projects', 'pm', 'finance')
@Controller('api/projects')
export class ProjectsController {
  constructor(
    private readonly commands: ProjectCommands,
    private readonly reads: ProjectReads,
  ) {}

  @Post()
  @Roles('pm')
  @ApiOperation({ summary: 'Open a project' })
  @Answers(201, Created, { errors: [422], location: true })
  async open(
    @Body() dto: OpenProjectDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const id = newIdFor(context);
    const outcome = await this.commands.execute(id, openProjectCommand(dto, id, now()), context);
    res.location(`/api/projects/${id}`);
    return commandAnswer(res, outcome, { id });
  }

  @Get()
  @ApiOperation({ summary: 'List projects (see /api/portfolio for health figures)' })
  @Answers(200, list(ProjectListItem))
  async list() {
    const projects = await this.reads.portfolio();
    return projects.map((p) => ({
      id: p.projectId,
      name: p.name,
      client: p.client,
      currency: p.currency,
      status: p.status,
    }));
  }

  @Post(':id/baseline')
  @Roles('pm')
  @ApiOperation({ summary: 'Establish the baseline: scope items and milestones' })
  @Answers(201, CommandAnswer, { errors: [404, 409, 422] })
  async baseline(
    @Param('id', uuid) id: string,
    @Body() dto: EstablishBaselineDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const catalogue = await this.reads.catalogueFor(dto.products);
    const outcome = await this.commands.execute(id, establishBaselineCommand(dto, now(), catalogue), context);
    return commandAnswer(res, outcome);
  }

  @Get(':id')
  @AnswersAsOf()
  @ApiOperation({ summary: 'Project summary: baseline, current, pending, totals, forecast end' })
  @Answers(200, ProjectSummaryAsOf, { errors: [404], etag: true })
  async summary(
    @Param('id', uuid) id: string,
    @Query() query: AsOfQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const state = await this.reads.state(id, query.asOf);
    // The current summary carries the project's ETag, so a later command can send If-Match.
    if (!query.asOf && state.revision !== undefined) res.setHeader('ETag', `"${state.revision}"`);
    return { ...projectSummary(state), asOf: query.asOf ?? null };
  }

  @Patch(':id')
  @Roles('pm')
  @ApiOperation({
    summary: 'Change settings: name, manager, client contacts, holidays, rates, default expiry, time zone',
    description: 'One event per kind of change; nothing that differs appends nothing. If-Match is honoured.',
  })
  @Answers(200, SummaryCommandAnswer, { errors: [404, 409, 422] })
  async updateSettings(
    @Param('id', uuid) id: string,
    @Body() dto: UpdateProjectSettingsDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const outcome = await this.commands.execute(id, updateProjectSettingsCommand(dto, now()), context);
    return commandAnswer(res, outcome, projectSummary(outcome.state));
  }

  @Post(':id/close')
  @Roles('pm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close: no new change requests or orders; issued orders can still be signed' })
  @Answers(200, SummaryCommandAnswer, { errors: [404, 409] })
  async close(
    @Param('id', uuid) id: string,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const outcome = await this.commands.execute(id, { type: 'CloseProject', now: now() }, context);
    return commandAnswer(res, outcome, projectSummary(outcome.state));
  }

  @Post(':id/reopen')
  @Roles('pm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reopen a closed or archived project' })
  @Answers(200, SummaryCommandAnswer, { errors: [404, 409] })
  async reopen(
    @Param('id', uuid) id: string,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const outcome = await this.commands.execute(id, { type: 'ReopenProject', now: now() }, context);
    return commandAnswer(res, outcome, projectSummary(outcome.state));
  }

  @Post(':id/archive')
  @Roles('pm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Archive a closed project: hidden from the portfolio unless ?archived=true' })
  @Answers(200, SummaryCommandAnswer, { errors: [404, 409] })
  async archive(
    @Param('id', uuid) id: string,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const outcome = await this.commands.execute(id, { type: 'ArchiveProject', now: now() }, context);
    return commandAnswer(res, outcome, projectSummary(outcome.state));
  }

  @Get(':id/scope')
  @AnswersAsOf()
  @ApiOperation({ summary: 'Scope items with their state: baseline, added, modified, removed, pending' })
  @Answers(200, Scope, { errors: [404] })
  async scope(@Param('id', uuid) id: string, @Query() query: AsOfQueryDto) {
    return { ...scopeView(await this.reads.state(id, query.asOf)), asOf: query.asOf ?? null };
  }

  @Get(':id/budget')
  @AnswersAsOf()
  @ApiOperation({ summary: 'Budget: baseline, approved changes, current, pending exposure, absorbed' })
  @Answers(200, Budget, { errors: [404] })
  async budget(@Param('id', uuid) id: string, @Query() query: AsOfQueryDto) {
    return { ...budgetView(await this.reads.state(id, query.asOf)), asOf: query.asOf ?? null };
  }

  @Get(':id/timeline')
  @AnswersAsOf()
  @ApiOperation({ summary: 'Milestones: baseline due, current due, slip in working days' })
  @Answers(200, Timeline, { errors: [404] })
  async timeline(@Param('id', uuid) id: string, @Query() query: AsOfQueryDto) {
    return { ...timelineView(await this.reads.state(id, query.asOf)), asOf: query.asOf ?? null };
  }

  @Get(':id/board')
  @AnswersAsOf()
  @ApiOperation({ summary: 'The delivery board: columns and cards, and the time cards spend in each column' })
  @Answers(200, BoardWithFlow, { errors: [404] })
  async board(@Param('id', uuid) id: string, @Query() query: AsOfQueryDto) {
    const { state, events, at } = await this.reads.stateWithEvents(id, query.asOf);
    const cycleTimes = BoardFlow.of(events, at).cycleTimes();
    return { ...boardView(state), cycleTimes, asOf: query.asOf ?? null };
  }

  @Get(':id/board/cards/:cardId')
  @AnswersAsOf()
  @ApiOperation({ summary: 'One card: estimate, logged and remaining hours, its time entries and its columns' })
  @Answers(200, BoardCardDetail, { errors: [404] })
  async boardCard(@Param('id', uuid) id: string, @Param('cardId') cardId: string, @Query() query: AsOfQueryDto) {
    const { state, events, at } = await this.reads.stateWithEvents(id, query.asOf);
    const card = boardCardDetail(state, BoardFlow.of(events, at), cardId);
    if (!card) throw notFound(`Card ${cardId} not found${query.asOf ? ` as of ${query.asOf}` : ''}`);
    return { ...card, asOf: query.asOf ?? null };
  }

  @Get(':id/compare')
  @ApiOperation({ summary: 'What changed between two moments: scope, budget, timeline, board, orders and requests' })
  @Answers(200, Comparison, { errors: [404, 422] })
  async compare(@Param('id', uuid) id: string, @Query() query: CompareQueryDto) {
    const to = query.to ?? now();
    if (Date.parse(query.from) > Date.parse(to)) throw invalid('from must not be later than to', 'from');
    const events = await this.reads.events(id);
    const after = stateAsOf(events, to);
    if (!after.exists) throw notFound(`Project ${id} did not exist at ${to}`);
    // Each moment reads as it would then: orders past their expiry are expired, recorded or not.
    const before = stateAt(stateAsOf(events, query.from), query.from);
    return { from: query.from, to, ...compareProjectStates(before, stateAt(after, to)) };
  }

  @Post(':id/change-requests')
  @Roles('pm')
  @ApiOperation({ summary: 'Log a client request' })
  @Answers(201, ChangeRequestLogged, { errors: [404, 409, 422], location: true })
  async logRequest(
    @Param('id', uuid) id: string,
    @Body() dto: LogChangeRequestDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const changeRequestId = newIdFor(context);
    const command = { type: 'LogChangeRequest', now: now(), changeRequestId, ...dto } as const;
    const outcome = await this.commands.execute(id, command, context);
    res.location(`/api/projects/${id}/change-requests/${changeRequestId}`);
    const number = requestNumber(outcome.state.changeRequests.get(changeRequestId)!);
    return commandAnswer(res, outcome, { id: changeRequestId, number });
  }

  @Get(':id/change-requests')
  @AnswersAsOf()
  @Answers(200, list(ChangeRequest), { errors: [404], summary: 'Change requests with their status and assessment' })
  async listRequests(@Param('id', uuid) id: string, @Query() query: AsOfQueryDto) {
    const state = await this.reads.state(id, query.asOf);
    return [...state.changeRequests.keys()].map((crId) => changeRequestView(state, crId));
  }

  @Get(':id/change-requests/:crId')
  @AnswersAsOf()
  @Answers(200, ChangeRequestAsOf, { errors: [404], summary: 'One change request' })
  async getRequest(@Param('id', uuid) id: string, @Param('crId', uuid) crId: string, @Query() query: AsOfQueryDto) {
    const state = await this.reads.state(id, query.asOf);
    if (!state.changeRequests.has(crId))
      throw notFound(`Change request ${crId} not found${query.asOf ? ` as of ${query.asOf}` : ''}`);
    return { ...changeRequestView(state, crId), asOf: query.asOf ?? null };
  }

  @Post(':id/change-requests/:crId/assessment')
  @Roles('pm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assess a request: scope lines and schedule impact; prices are computed' })
  @Answers(200, ChangeRequestCommandAnswer, { errors: [404, 409, 422] })
  async assess(
    @Param('id', uuid) id: string,
    @Param('crId', uuid) crId: string,
    @Body() dto: AssessChangeRequestDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const catalogue = await this.reads.catalogueFor(dto.products);
    const command = assessChangeRequestCommand(dto, crId, now(), catalogue);
    const outcome = await this.commands.execute(id, command, context);
    return commandAnswer(res, outcome, { changeRequest: changeRequestView(outcome.state, crId) });
  }

  @Patch(':id/change-requests/:crId')
  @Roles('pm')
  @ApiOperation({ summary: 'Correct the title or description of a request not yet on an order' })
  @Answers(200, ChangeRequestCommandAnswer, { errors: [404, 409, 422] })
  async amend(
    @Param('id', uuid) id: string,
    @Param('crId', uuid) crId: string,
    @Body() dto: AmendChangeRequestDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const outcome = await this.commands.execute(id, amendChangeRequestCommand(dto, crId, now()), context);
    return commandAnswer(res, outcome, { changeRequest: changeRequestView(outcome.state, crId) });
  }

  @Post(':id/change-requests/:crId/decline')
  @Roles('pm')
  @HttpCode(200)
  @Answers(200, ChangeRequestCommandAnswer, { errors: [404, 409, 422], summary: 'Decline a request with a reason' })
  async decline(
    @Param('id', uuid) id: string,
    @Param('crId', uuid) crId: string,
    @Body() dto: DeclineChangeRequestDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const outcome = await this.commands.execute(id, declineChangeRequestCommand(dto, crId, now()), context);
    return commandAnswer(res, outcome, { changeRequest: changeRequestView(outcome.state, crId) });
  }

  @Get(':id/events')
  @ApiOperation({
    summary: 'The audit trail: every event with its actor and time',
    description: "For finance keys the signer's IP address and user agent read (withheld); the certificate has them.",
  })
  @Answers(200, list(AuditEvent), { errors: [404] })
  async events(@Param('id', uuid) id: string, @Req() request: StaffRequest) {
    const recorded = await this.reads.events(id);
    if (recorded.length === 0) throw notFound(`Project ${id} not found`);
    const events = seesSignerNetwork(request.staff!.role) ? recorded : recorded.map(withSignerNetworkWithheld);
    return events.map((e) => ({
      revision: Number(e.revision),
      id: e.id,
      type: e.type,
      schemaVersion: e.schemaVersion,
      occurredAt: e.metadata.occurredAt,
      recordedAt: e.recordedAt,
      actor: e.metadata.actor,
      correlationId: e.metadata.correlationId,
      ...(e.metadata.ip ? { ip: e.metadata.ip, userAgent: e.metadata.userAgent } : {}),
      hash: e.metadata.hash ?? null,
      data: e.data,
    }));
  }

  @Get(':id/audit/verify')
  @ApiOperation({ summary: 'Verify the hash chain of the project stream' })
  @Answers(200, ChainVerification, { errors: [404] })
  async verify(@Param('id', uuid) id: string) {
    const events = await this.reads.events(id);
    if (events.length === 0) throw notFound(`Project ${id} not found`);
    const { firstBreak, ...result } = verifyChain(projectStreamId(id), events);
    return { ...result, firstBreak: firstBreak ? { ...firstBreak, revision: Number(firstBreak.revision) } : null };
  }
}
