import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { IsBoolean } from 'class-validator';
import { Transform } from 'class-transformer';
import { mondayOf, notFound, TeamState } from '@scope-ledger/domain';
import { formatPosition } from '@scope-ledger/event-store';
import { CommandContext, Platform, TeamOutcome } from '@scope-ledger/platform';
import { Roles, StaffApi } from '../auth/staff-auth.guard';
import { StaffContext } from '../http/request-context';
import { PLATFORM } from '../platform.token';
import { IsCalendarDate, OptionalField } from '../projects/dto/common.dto';
import { AddTeamMemberDto, BookTimeOffDto, LogReactiveWorkDto, UpdateTeamMemberDto } from './team.dto';
import { personView, reactiveWorkView, teamView } from './team-view';
import { Answers, list } from '../http/answers';
import { ProblemException } from '../http/problem-details.filter';
import { ReactiveWork, TeamCommandAnswer, TeamPerson } from './team.schemas';

const now = () => new Date().toISOString();

class TeamQueryDto {
  @OptionalField({ description: 'true: list people who left too' })
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'left must be true or false' })
  left?: boolean;
}

class ReactiveWorkQueryDto {
  @OptionalField({
    example: '2026-03-02',
    description: "weeks from this day's Monday on (any day: moved back to its Monday)",
  })
  @IsCalendarDate()
  from?: string;

  @OptionalField({
    example: '2026-03-30',
    description: "weeks up to this day's Monday (any day: moved back to its Monday); not before from",
  })
  @IsCalendarDate()
  to?: string;
}

/** The people who deliver the work: roles, weekly capacity, time off and reactive work, in the stream `team`. */
@StaffApi('team', 'pm', 'finance')
@Controller('api/team/people')
export class TeamController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Get()
  @ApiOperation({ summary: 'The team in the order added: role, weekly capacity, time off; leavers with ?left=true' })
  @Answers(200, list(TeamPerson))
  async list(@Query() query: TeamQueryDto) {
    const { state } = await this.platform.team.load();
    return teamView(state, { left: query.left ?? false });
  }

  @Get(':personId')
  @ApiOperation({ summary: 'One person, leavers too (marked left); 404 if unknown' })
  @Answers(200, TeamPerson, { errors: [404] })
  async person(@Param('personId') personId: string) {
    const { state } = await this.platform.team.load();
    return personView(state, required(state, personId));
  }

  @Post()
  @Roles('pm')
  @ApiOperation({ summary: 'Add a person: name, role, weekly capacity in hours, email to link a staff account later' })
  @Answers(201, TeamCommandAnswer, { errors: [409, 422] })
  async add(
    @Body() dto: AddTeamMemberDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const outcome = await this.platform.team.execute({ type: 'AddTeamMember', now: now(), ...dto }, context);
    const added = outcome.events[0]?.data.personId;
    res.location(`/api/team/people/${added}`);
    return answer(outcome, added);
  }

  @Patch(':personId')
  @Roles('pm')
  @ApiOperation({ summary: 'Change a person: name, email, role or weekly capacity; plans from now on use it' })
  @Answers(200, TeamCommandAnswer, { errors: [404, 409, 422] })
  async update(
    @Param('personId') personId: string,
    @Body() dto: UpdateTeamMemberDto,
    @StaffContext() context: CommandContext,
  ) {
    const command = { type: 'UpdateTeamMember', now: now(), personId, ...dto } as const;
    return answer(await this.platform.team.execute(command, context), personId);
  }

  @Post(':personId/leave')
  @Roles('pm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that a person left: no new work or time off; their cards become unassigned demand' })
  @Answers(200, TeamCommandAnswer, { errors: [404, 409, 422] })
  async leave(@Param('personId') personId: string, @StaffContext() context: CommandContext) {
    const command = { type: 'RemoveTeamMember', now: now(), personId } as const;
    return answer(await this.platform.team.execute(command, context), personId);
  }

  @Post(':personId/time-off')
  @Roles('pm')
  @ApiOperation({ summary: 'Book days away, from and to inclusive; the weeks they fall in lose a fifth per weekday' })
  @Answers(201, TeamCommandAnswer, { errors: [404, 409, 422] })
  async bookTimeOff(
    @Param('personId') personId: string,
    @Body() dto: BookTimeOffDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const command = { type: 'BookTimeOff', now: now(), personId, ...dto } as const;
    const outcome = await this.platform.team.execute(command, context);
    res.location(`/api/team/people/${encodeURIComponent(personId)}`);
    return answer(outcome, personId);
  }

  @Delete(':personId/time-off/:timeOffId')
  @Roles('pm')
  @ApiOperation({ summary: 'Cancel a booking; it stays on record, marked cancelled' })
  @Answers(200, TeamCommandAnswer, { errors: [404, 409, 422] })
  async cancelTimeOff(
    @Param('personId') personId: string,
    @Param('timeOffId') timeOffId: string,
    @StaffContext() context: CommandContext,
  ) {
    const command = { type: 'CancelTimeOff', now: now(), personId, timeOffId } as const;
    return answer(await this.platform.team.execute(command, context), personId);
  }

  @Get(':personId/reactive-work')
  @ApiOperation({ summary: 'Reactive work logged for a person, newest week first, with the total' })
  @Answers(200, ReactiveWork, { errors: [404] })
  async reactiveWork(@Param('personId') personId: string, @Query() query: ReactiveWorkQueryDto) {
    const { state } = await this.platform.team.load();
    required(state, personId);
    if (query.from && query.to && query.from > query.to) {
      const message = 'from must not be after to';
      throw new ProblemException(400, 'Invalid request', message, [{ field: 'from', message }]);
    }
    const range = { from: query.from && mondayOf(query.from), to: query.to && mondayOf(query.to) };
    return reactiveWorkView(state, personId, range);
  }

  @Post(':personId/reactive-work')
  @Roles('pm')
  @ApiOperation({ summary: 'Log hours of ticket or outage work pulled from a person in a week (weekOf: its Monday)' })
  @Answers(201, TeamCommandAnswer, { errors: [404, 409, 422] })
  async logReactiveWork(
    @Param('personId') personId: string,
    @Body() dto: LogReactiveWorkDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const command = { type: 'LogReactiveWork', now: now(), personId, ...dto } as const;
    const outcome = await this.platform.team.execute(command, context);
    res.location(`/api/team/people/${encodeURIComponent(personId)}/reactive-work`);
    const entry = outcome.events[0]?.type === 'ReactiveWorkLogged' ? outcome.events[0].data.entryId : null;
    return { ...answer(outcome, personId), entryId: entry };
  }
}

function required(state: TeamState, personId: string) {
  const person = state.people.get(personId);
  if (!person) throw notFound(`Person ${personId} is not on the team`);
  return person;
}

function answer(outcome: TeamOutcome, personId: string) {
  return {
    person: personView(outcome.state, required(outcome.state, personId)),
    revision: Number(outcome.revision),
    position: outcome.position ? formatPosition(outcome.position) : null,
    events: outcome.events.map((e) => e.type),
  };
}
