import { Type } from '@nestjs/common';
import { minorDigits } from '@scope-ledger/domain';
import { FieldError, ProblemException } from '../http/problem-details.filter';
import { createValidationPipe } from '../http/validation';
import { FormValue, FormValues, valuesOf } from './pages/forms';

const validation = createValidationPipe();
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,40}(?:\.[A-Za-z][A-Za-z0-9_]{0,40}|\[\d{1,3}\])*$/;
/** "lines[2].hours": a field of one row of a repeating group. */
const ROW_FIELD = /^([A-Za-z][A-Za-z0-9_]{0,40})\[(\d{1,3})\]\.(.+)$/;
const CURRENCY_CODE = /^[A-Z]{3}$/;
const COMMA_RULE =
  'a comma separates thousands only before groups of three digits, ' +
  'and is a decimal mark only before the last one or two digits (1,5 is 1.5)';

/**
 * The number typed with its commas read, one rule for hours and money: thousands separators when every group
 * after them has three digits ("1,500", "12,345.67", as the edit forms print numbers), a decimal comma when one
 * comma ends the number before one or two digits ("1,5", "22,50"); undefined when the commas are neither
 * ("1,5000", "1,50.5", "1.500,5").
 */
function withDecimalPoint(text: string): string | undefined {
  if (!text.includes(',')) return text;
  if (/^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/.test(text)) return text.replace(/,/g, '');
  if (/^[+-]?\d+,\d{1,2}$/.test(text)) return text.replace(',', '.');
  return undefined;
}

/** Reads a posted form into the API's request shape and validates it with the API's DTO, so both refuse alike. */
export class FormReader {
  private fields: FormValues;
  private readonly parseErrors: FieldError[] = [];

  constructor(body: unknown) {
    // Only names the pages use ("signer.email", "lines[2].hours"); never "__proto__" and the like.
    this.fields = Object.fromEntries(
      Object.entries((body ?? {}) as Record<string, unknown>).flatMap(([name, value]): [string, FormValue][] => {
        if (name === '_csrf' || !FIELD_NAME.test(name)) return [];
        if (typeof value === 'string') return [[name, value]];
        if (Array.isArray(value)) return [[name, value.filter((v): v is string => typeof v === 'string')]];
        return [];
      }),
    );
  }

  /** The form as posted, with blank rows dropped: shown again when it is refused. */
  get values(): FormValues {
    return this.fields;
  }

  text(name: string): string {
    return (valuesOf(this.fields, name)[0] ?? '').trim();
  }

  optional(name: string): string | undefined {
    return this.text(name) || undefined;
  }

  list(name: string): string[] {
    return valuesOf(this.fields, name)
      .map((s) => s.trim())
      .filter(Boolean);
  }

  checked(name: string): boolean {
    return this.text(name) === 'true';
  }

  /** Refuses a field the API shape cannot express (a rate without a role, say). */
  refuse(field: string, message: string): void {
    this.parseErrors.push({ field, message });
  }

  /**
   * A number as typed ("1.5", "1,5", "1,500"); text that is not a number goes through as is, for the DTO to refuse
   * by name. Commas that could mean either thousands or decimals are refused here.
   */
  number(name: string): number | string | undefined {
    const typed = this.text(name);
    if (!typed) return undefined;
    const text = withDecimalPoint(typed);
    if (text === undefined) {
      this.refuse(name, `Enter a number such as 1500, 1,500.25 or 1.5; ${COMMA_RULE}`);
      return undefined;
    }
    return /^[+-]?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  }

  /** An amount typed in major units ("1,250.00", or "USD 1,250.00" as the pages print it) as integer minor units. */
  money(name: string, currency: string): number | undefined {
    let typed = this.text(name).replace(/\s/g, '');
    if (CURRENCY_CODE.test(currency) && typed.slice(0, currency.length).toUpperCase() === currency) {
      typed = typed.slice(currency.length);
    }
    if (!typed) return undefined;
    const digits = minorDigits(currency);
    const inCurrency = CURRENCY_CODE.test(currency) ? ` in ${currency}` : '';
    const text = withDecimalPoint(typed);
    if (text === undefined) {
      const example = digits > 0 ? `1,250.${'0'.repeat(digits)} or 1250.${'0'.repeat(digits)}` : '1,250 or 1250';
      this.refuse(name, `Enter an amount${inCurrency} such as ${example}; ${COMMA_RULE}`);
      return undefined;
    }
    const match = /^(\d{1,15})(?:\.(\d*))?$/.exec(text);
    const decimals = match?.[2] ?? '';
    if (!match || decimals.length > digits || (digits === 0 && text.includes('.'))) {
      const example =
        digits > 0 ? ` with at most ${digits} decimals, such as 1250.${'0'.repeat(digits)}` : ', such as 1250';
      this.refuse(name, `Enter an amount${inCurrency}${example}`);
      return undefined;
    }
    return Number(match[1]) * 10 ** digits + Number(decimals.padEnd(digits, '0') || 0);
  }

  /** A datetime-local value, read as UTC (the pages show every time in UTC). */
  timestamp(name: string): string | undefined {
    const text = this.text(name);
    if (!text) return undefined;
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text)) return `${text}:00Z`;
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(text)) return `${text}Z`;
    return text;
  }

  /** Counts the filled rows of a group, renumbered so the API's error paths ("lines[1].hours") match the rows shown. */
  rows(prefix: string, meaningful: string[]): number {
    const others: [string, FormValue][] = [];
    const byIndex = new Map<number, Map<string, FormValue>>();
    for (const [name, value] of Object.entries(this.fields)) {
      const match = ROW_FIELD.exec(name);
      if (match?.[1] !== prefix) {
        others.push([name, value]);
        continue;
      }
      const index = Number(match[2]);
      byIndex.set(index, (byIndex.get(index) ?? new Map<string, FormValue>()).set(match[3], value));
    }
    const filled = [...byIndex.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, row]) => row)
      .filter((row) => meaningful.some((field) => String(row.get(field) ?? '').trim() !== ''));
    this.fields = Object.fromEntries([
      ...others,
      ...filled.flatMap((row, i) => [...row].map(([field, value]) => [`${prefix}[${i}].${field}`, value] as const)),
    ]);
    return filled.length;
  }

  /** Validates with the API's DTO; throws the same problem the API would, plus unreadable amounts. */
  async validate<T extends object>(metatype: Type<T>, input: Record<string, unknown>): Promise<T> {
    try {
      const result = (await validation.transform(input, { type: 'body', metatype })) as T;
      this.assertReadable();
      return result;
    } catch (error) {
      if (!(error instanceof ProblemException)) throw error;
      const unreadable = new Set(this.parseErrors.map((e) => e.field));
      throw invalid([...this.parseErrors, ...(error.errors ?? []).filter((e) => !unreadable.has(e.field))]);
    }
  }

  /** For forms without a DTO of their own: refuse when an amount could not be read. */
  assertReadable(): void {
    if (this.parseErrors.length > 0) throw invalid(this.parseErrors);
  }
}

function invalid(errors: FieldError[]): ProblemException {
  return new ProblemException(400, 'Invalid request', errors.map((e) => e.message).join('; '), errors);
}

/** `{ [key]: value }` when the form gave a value, `{}` when the field was left empty. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * The rate card typed in the `rates[i].role` / `rates[i].rate` rows, each refusal next to its cell: a role with a
 * name, a rate readable in `currency`, each role once. Used by the new-project and project settings forms.
 */
export function rateCardOf(form: FormReader, currency: string): Record<string, number> {
  const rates: [string, number][] = [];
  for (let i = 0; i < form.rows('rates', ['role', 'rate']); i++) {
    const role = form.text(`rates[${i}].role`);
    const rate = form.money(`rates[${i}].rate`, currency);
    if (!role) form.refuse(`rates[${i}].role`, 'Name the role this rate is for');
    else if (rate === undefined) form.refuse(`rates[${i}].rate`, `Enter the hourly rate for ${role}`);
    else if (rates.some(([named]) => named === role))
      form.refuse(`rates[${i}].role`, `${role} has a rate above; give each role one rate`);
    else rates.push([role, rate]);
  }
  return Object.fromEntries(rates);
}

/** Holidays typed one per line (or separated by commas, semicolons or spaces). */
export function holidaysOf(form: FormReader): string[] {
  return form.text('holidays').match(/[^\s,;]+/g) ?? [];
}
