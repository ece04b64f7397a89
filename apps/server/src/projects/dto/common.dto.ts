import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsString, MaxLength, registerDecorator, ValidationOptions } from 'class-validator';

export class PersonDto {
  @ApiProperty({ example: 'Dana Whitfield' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @NoControlCharacters()
  name!: string;

  @ApiProperty({ example: 'dana@client.example' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email!: string;
}

/**
 * Refuses control characters (other than tab and newline) that have no place in text a person
 * reads, and the bidirectional overrides and isolates that make text display in another order
 * than it is stored ("invoice\u202Efdp.exe" reads as "invoiceexe.pdf").
 */
export function NoControlCharacters(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'noControlCharacters',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must not contain control characters`, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' ||
          !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/.test(value),
      },
    });
}

/** A number of hours with at most two decimals, from 0 to 100,000. */
export function IsHours(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isHours',
      target: target.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be a number of hours from 0 to 100000 with at most two decimals`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' &&
          Number.isFinite(value) &&
          value >= 0 &&
          value <= 100_000 &&
          /^\d+(\.\d{1,2})?$/.test(String(value)),
      },
    });
}

/** Integer minor units (cents), zero or more, within the largest safe amount. */
export function IsMinorUnits(options?: ValidationOptions & { allowNegative?: boolean }) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isMinorUnits',
      target: target.constructor,
      propertyName,
      options: {
        message:
          `${propertyName} must be a whole number of minor units ` +
          `(cents)${options?.allowNegative ? '' : ', zero or more'}`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' &&
          Number.isSafeInteger(value) &&
          Math.abs(value) <= 100_000_000_000_000 &&
          (options?.allowNegative || value >= 0),
      },
    });
}

/** An ISO calendar date, YYYY-MM-DD, that exists. */
export function IsCalendarDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be a calendar date (YYYY-MM-DD)`, ...options },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
          const d = new Date(`${value}T00:00:00Z`);
          return (
            !Number.isNaN(d.getTime()) &&
            d.toISOString().slice(0, 10) === value &&
            value >= '1970-01-01' &&
            value <= '2200-12-31'
          );
        },
      },
    });
}

/** A timestamp with a time zone (ISO 8601), e.g. 2026-03-02T14:05:00Z. */
export function IsTimestamp(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTimestamp',
      target: target.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be an ISO 8601 timestamp with a time zone, e.g. 2026-03-02T14:05:00Z`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
          !Number.isNaN(Date.parse(value)) &&
          new Date(`${value.slice(0, 10)}T00:00:00Z`).toISOString().slice(0, 10) === value.slice(0, 10) &&
          new Date(value).getUTCFullYear() >= 1970 &&
          new Date(value).getUTCFullYear() <= 2200,
      },
    });
}

/**
 * A map of role name to hourly rate in minor units. Typed as a Map on the DTO, so that every role
 * name, "__proto__" and "constructor" included, arrives as an entry rather than an object key.
 */
export function IsRateCard(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isRateCard',
      target: target.constructor,
      propertyName,
      options: {
        message:
          `${propertyName} must map role names (1 to 100 characters) ` +
          `to hourly rates in whole minor units, with 1 to 100 roles`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => {
          if (!(value instanceof Map)) return false;
          const entries: [string, unknown][] = [...value];
          return (
            entries.length >= 1 &&
            entries.length <= 100 &&
            entries.every(
              ([role, rate]) =>
                role.trim().length >= 1 &&
                role.length <= 100 &&
                !/[\u0000-\u001F\u007F]/.test(role) &&
                typeof rate === 'number' &&
                Number.isSafeInteger(rate) &&
                rate >= 0 &&
                rate <= 100_000_000_000,
            )
          );
        },
      },
    });
}
