/**
 * Money is an integer number of minor units (cents) in the project's currency.
 * No floating-point arithmetic touches money: hours are carried as integer hundredths.
 */

export type Minor = number;
/** Hours times one hundred: 2.25 h is 225. */
export type CentiHours = number;

/** Largest amount accepted anywhere (a trillion major units): keeps every product exact. */
export const MAX_MINOR = 100_000_000_000_000;
export const MAX_CENTI_HOURS = 10_000_000; // 100,000 hours

export function isMinor(value: unknown): value is Minor {
  return typeof value === 'number' && Number.isSafeInteger(value) && Math.abs(value) <= MAX_MINOR;
}

/**
 * Parses hours given with at most two decimals ("2.5", 2.25) into hundredths, exactly.
 * Returns undefined when the value has more precision or is out of range.
 */
export function toCentiHours(hours: number | string): CentiHours | undefined {
  const text = typeof hours === 'number' ? (Number.isFinite(hours) ? String(hours) : '') : hours.trim();
  const match = /^(-?)(\d{1,7})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return undefined;
  const whole = Number(match[2]);
  const fraction = Number((match[3] ?? '').padEnd(2, '0'));
  const value = whole * 100 + fraction;
  if (value > MAX_CENTI_HOURS) return undefined;
  return match[1] === '-' ? -value : value;
}

export function centiHoursToNumber(centi: CentiHours): number {
  return centi / 100;
}

export function formatHours(centi: CentiHours): string {
  const sign = centi < 0 ? '-' : '';
  const abs = Math.abs(centi);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** a / b rounded half away from zero, for integers with b > 0 (half up on magnitudes). */
export function divideRoundHalfUp(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0) {
    throw new RangeError('divideRoundHalfUp needs safe integers and a positive divisor');
  }
  const sign = numerator < 0 ? -1 : 1;
  const magnitude = Math.abs(numerator);
  const quotient = Math.floor(magnitude / denominator);
  const remainder = magnitude - quotient * denominator;
  const rounded = remainder * 2 >= denominator ? quotient + 1 : quotient;
  return sign * rounded;
}

/**
 * Line cost = hours x role rate + fixed cost, rounded half up to the minor unit.
 * Uses BigInt for the product so no intermediate can lose precision.
 */
export function lineCost(centiHours: CentiHours, ratePerHour: Minor, fixedCost: Minor = 0): Minor {
  const product = BigInt(centiHours) * BigInt(ratePerHour);
  const negative = product < 0n;
  const magnitude = negative ? -product : product;
  let whole = magnitude / 100n;
  if ((magnitude % 100n) * 2n >= 100n) whole += 1n;
  const labour = Number(negative ? -whole : whole);
  return labour + fixedCost;
}

export function sumMinor(values: Iterable<Minor>): Minor {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** Minor units per major unit for ISO 4217 codes (two unless listed). */
const MINOR_DIGITS: Record<string, number> = {
  JPY: 0,
  KRW: 0,
  ISK: 0,
  CLP: 0,
  VND: 0,
  BHD: 3,
  KWD: 3,
  OMR: 3,
  JOD: 3,
  TND: 3,
};

export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency.toUpperCase()] ?? 2;
}

/** "USD 1,234.50": plain, locale-independent, the same on every machine (PDFs must be reproducible). */
export function formatMoney(amount: Minor, currency: string): string {
  const digits = minorDigits(currency);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const base = 10 ** digits;
  const major = Math.floor(abs / base)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const minor = digits > 0 ? '.' + String(abs % base).padStart(digits, '0') : '';
  return `${sign}${currency.toUpperCase()} ${major}${minor}`;
}
