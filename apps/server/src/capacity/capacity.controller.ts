import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { calendarDateIn, capacityCell, capacityPlan, isIsoDate, mondayOf, notFound } from '@scope-ledger/domain';
import { StaffApi } from '../auth/staff-auth.guard';
import { ProblemException } from '../http/problem-details.filter';
import { AnswersAsOf } from '../http/request-context';
import { IsCalendarDate, IsTimestamp, OptionalField } from '../projects/dto/common.dto';
import { CapacityReads } from './capacity-reads';
import { Answers } from '../http/answers';
import { CapacityCell, CapacityPlan } from '../team/team.schemas';

export const DEFAULT_WEEKS = 12;
export const MAX_WEEKS = 52;

class CapacityQueryDto {
  @OptionalField({
    example: '2026-03-02',
    description: "the first week (moved back to its Monday); default: this week's",
  })
  @IsCalendarDate()
  from?: string;

  @OptionalField({ type: 'integer', example: 12, description: 'how many weeks, 1 to 52; default 12' })
  @Type(() => Number)
  @IsInt({ message: 'weeks must be a whole number from 1 to 52' })
  @Min(1, { message: 'weeks must be a whole number from 1 to 52' })
  @Max(MAX_WEEKS, { message: 'weeks must be a whole number from 1 to 52' })
  weeks?: number;

  @OptionalField({ example: '2026-03-10T00:00:00Z' })
  @IsTimestamp()
  asOf?: string;
}

class CellQueryDto {
  @OptionalField({ example: '2026-03-10T00:00:00Z' })
  @IsTimestamp()
  asOf?: string;
}

/** Load against capacity per person and week across every project (see the planning rule in docs/architecture.md). */
@StaffApi('capacity', 'pm', 'finance')
@Controller('api/capacity')
export class CapacityController {
  constructor(private readonly capacity: CapacityReads) {}

  @Get()
  @AnswersAsOf()
  @ApiOperation({
    summary:
      'Load against capacity per person and week across every project, unassigned demand per role, reactive work',
  })
  @Answers(200, CapacityPlan)
  async plan(@Query() query: CapacityQueryDto) {
    const sources = await this.capacity.sources(query.asOf);
    const from = mondayOf(query.from ?? calendarDateIn(sources.now, undefined));
    const plan = capacityPlan({ ...sources, from, weeks: query.weeks ?? DEFAULT_WEEKS });
    return { ...plan, asOf: query.asOf ?? null };
  }

  @Get('people/:personId/weeks/:weekOf')
  @AnswersAsOf()
  @ApiOperation({
    summary: "The cards behind one person's week: project, card, and the hours planned for it that week",
  })
  @Answers(200, CapacityCell, { errors: [404] })
  async cell(@Param('personId') personId: string, @Param('weekOf') weekOf: string, @Query() query: CellQueryDto) {
    if (!isIsoDate(weekOf)) {
      const message = 'weekOf must be a calendar date (YYYY-MM-DD)';
      throw new ProblemException(400, 'Invalid request', message, [{ field: 'weekOf', message }]);
    }
    const sources = await this.capacity.sources(query.asOf);
    const person = sources.team.people.get(personId);
    if (!person) throw notFound(`Person ${personId} is not on the team`);
    const monday = mondayOf(weekOf);
    const input = { ...sources, from: monday, weeks: 1 };
    const week = capacityPlan(input).people.find((p) => p.personId === personId)?.weeks[0] ?? null;
    return {
      personId,
      name: person.name,
      role: person.role,
      weekOf: monday,
      week,
      cards: capacityCell(input, personId, monday),
      asOf: query.asOf ?? null,
    };
  }
}
