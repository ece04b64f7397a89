import { Body, Controller, HttpCode, Inject, Param, Post, Put, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty } from '@nestjs/swagger';
import type { Response } from 'express';
import { IsDefined, IsIn, IsObject, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { BOARD_COLUMNS, BoardColumn, ProjectCommand } from '@scope-ledger/domain';
import { assignBoardCard, CommandContext, Platform, ProjectCommands } from '@scope-ledger/platform';
import { boardView } from '@scope-ledger/projections';
import { StaffApi } from '../auth/staff-auth.guard';
import { StaffContext, uuid } from '../http/request-context';
import { commandAnswer } from '../projects/command-answer';
import { PLATFORM } from '../platform.token';
import { IsCalendarDate, IsHours, IsText, OptionalField } from '../projects/dto/common.dto';
import { Answers } from '../http/answers';
import { BoardCommandAnswer } from '../projects/project.schemas';

class AddCardDto {
  @ApiProperty({ example: 'NET-7', description: 'the scope item the work belongs to' })
  @IsString()
  @MaxLength(40)
  ref!: string;
}

class MoveCardDto {
  @ApiProperty({ enum: BOARD_COLUMNS })
  @IsIn(BOARD_COLUMNS as string[], { message: `to must be one of ${BOARD_COLUMNS.join(', ')}` })
  to!: BoardColumn;
}

class AssignCardDto {
  @ApiProperty({
    example: 'P-3',
    nullable: true,
    description: 'a person of the team (GET /api/team/people); null: no one',
  })
  @ValidateIf((_dto, value) => value !== null)
  @Matches(/^P-[1-9]\d{0,8}$/, { message: 'personId must name a person of the team, such as P-3, or be null' })
  @IsString({ message: 'personId must name a person of the team, such as P-3, or be null' })
  @IsDefined({ message: 'personId is required: a person of the team, such as P-3, or null to unassign' })
  personId!: string | null;
}

class WipLimitsDto {
  @ApiProperty({ example: { in_progress: 3, review: 2 }, description: 'column → limit, or null for none' })
  @IsObject()
  limits!: Partial<Record<BoardColumn, number | null>>;
}

class LogTimeDto {
  @ApiProperty({ example: 2.5 })
  @IsHours()
  hours!: number;

  @ApiProperty({ example: '2026-03-04' })
  @IsCalendarDate()
  date!: string;

  @OptionalField()
  @IsText(2000, { allowEmpty: true })
  note?: string;
}

@StaffApi('board', 'pm')
@Controller('api/projects/:id/board')
export class BoardController {
  constructor(
    private readonly commands: ProjectCommands,
    @Inject(PLATFORM) private readonly platform: Platform,
  ) {}

  private async run(id: string, command: ProjectCommand, context: CommandContext, res: Response) {
    const outcome = await this.commands.execute(id, command, context);
    return commandAnswer(res, outcome, { board: boardView(outcome.state) });
  }

  @Post('cards')
  @ApiOperation({
    summary: 'Refused by design: work enters the board only through the baseline or a signed change order',
  })
  @Answers(201, BoardCommandAnswer, { errors: [404, 409, 422] })
  addCard(
    @Param('id', uuid) id: string,
    @Body() dto: AddCardDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run(id, { type: 'AddBoardCard', now: new Date().toISOString(), ...dto }, context, res);
  }

  @Post('cards/:cardId/move')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move a card; WIP limits hold' })
  @Answers(200, BoardCommandAnswer, { errors: [404, 409, 422] })
  move(
    @Param('id', uuid) id: string,
    @Param('cardId') cardId: string,
    @Body() dto: MoveCardDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run(id, { type: 'MoveCard', now: new Date().toISOString(), cardId, ...dto }, context, res);
  }

  @Put('cards/:cardId/assignee')
  @ApiOperation({
    summary: 'Give a card to a person of the team, or to no one with null; capacity plans its remaining hours on them',
  })
  @Answers(200, BoardCommandAnswer, { errors: [404, 409, 422] })
  async assign(
    @Param('id', uuid) id: string,
    @Param('cardId') cardId: string,
    @Body() dto: AssignCardDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const command = { now: new Date().toISOString(), cardId, personId: dto.personId };
    const outcome = await assignBoardCard(this.platform.team, this.commands, id, command, context);
    return commandAnswer(res, outcome, { board: boardView(outcome.state) });
  }

  @Put('wip-limits')
  @ApiOperation({ summary: 'Set WIP limits per column' })
  @Answers(200, BoardCommandAnswer, { errors: [404, 409, 422] })
  limits(
    @Param('id', uuid) id: string,
    @Body() dto: WipLimitsDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run(id, { type: 'SetWipLimits', now: new Date().toISOString(), ...dto }, context, res);
  }

  @Post('cards/:cardId/time')
  @ApiOperation({ summary: 'Log time against a card; hours above the signed estimate are flagged as unapproved work' })
  @Answers(201, BoardCommandAnswer, { errors: [404, 409, 422] })
  logTime(
    @Param('id', uuid) id: string,
    @Param('cardId') cardId: string,
    @Body() dto: LogTimeDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run(id, { type: 'LogTime', now: new Date().toISOString(), cardId, ...dto }, context, res);
  }
}
