import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, MaxLength, ValidateIf } from 'class-validator';
import { REACTIVE_KINDS, ReactiveKind } from '@scope-ledger/domain';
import { ChangeableField, IsCalendarDate, IsText, IsWeekHours, OptionalField } from '../projects/dto/common.dto';

const emailMessage = { message: 'email must be an email address' };

export class AddTeamMemberDto {
  @ApiProperty({ example: 'Ada Quinn' })
  @IsText(200)
  name!: string;

  @OptionalField({ example: 'ada@msp.example', description: 'links the person to a staff account later' })
  @MaxLength(320)
  @IsEmail({}, emailMessage)
  email?: string;

  @ApiProperty({ example: 'Network engineer', description: 'the delivery role, in the words of the rate cards' })
  @IsText(100)
  role!: string;

  @ApiProperty({
    example: 40,
    description: 'hours a normal week holds: more than 0, at most 168, at most two decimals',
  })
  @IsWeekHours()
  weeklyCapacityHours!: number;
}

/** PATCH /api/team/people/:personId: a field left out stays as it is; email null removes it. */
export class UpdateTeamMemberDto {
  @ChangeableField({ example: 'Ada Quinn' })
  @IsText(200)
  name?: string;

  @ChangeableField({ example: 'ada@msp.example', nullable: true, description: 'null: no email' })
  @ValidateIf((_dto, value) => value !== null)
  @MaxLength(320)
  @IsEmail({}, emailMessage)
  email?: string | null;

  @ChangeableField({ example: 'Architect' })
  @IsText(100)
  role?: string;

  @ChangeableField({ example: 32 })
  @IsWeekHours()
  weeklyCapacityHours?: number;
}

export class BookTimeOffDto {
  @ApiProperty({ example: '2026-03-13', description: 'first day away' })
  @IsCalendarDate()
  from!: string;

  @ApiProperty({ example: '2026-03-13', description: 'last day away (inclusive)' })
  @IsCalendarDate()
  to!: string;

  @OptionalField({ example: 'Annual leave' })
  @IsText(2000, { allowEmpty: true })
  note?: string;
}

export class LogReactiveWorkDto {
  @ApiProperty({ example: '2026-03-09', description: 'the Monday that begins the week' })
  @IsCalendarDate()
  weekOf!: string;

  @ApiProperty({ example: 6, description: 'more than 0, at most 168, at most two decimals' })
  @IsWeekHours()
  hours!: number;

  @ApiProperty({ enum: REACTIVE_KINDS })
  @IsIn(REACTIVE_KINDS as string[], { message: `kind must be one of ${REACTIVE_KINDS.join(', ')}` })
  kind!: ReactiveKind;

  @OptionalField({ example: 'Core switch outage at the Leeds office' })
  @IsText(2000, { allowEmpty: true })
  note?: string;
}
