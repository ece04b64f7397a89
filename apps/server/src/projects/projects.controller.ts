import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { invalid, notFound, projectStreamId, ProjectCommand } from '@scope-ledger/domain';
import { Position, verifyChain } from '@scope-ledger/event-store';
import { CommandContext, CommandOutcome, newIdFor, ProjectCommands, stateAsOf } from '@scope-ledger/platform';
import {
  boardView,
  budgetView,
  changeRequestView,
  compareProjectStates,
  projectSummary,
  scopeView,
  timelineView,
} from '@scope-ledger/projections';
import { Roles, StaffAuthGuard } from '../auth/staff-auth.guard';
import { MinPosition, StaffContext } from '../http/request-context';
import { commandAnswer } from './command-answer';
import {
  AsOfQueryDto,
  assessChangeRequestCommand,
  AssessChangeRequestDto,
  declineChangeRequestCommand,
  openProjectCommand,
  CompareQueryDto,
  DeclineChangeRequestDto,
  EstablishBaselineDto,
  LogChangeRequestDto,
  OpenProjectDto,
} from './dto/project.dto';
import { ProjectReads } from './project-reads';

const uuid = new ParseUUIDPipe({ version: undefined, errorHttpStatusCode: 404 });
const now = () => new Date().toISOString();

/** The number a request was given, from the event that logged it. */
function loggedNumber(outcome: CommandOutcome, changeRequestId: string): number {
  const logged = outcome.events.find(
    (event) => event.type === 'ChangeRequestLogged' && event.data.changeRequestId === changeRequestId,
  );
  if (logged?.type !== 'ChangeRequestLogged') {
    throw new Error(`Logging change request ${changeRequestId} recorded no ChangeRequestLogged event`);
  }
  return logged.data.number;
}

@ApiTags('projects')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Controller('api/projects')
export class ProjectsController {
  constructor(
    private readonly commands: ProjectCommands,
    private readonly reads: ProjectReads,
  ) {}

  private run(projectId: string, command: ProjectCommand, context: CommandContext) {
    return this.commands.execute(projectId, command, context);
  }

  private state(projectId: string, asOf?: string, minPosition?: Position) {
    return this.reads.state(projectId, asOf, minPosition);
  }

  @Post()
  @Roles('pm')
  @ApiOperation({ summary: 'Open a project' })
  async open(
    @Body() dto: OpenProjectDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const id = newIdFor(context);
    const outcome = await this.run(id, openProjectCommand(dto, id, now()), context);
    res.location(`/api/projects/${id}`);
    return commandAnswer(res, outcome, { id });
  }

  @Get()
  @Roles('pm', 'finance')
  @ApiOperation({ summary: 'List projects (see /api/portfolio for health figures)' })
  async list() {
    return (await this.reads.portfolio()).map((p) => ({
      id: p.projectId,
      name: p.name,
      client: p.client,
      currency: p.currency,
    }));
  }

  @Post(':id/baseline')
  @Roles('pm')
  @ApiOperation({ summary: 'Establish the baseline: scope items and milestones' })
  async baseline(
    @Param('id', uuid) id: string,
    @Body() dto: EstablishBaselineDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const outcome = await this.run(
      id,
      { type: 'EstablishBaseline', now: now(), items: dto.items, milestones: dto.milestones },
      context,
    );
    return commandAnswer(res, outcome);
  }

  @Get(':id')
  @Roles('pm', 'finance')
  @ApiOperation({ summary: 'Project summary: baseline, current, pending, totals, forecast end' })
  async summary(
    @Param('id', uuid) id: string,
    @Query() query: AsOfQueryDto,
    @Res({ passthrough: true }) res: Response,
    @MinPosition() min?: Position,
  ) {
    const state = await this.state(id, query.asOf, min);
    // The current summary carries the project's ETag, so a later command can send If-Match.
    const revision = (state as { revision?: number }).revision;
    if (!query.asOf && revision !== undefined) res.setHeader('ETag', `"${revision}"`);
    return { ...projectSummary(state), asOf: query.asOf ?? null };
  }

  @Get(':id/scope')
  @Roles('pm', 'finance')
  @ApiOperation({ summary: 'Scope items with their state: baseline, added, modified, removed, pending' })
  async scope(@Param('id', uuid) id: string, @Query() query: AsOfQueryDto, @MinPosition() min?: Position) {
    return { ...scopeView(await this.state(id, query.asOf, min)), asOf: query.asOf ?? null };
  }

  @Get(':id/budget')
  @Roles('pm', 'finance')
  @ApiOperation({ summary: 'Budget: baseline, approved changes, current, pending exposure, absorbed' })
  async budget(@Param('id', uuid) id: string, @Query() query: AsOfQueryDto, @MinPosition() min?: Position) {
    return { ...budgetView(await this.state(id, query.asOf, min)), asOf: query.asOf ?? null };
  }

  @Get(':id/timeline')
  @Roles('pm', 'finance')
  @ApiOperation({ summary: 'Milestones: baseline due, current due, slip in working days' })
  async timeline(@Param('id', uuid) id: string, @Query() query: AsOfQueryDto, @MinPosition() min?: Position) {
    return { ...timelineView(await this.state(id, query.asOf, min)), asOf: query.asOf ?? null };
  }

  @Get(':id/board')
  @Roles('pm', 'finance')
  @ApiOperation({ summary: 'The delivery board: columns and cards' })
  async board(@Param('id', uuid) id: string, @Query() query: AsOfQueryDto, @MinPosition() min?: Position) {
    return { ...boardView(await this.state(id, query.asOf, min)), asOf: query.asOf ?? null };
  }

  @Get(':id/compare')
  @Roles('pm', 'finance')
  @ApiOperation({ summary: 'What changed between two moments: scope, budget, timeline, board, orders and requests' })
  async compare(@Param('id', uuid) id: string, @Query() query: CompareQueryDto) {
    const to = query.to ?? new Date().toISOString();
    if (Date.parse(query.from) > Date.parse(to)) throw invalid('from must not be later than to', 'from');
    const events = await this.reads.events(id);
    const after = stateAsOf(events, to);
    if (!after.exists) throw notFound(`Project ${id} did not exist at ${to}`);
    return { from: query.from, to, ...compareProjectStates(stateAsOf(events, query.from), after) };
  }

  @Post(':id/change-requests')
  @Roles('pm')
  @ApiOperation({ summary: 'Log a client request' })
  async logRequest(
    @Param('id', uuid) id: string,
    @Body() dto: LogChangeRequestDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const changeRequestId = newIdFor(context);
    const outcome = await this.run(id, { type: 'LogChangeRequest', now: now(), changeRequestId, ...dto }, context);
    res.location(`/api/projects/${id}/change-requests/${changeRequestId}`);
    return commandAnswer(res, outcome, { id: changeRequestId, number: `CR-${loggedNumber(outcome, changeRequestId)}` });
  }

  @Get(':id/change-requests')
  @Roles('pm', 'finance')
  async listRequests(@Param('id', uuid) id: string, @Query() query: AsOfQueryDto, @MinPosition() min?: Position) {
    const state = await this.state(id, query.asOf, min);
    return [...state.changeRequests.keys()].map((crId) => changeRequestView(state, crId));
  }

  @Get(':id/change-requests/:crId')
  @Roles('pm', 'finance')
  async getRequest(@Param('id', uuid) id: string, @Param('crId', uuid) crId: string, @MinPosition() min?: Position) {
    const state = await this.state(id, undefined, min);
    if (!state.changeRequests.has(crId)) throw notFound(`Change request ${crId} not found`);
    return changeRequestView(state, crId);
  }

  @Post(':id/change-requests/:crId/assessment')
  @Roles('pm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assess a request: scope lines and schedule impact; prices are computed' })
  async assess(
    @Param('id', uuid) id: string,
    @Param('crId', uuid) crId: string,
    @Body() dto: AssessChangeRequestDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const outcome = await this.run(id, assessChangeRequestCommand(dto, crId, now()), context);
    return commandAnswer(res, outcome, { changeRequest: changeRequestView(outcome.state, crId) });
  }

  @Post(':id/change-requests/:crId/decline')
  @Roles('pm')
  @HttpCode(200)
  async decline(
    @Param('id', uuid) id: string,
    @Param('crId', uuid) crId: string,
    @Body() dto: DeclineChangeRequestDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const outcome = await this.run(id, declineChangeRequestCommand(dto, crId, now()), context);
    return commandAnswer(res, outcome, { changeRequest: changeRequestView(outcome.state, crId) });
  }

  @Get(':id/events')
  @Roles('pm', 'finance')
  @ApiOperation({ summary: 'The audit trail: every event with its actor and time' })
  async events(@Param('id', uuid) id: string) {
    const events = await this.reads.events(id);
    if (events.length === 0) throw notFound(`Project ${id} not found`);
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
  @Roles('pm', 'finance')
  @ApiOperation({ summary: 'Verify the hash chain of the project stream' })
  async verify(@Param('id', uuid) id: string) {
    const events = await this.reads.events(id);
    if (events.length === 0) throw notFound(`Project ${id} not found`);
    const result = verifyChain(projectStreamId(id), events);
    return {
      ...result,
      firstBreak: result.firstBreak ? { ...result.firstBreak, revision: Number(result.firstBreak.revision) } : null,
    };
  }
}
