import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsTimeZone, Max, Min } from 'class-validator';
import {
  CatalogueState,
  CHANGE_SOURCES,
  ChangeSource,
  DECLINE_CATEGORIES,
  DeclineCategory,
  findProduct,
  ProjectCommand,
} from '@scope-ledger/domain';
import {
  IsCalendarDate,
  IsCurrencyCode,
  IsHours,
  IsListOf,
  IsMinorUnits,
  IsNestedObject,
  IsRateCard,
  IsRef,
  IsText,
  IsTimestamp,
  OptionalField,
  PersonDto,
} from './common.dto';

export class OpenProjectDto {
  @ApiProperty({ example: 'Contoso M365 migration' })
  @IsText(200)
  name!: string;

  @ApiProperty({ type: PersonDto })
  @IsNestedObject(() => PersonDto)
  client!: PersonDto;

  @OptionalField({ type: PersonDto, description: 'the project manager, told when orders are signed or declined' })
  @IsNestedObject(() => PersonDto)
  manager?: PersonDto;

  @ApiProperty({ example: 'USD' })
  @IsCurrencyCode()
  currency!: string;

  @ApiProperty({ example: { engineer: 15000, architect: 21000 }, description: 'role → minor units per hour' })
  @IsRateCard()
  @Transform(({ obj }) => (obj as { rates?: unknown }).rates)
  rates!: ReadonlyMap<string, number>;

  @ApiProperty({ example: '2026-03-02' })
  @IsCalendarDate()
  startDate!: string;

  @OptionalField({ example: ['2026-05-25'] })
  @IsArray()
  @ArrayMaxSize(400)
  @IsCalendarDate({ each: true, message: 'each holiday must be a calendar date (YYYY-MM-DD)' })
  holidays?: string[];

  @OptionalField({ example: 'Europe/Berlin', description: "IANA time zone name: where the project's days are judged" })
  @IsTimeZone({ message: 'timeZone must be an IANA time zone name such as Europe/Berlin' })
  timeZone?: string;
}

export class BaselineItemDto {
  @ApiProperty({ example: 'MIG-1' })
  @IsRef('ref')
  ref!: string;

  @ApiProperty({ example: 'Migrate mailboxes' })
  @IsText(300)
  title!: string;

  @ApiProperty({ example: 'engineer' })
  @IsText(100)
  role!: string;

  @ApiProperty({ example: 12.5 })
  @IsHours()
  hours!: number;

  @OptionalField({ example: 0, description: 'minor units' })
  @IsMinorUnits()
  fixedCost?: number;

  @OptionalField({
    example: 'M1',
    description: "the ref of a milestone of this baseline the work is due by; left out: the project's last milestone",
  })
  @IsRef('milestone')
  milestone?: string;
}

export class MilestoneDto {
  @ApiProperty({ example: 'M1' })
  @IsRef('ref')
  ref!: string;

  @ApiProperty({ example: 'Pilot complete' })
  @IsText(200)
  name!: string;

  @ApiProperty({ example: '2026-03-20' })
  @IsCalendarDate()
  due!: string;
}

export class ProductLineDto {
  @ApiProperty({ enum: ['add', 'modify', 'remove'] })
  @IsIn(['add', 'modify', 'remove'], { message: 'op must be add, modify or remove' })
  op!: 'add' | 'modify' | 'remove';

  @ApiProperty({ example: 'LIC-M365-BP', description: 'a catalogue SKU, in any letter case' })
  @IsRef('sku')
  sku!: string;

  @OptionalField({ example: 25, description: 'units after the change (add, modify); a removal names none' })
  @IsNumber({}, { message: 'quantity must be a whole number from 1 to 1000000' })
  quantity?: number;
}

export class EstablishBaselineDto {
  @ApiProperty({ type: [BaselineItemDto] })
  @IsListOf(() => BaselineItemDto, { min: 1, max: 2000 })
  items!: BaselineItemDto[];

  @ApiProperty({ type: [MilestoneDto] })
  @IsListOf(() => MilestoneDto, { max: 500 })
  milestones!: MilestoneDto[];

  @OptionalField({
    type: [ProductLineDto],
    description: 'catalogue products the contract starts with (op add), priced from the catalogue as it stands',
  })
  @IsListOf(() => ProductLineDto, { max: 200 })
  products?: ProductLineDto[];
}

export class LogChangeRequestDto {
  @ApiProperty({ example: 'Add a shared mailbox for accounts payable' })
  @IsText(300)
  title!: string;

  @ApiProperty({ example: 'Requested by the finance lead during the weekly call.' })
  @IsText(10_000, { allowEmpty: true })
  description!: string;

  @ApiProperty({ enum: CHANGE_SOURCES })
  @IsIn(CHANGE_SOURCES as string[], { message: `source must be one of ${CHANGE_SOURCES.join(', ')}` })
  source!: ChangeSource;

  @ApiProperty({ type: PersonDto })
  @IsNestedObject(() => PersonDto)
  requestedBy!: PersonDto;

  @OptionalField({ example: '2026-03-04T15:30:00Z' })
  @IsTimestamp()
  receivedAt?: string;

  @OptionalField({ example: 'TCK-4821' })
  @IsText(100, { allowEmpty: true })
  ticketRef?: string;
}

export class AssessmentLineDto {
  @ApiProperty({ enum: ['add', 'modify', 'remove'] })
  @IsIn(['add', 'modify', 'remove'], { message: 'op must be add, modify or remove' })
  op!: 'add' | 'modify' | 'remove';

  @ApiProperty({ example: 'MIG-9' })
  @IsRef('ref')
  ref!: string;

  @OptionalField()
  @IsText(300)
  title?: string;

  @OptionalField()
  @IsText(100)
  role?: string;

  @OptionalField({ example: 4 })
  @IsHours()
  hours?: number;

  @OptionalField({ example: 0 })
  @IsMinorUnits()
  fixedCost?: number;

  @OptionalField({
    example: 'M2',
    nullable: true,
    description:
      "the ref of the project's milestone the item is due by (add, modify); on modify, left out keeps the item's " +
      "and null plans it to the project's last milestone again",
  })
  @IsRef('milestone')
  milestone?: string | null;
}

export class ScheduleShiftDto {
  @ApiProperty({ example: 'M2' })
  @IsRef('milestone')
  milestone!: string;

  @ApiProperty({ example: 3, description: 'working days; negative pulls the milestone in' })
  @IsInt({ message: 'workingDays must be a whole number' })
  @Min(-260)
  @Max(260)
  workingDays!: number;
}

export class AssessChangeRequestDto {
  @ApiProperty({ type: [AssessmentLineDto] })
  @IsListOf(() => AssessmentLineDto, { max: 200 })
  lines!: AssessmentLineDto[];

  @OptionalField({
    type: [ProductLineDto],
    description: 'catalogue products by SKU: priced with the catalogue entry as it stands when assessed',
  })
  @IsListOf(() => ProductLineDto, { max: 200 })
  products?: ProductLineDto[];

  @OptionalField({ type: [ScheduleShiftDto] })
  @IsListOf(() => ScheduleShiftDto, { max: 100 })
  schedule?: ScheduleShiftDto[];

  @OptionalField()
  @IsText(10_000, { allowEmpty: true })
  notes?: string;

  @OptionalField({ description: 'done as goodwill: priced at zero, cost tracked as absorbed' })
  @IsBoolean()
  noCharge?: boolean;
}

export class AmendChangeRequestDto {
  @OptionalField({ example: 'Add a shared mailbox for accounts payable and payroll' })
  @IsText(300)
  title?: string;

  @OptionalField({ example: 'Payroll asked to share it during the weekly call.' })
  @IsText(10_000, { allowEmpty: true })
  description?: string;
}

export class DeclineChangeRequestDto {
  @ApiProperty({ example: 'Covered by the hardware warranty' })
  @IsText(2000)
  reason!: string;

  @OptionalField({ enum: DECLINE_CATEGORIES })
  @IsIn(DECLINE_CATEGORIES as string[], { message: `category must be one of ${DECLINE_CATEGORIES.join(', ')}` })
  category?: DeclineCategory;
}

export class AsOfQueryDto {
  @OptionalField({ example: '2026-03-10T00:00:00Z' })
  @IsTimestamp()
  asOf?: string;
}

export class CompareQueryDto {
  @ApiProperty({ example: '2026-03-01T00:00:00Z' })
  @IsTimestamp()
  from!: string;

  @OptionalField({ example: '2026-03-31T00:00:00Z', description: 'defaults to now' })
  @IsTimestamp()
  to?: string;
}

// The commands these requests become, with their defaults, for the API and the staff pages alike.
export function openProjectCommand(dto: OpenProjectDto, projectId: string, now: string): ProjectCommand {
  const holidays = dto.holidays ?? [];
  return { type: 'OpenProject', now, projectId, ...dto, rates: Object.fromEntries(dto.rates), holidays };
}

export function assessChangeRequestCommand(
  dto: AssessChangeRequestDto,
  changeRequestId: string,
  now: string,
  catalogue: CatalogueState,
): ProjectCommand {
  const defaults = { schedule: dto.schedule ?? [], noCharge: dto.noCharge ?? false };
  const products = withCatalogue(dto.products, catalogue);
  return { type: 'AssessChangeRequest', now, changeRequestId, ...dto, ...defaults, ...(products ? { products } : {}) };
}

export function establishBaselineCommand(
  dto: EstablishBaselineDto,
  now: string,
  catalogue: CatalogueState,
): ProjectCommand {
  const products = withCatalogue(dto.products, catalogue);
  return { type: 'EstablishBaseline', now, ...dto, ...(products ? { products } : {}) };
}

/** Each product line with the catalogue's entry as it stands now: the domain prices an add with it. */
function withCatalogue(lines: ProductLineDto[] | undefined, catalogue: CatalogueState) {
  return lines?.map(({ op, sku, quantity }) => {
    const product = findProduct(catalogue, sku);
    return { op, sku, ...(quantity === undefined ? {} : { quantity }), ...(product ? { product } : {}) };
  });
}

export function declineChangeRequestCommand(
  dto: DeclineChangeRequestDto,
  changeRequestId: string,
  now: string,
): ProjectCommand {
  return { type: 'DeclineChangeRequest', now, changeRequestId, ...dto, category: dto.category ?? 'out_of_scope' };
}

export function amendChangeRequestCommand(
  dto: AmendChangeRequestDto,
  changeRequestId: string,
  now: string,
): ProjectCommand {
  return { type: 'AmendChangeRequest', now, changeRequestId, ...dto };
}
