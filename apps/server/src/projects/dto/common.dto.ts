import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { isCurrencyCode } from '@scope-ledger/domain';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';

/** Control characters other than tab and newline, and the bidirectional overrides and isolates. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const REF = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** A validation rule of our own, with a message that names the property. */
function rule(name: string, message: (property: string) => string, validate: (value: unknown) => boolean) {
  return (options?: ValidationOptions) =>
    ValidateBy({ name, validator: { validate, defaultMessage: (args) => message(args!.property) } }, options);
}

/** Whether YYYY-MM-DD names a day that exists (not 2026-02-30). */
function dayExists(day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

/** Text that displays as it is stored: "invoice\u202Efdp.exe" would read as "invoiceexe.pdf". */
export const NoControlCharacters = rule(
  'noControlCharacters',
  (property) => `${property} must not contain control characters`,
  (value) => typeof value !== 'string' || !CONTROL_CHARACTERS.test(value),
);

export const IsHours = rule(
  'isHours',
  (property) => `${property} must be a number of hours from 0 to 100000 with at most two decimals`,
  (value) => typeof value === 'number' && value >= 0 && value <= 100_000 && /^\d+(\.\d{1,2})?$/.test(String(value)),
);

/** Hours in one week, as the team's rules hold them: a weekly capacity or a week's reactive work. */
export const IsWeekHours = rule(
  'isWeekHours',
  (property) => `${property} must be more than 0 and at most 168 hours, with at most two decimals`,
  (value) => typeof value === 'number' && value > 0 && value <= 168 && /^\d+(\.\d{1,2})?$/.test(String(value)),
);

export const IsMinorUnits = rule(
  'isMinorUnits',
  (property) => `${property} must be a whole number of minor units (cents), zero or more`,
  (value) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= 100_000_000_000_000,
);

export const IsCalendarDate = rule(
  'isCalendarDate',
  (property) => `${property} must be a calendar date (YYYY-MM-DD)`,
  (value) =>
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    dayExists(value) &&
    value >= '1970-01-01' &&
    value <= '2200-12-31',
);

export const IsTimestamp = rule(
  'isTimestamp',
  (property) => `${property} must be an ISO 8601 timestamp with a time zone, e.g. 2026-03-02T14:05:00Z`,
  (value) => {
    if (typeof value !== 'string' || !TIMESTAMP.test(value) || !dayExists(value.slice(0, 10))) return false;
    const year = new Date(value).getUTCFullYear();
    return year >= 1970 && year <= 2200;
  },
);

/** The end of a period, refused when it comes before the period's start (`from`): such a period holds nothing. */
export function IsNotBefore(start: string) {
  return ValidateBy({
    name: 'isNotBefore',
    validator: {
      validate: (value, args) => {
        const from = (args!.object as Record<string, unknown>)[start];
        return typeof value !== 'string' || typeof from !== 'string' || !(Date.parse(value) < Date.parse(from));
      },
      defaultMessage: (args) => `${args!.property} must not be earlier than ${start}`,
    },
  });
}

/** A currency's ISO 4217 code: three capitals alone would let "XYZ" through. */
export const IsCurrencyCode = rule(
  'isCurrencyCode',
  (property) => `${property} must be the ISO 4217 code of a currency, such as USD, EUR or GBP`,
  (value) => typeof value === 'string' && isCurrencyCode(value),
);

/** Role name to hourly rate, as a Map, so that "__proto__" and "constructor" arrive as roles like any other. */
export const IsRateCard = rule(
  'isRateCard',
  (property) =>
    `${property} must map role names (1 to 100 characters) to hourly rates in whole minor units, with 1 to 100 roles`,
  (value) =>
    value instanceof Map &&
    value.size >= 1 &&
    value.size <= 100 &&
    [...(value as Map<string, unknown>)].every(
      ([role, rate]) =>
        role.trim().length >= 1 &&
        role.length <= 100 &&
        !/[\u0000-\u001F\u007F]/.test(role) &&
        typeof rate === 'number' &&
        Number.isSafeInteger(rate) &&
        rate >= 0 &&
        rate <= 100_000_000_000,
    ),
);

// The combinations below list their rules bottom-up, in the order stacked decorators apply,
// so that a field's messages keep their order.

/** Text a person reads: a string of at most `max` characters without control characters, not empty unless allowed. */
export function IsText(max: number, { allowEmpty = false } = {}) {
  return applyDecorators(NoControlCharacters(), MaxLength(max), ...(allowEmpty ? [] : [IsNotEmpty()]), IsString());
}

/** A scope item or milestone ref. */
export function IsRef(field: string) {
  const message = `${field} must be 1 to 40 letters, digits, dots, dashes or underscores, the first a letter or digit`;
  return applyDecorators(Matches(REF, { message }), IsString());
}

export function IsNestedObject(type: () => new () => object) {
  return applyDecorators(Type(type), ValidateNested(), IsObject());
}

export function IsListOf(type: () => new () => object, { min = 0, max }: { min?: number; max: number }) {
  const minimum = min > 0 ? [ArrayMinSize(min)] : [];
  return applyDecorators(Type(type), ValidateNested({ each: true }), ArrayMaxSize(max), ...minimum, IsArray());
}

/** An optional field: documented as such, and validated only when present. */
export function OptionalField(options?: ApiPropertyOptions) {
  return applyDecorators(ApiPropertyOptional(options), IsOptional());
}

/** A field a change may leave out but never set to null: null is refused by the field's own rules. */
export function ChangeableField(options?: ApiPropertyOptions) {
  return applyDecorators(
    ApiPropertyOptional(options),
    ValidateIf((_dto, value) => value !== undefined),
  );
}

export class PersonDto {
  @ApiProperty({ example: 'Dana Whitfield' })
  @IsText(200)
  name!: string;

  @ApiProperty({ example: 'dana@client.example' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email!: string;
}
