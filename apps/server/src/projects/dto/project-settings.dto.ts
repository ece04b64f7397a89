import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsTimeZone, Max, Min } from 'class-validator';
import { ProjectCommand } from '@scope-ledger/domain';
import { ChangeableField, IsCalendarDate, IsNestedObject, IsRateCard, IsText, PersonDto } from './common.dto';

/** A setting that may be left out, or null to clear it. */
function ClearableField(options?: ApiPropertyOptions) {
  return applyDecorators(ApiPropertyOptional({ ...options, nullable: true }), IsOptional());
}

/** PATCH /api/projects/:id: what to change; a field left out stays as it is. */
export class UpdateProjectSettingsDto {
  @ChangeableField({ example: 'Contoso M365 migration, phase 2' })
  @IsText(200)
  name?: string;

  @ClearableField({ type: PersonDto, description: 'the project manager, told when orders are signed or declined' })
  @IsNestedObject(() => PersonDto)
  manager?: PersonDto | null;

  @ChangeableField({ type: PersonDto, description: "the client's main contact, the default signer" })
  @IsNestedObject(() => PersonDto)
  client?: PersonDto;

  @ClearableField({ type: PersonDto, description: "the client's finance contact, copied on signed orders" })
  @IsNestedObject(() => PersonDto)
  financeContact?: PersonDto | null;

  @ChangeableField({
    example: ['2026-05-25'],
    description: 'the whole list; counts in the working days of dates computed from now on',
  })
  @IsArray({ message: 'holidays must be a list of calendar dates (YYYY-MM-DD)' })
  @ArrayMaxSize(400)
  @IsCalendarDate({ each: true, message: 'each holiday must be a calendar date (YYYY-MM-DD)' })
  holidays?: string[];

  @ChangeableField({
    example: { engineer: 16000, architect: 22000 },
    description: 'the whole rate card, role → minor units per hour, for assessments from now on',
  })
  @IsRateCard()
  @Transform(({ obj }) => (obj as { rates?: unknown }).rates)
  rates?: ReadonlyMap<string, number>;

  @ClearableField({ example: 21, description: 'days to sign for drafts that name none; null: 14' })
  @IsInt({ message: 'defaultExpiryDays must be a whole number of days' })
  @Min(1, { message: 'defaultExpiryDays must be at least 1' })
  @Max(365, { message: 'defaultExpiryDays must be at most 365' })
  defaultExpiryDays?: number | null;

  @ClearableField({ example: 'Europe/Berlin', description: 'IANA time zone name' })
  @IsTimeZone({ message: 'timeZone must be an IANA time zone name such as Europe/Berlin' })
  timeZone?: string | null;
}

export function updateProjectSettingsCommand(dto: UpdateProjectSettingsDto, now: string): ProjectCommand {
  const { rates, ...settings } = dto;
  return {
    type: 'UpdateProjectSettings',
    now,
    ...settings,
    ...(rates === undefined ? {} : { rates: Object.fromEntries(rates) }),
  };
}
