import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  CHANGE_SOURCES,
  ChangeSource,
  DECLINE_CATEGORIES,
  DeclineCategory,
  ProjectCommand,
} from '@scope-ledger/domain';
import {
  IsCalendarDate,
  IsHours,
  IsMinorUnits,
  IsRateCard,
  IsTimestamp,
  NoControlCharacters,
  PersonDto,
} from './common.dto';

const REF = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
const REF_MESSAGE = (field: string) => `${field} must be 1 to 40 letters, digits, dots, dashes or underscores`;

export class OpenProjectDto {
  @ApiProperty({ example: 'Contoso M365 migration' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @NoControlCharacters()
  name!: string;

  @ApiProperty({ type: PersonDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PersonDto)
  client!: PersonDto;

  @ApiPropertyOptional({ type: PersonDto, description: 'the project manager, told when orders are signed or declined' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PersonDto)
  manager?: PersonDto;

  @ApiProperty({ example: 'USD' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code such as USD' })
  currency!: string;

  @ApiProperty({ example: { engineer: 15000, architect: 21000 }, description: 'role → minor units per hour' })
  @IsRateCard()
  @Transform(({ obj }) => (obj as { rates?: unknown }).rates)
  rates!: ReadonlyMap<string, number>;

  @ApiProperty({ example: '2026-03-02' })
  @IsCalendarDate()
  startDate!: string;

  @ApiPropertyOptional({ example: ['2026-05-25'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(400)
  @IsCalendarDate({ each: true, message: 'each holiday must be a calendar date (YYYY-MM-DD)' })
  holidays?: string[];
}

export class BaselineItemDto {
  @ApiProperty({ example: 'MIG-1' })
  @IsString()
  @Matches(REF, { message: REF_MESSAGE('ref') })
  ref!: string;

  @ApiProperty({ example: 'Migrate mailboxes' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  @NoControlCharacters()
  title!: string;

  @ApiProperty({ example: 'engineer' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @NoControlCharacters()
  role!: string;

  @ApiProperty({ example: 12.5 })
  @IsHours()
  hours!: number;

  @ApiPropertyOptional({ example: 0, description: 'minor units' })
  @IsOptional()
  @IsMinorUnits()
  fixedCost?: number;
}

export class MilestoneDto {
  @ApiProperty({ example: 'M1' })
  @IsString()
  @Matches(REF, { message: REF_MESSAGE('ref') })
  ref!: string;

  @ApiProperty({ example: 'Pilot complete' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @NoControlCharacters()
  name!: string;

  @ApiProperty({ example: '2026-03-20' })
  @IsCalendarDate()
  due!: string;
}

export class EstablishBaselineDto {
  @ApiProperty({ type: [BaselineItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => BaselineItemDto)
  items!: BaselineItemDto[];

  @ApiProperty({ type: [MilestoneDto] })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => MilestoneDto)
  milestones!: MilestoneDto[];
}

export class LogChangeRequestDto {
  @ApiProperty({ example: 'Add a shared mailbox for accounts payable' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  @NoControlCharacters()
  title!: string;

  @ApiProperty({ example: 'Requested by the finance lead during the weekly call.' })
  @IsString()
  @MaxLength(10_000)
  @NoControlCharacters()
  description!: string;

  @ApiProperty({ enum: CHANGE_SOURCES })
  @IsIn(CHANGE_SOURCES as string[], { message: `source must be one of ${CHANGE_SOURCES.join(', ')}` })
  source!: ChangeSource;

  @ApiProperty({ type: PersonDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PersonDto)
  requestedBy!: PersonDto;

  @ApiPropertyOptional({ example: '2026-03-04T15:30:00Z' })
  @IsOptional()
  @IsTimestamp()
  receivedAt?: string;

  @ApiPropertyOptional({ example: 'TCK-4821' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @NoControlCharacters()
  ticketRef?: string;
}

export class AssessmentLineDto {
  @ApiProperty({ enum: ['add', 'modify', 'remove'] })
  @IsIn(['add', 'modify', 'remove'], { message: 'op must be add, modify or remove' })
  op!: 'add' | 'modify' | 'remove';

  @ApiProperty({ example: 'MIG-9' })
  @IsString()
  @Matches(REF, { message: REF_MESSAGE('ref') })
  ref!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  @NoControlCharacters()
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @NoControlCharacters()
  role?: string;

  @ApiPropertyOptional({ example: 4 })
  @IsOptional()
  @IsHours()
  hours?: number;

  @ApiPropertyOptional({ example: 0 })
  @IsOptional()
  @IsMinorUnits()
  fixedCost?: number;
}

export class ScheduleShiftDto {
  @ApiProperty({ example: 'M2' })
  @IsString()
  @Matches(REF, { message: REF_MESSAGE('milestone') })
  milestone!: string;

  @ApiProperty({ example: 3, description: 'working days; negative pulls the milestone in' })
  @IsInt({ message: 'workingDays must be a whole number' })
  @Min(-260)
  @Max(260)
  workingDays!: number;
}

export class AssessChangeRequestDto {
  @ApiProperty({ type: [AssessmentLineDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AssessmentLineDto)
  lines!: AssessmentLineDto[];

  @ApiPropertyOptional({ type: [ScheduleShiftDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ScheduleShiftDto)
  schedule?: ScheduleShiftDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  @NoControlCharacters()
  notes?: string;

  @ApiPropertyOptional({ description: 'done as goodwill: priced at zero, cost tracked as absorbed' })
  @IsOptional()
  @IsBoolean()
  noCharge?: boolean;
}

export class DeclineChangeRequestDto {
  @ApiProperty({ example: 'Covered by the hardware warranty' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  @NoControlCharacters()
  reason!: string;

  @ApiPropertyOptional({ enum: DECLINE_CATEGORIES })
  @IsOptional()
  @IsIn(DECLINE_CATEGORIES as string[], { message: `category must be one of ${DECLINE_CATEGORIES.join(', ')}` })
  category?: DeclineCategory;
}

export class AsOfQueryDto {
  @ApiPropertyOptional({ example: '2026-03-10T00:00:00Z' })
  @IsOptional()
  @IsTimestamp()
  asOf?: string;
}

export class CompareQueryDto {
  @ApiProperty({ example: '2026-03-01T00:00:00Z' })
  @IsTimestamp()
  from!: string;

  @ApiPropertyOptional({ example: '2026-03-31T00:00:00Z', description: 'defaults to now' })
  @IsOptional()
  @IsTimestamp()
  to?: string;
}

/*
 * The commands these requests become, with their defaults, for the API and the staff pages alike.
 */
export function openProjectCommand(dto: OpenProjectDto, projectId: string, now: string): ProjectCommand {
  return {
    type: 'OpenProject',
    now,
    projectId,
    ...dto,
    rates: Object.fromEntries(dto.rates),
    holidays: dto.holidays ?? [],
  };
}

export function assessChangeRequestCommand(
  dto: AssessChangeRequestDto,
  changeRequestId: string,
  now: string,
): ProjectCommand {
  return {
    type: 'AssessChangeRequest',
    now,
    changeRequestId,
    lines: dto.lines,
    schedule: dto.schedule ?? [],
    notes: dto.notes,
    noCharge: dto.noCharge ?? false,
  };
}

export function declineChangeRequestCommand(
  dto: DeclineChangeRequestDto,
  changeRequestId: string,
  now: string,
): ProjectCommand {
  return {
    type: 'DeclineChangeRequest',
    now,
    changeRequestId,
    reason: dto.reason,
    category: dto.category ?? 'out_of_scope',
  };
}
