import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty } from '@nestjs/swagger';
import type { Response } from 'express';
import { CommandContext, newIdFor, ProjectCommands } from '@scope-ledger/platform';
import { changeRequestView, clientDependenciesView } from '@scope-ledger/projections';
import { Roles, StaffApi } from '../auth/staff-auth.guard';
import { AnswersAsOf, StaffContext, uuid } from '../http/request-context';
import { commandAnswer } from './command-answer';
import { IsCalendarDate, IsRef, IsText, OptionalField } from './dto/common.dto';
import { AsOfQueryDto } from './dto/project.dto';
import { ProjectReads } from './project-reads';
import { Answers } from '../http/answers';
import { ClientDependencies, ClientDependencyCommandAnswer, DelayChangeRequested } from './project.schemas';

const now = () => new Date().toISOString();

export class LogClientDependencyDto {
  @ApiProperty({ example: 'Global admin access to the Microsoft 365 tenant' })
  @IsText(300)
  what!: string;

  @OptionalField({ example: 'M2', description: 'the baseline milestone it holds up' })
  @IsRef('milestone')
  milestone?: string;

  @OptionalField({ example: '2026-03-09', description: "when the wait began; default: today in the project's zone" })
  @IsCalendarDate()
  since?: string;

  @ApiProperty({ example: '2026-03-11', description: 'when the client should have delivered it' })
  @IsCalendarDate()
  due!: string;
}

export class ResolveClientDependencyDto {
  @OptionalField({ example: '2026-03-16', description: "the day it arrived; default: today in the project's zone" })
  @IsCalendarDate()
  resolvedOn?: string;
}

export class RequestDelayChangeDto {
  @OptionalField({ example: 'M2', description: "the milestone that moves; default: the dependency's" })
  @IsRef('milestone')
  milestone?: string;
}

/** What a project waits for from its client, and the change requests for the days a late one cost. */
@StaffApi('client dependencies', 'pm', 'finance')
@Controller('api/projects/:id/client-dependencies')
export class ClientDependenciesController {
  constructor(
    private readonly commands: ProjectCommands,
    private readonly reads: ProjectReads,
  ) {}

  @Get()
  @AnswersAsOf()
  @ApiOperation({ summary: 'What the project waits for from its client, with working days waited and overdue' })
  @Answers(200, ClientDependencies, { errors: [404] })
  async list(@Param('id', uuid) id: string, @Query() query: AsOfQueryDto) {
    const state = await this.reads.state(id, query.asOf);
    return { ...clientDependenciesView(state, query.asOf ?? now()), asOf: query.asOf ?? null };
  }

  @Post()
  @Roles('pm')
  @ApiOperation({ summary: 'Log something the project waits for from its client' })
  @Answers(201, ClientDependencyCommandAnswer, { errors: [404, 409, 422], location: true })
  async log(
    @Param('id', uuid) id: string,
    @Body() dto: LogClientDependencyDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const dependencyId = newIdFor(context);
    const command = { type: 'LogClientDependency', now: now(), dependencyId, ...dto } as const;
    const outcome = await this.commands.execute(id, command, context);
    res.location(`/api/projects/${id}/client-dependencies`);
    return commandAnswer(res, outcome, this.one(outcome.state, dependencyId));
  }

  @Post(':depId/resolve')
  @HttpCode(200)
  @Roles('pm')
  @ApiOperation({ summary: 'Record the day the client delivered it' })
  @Answers(200, ClientDependencyCommandAnswer, { errors: [404, 409, 422] })
  async resolve(
    @Param('id', uuid) id: string,
    @Param('depId', uuid) dependencyId: string,
    @Body() dto: ResolveClientDependencyDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const command = { type: 'ResolveClientDependency', now: now(), dependencyId, ...dto } as const;
    const outcome = await this.commands.execute(id, command, context);
    return commandAnswer(res, outcome, this.one(outcome.state, dependencyId));
  }

  @Post(':depId/change-request')
  @Roles('pm')
  @ApiOperation({
    summary: 'Claim the working days a late dependency cost: an assessed, schedule-only change request',
    description: 'Draft and issue an order with it as with any request, for the client to sign.',
  })
  @Answers(201, DelayChangeRequested, { errors: [404, 409, 422], location: true })
  async requestDelayChange(
    @Param('id', uuid) id: string,
    @Param('depId', uuid) dependencyId: string,
    @Body() dto: RequestDelayChangeDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const changeRequestId = newIdFor(context);
    const command = { type: 'RequestDelayChange', now: now(), dependencyId, changeRequestId, ...dto } as const;
    const outcome = await this.commands.execute(id, command, context);
    res.location(`/api/projects/${id}/change-requests/${changeRequestId}`);
    return commandAnswer(res, outcome, {
      id: changeRequestId,
      changeRequest: changeRequestView(outcome.state, changeRequestId),
    });
  }

  private one(state: Parameters<typeof clientDependenciesView>[0], dependencyId: string) {
    return clientDependenciesView(state, now()).dependencies.find((d) => d.id === dependencyId)!;
  }
}
