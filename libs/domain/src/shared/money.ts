/** Money is integer minor units (cents) of the project's currency; hours are integer hundredths. */
export type Minor = number;
/** Hours times one hundred: 2.25 h is 225. */
export type CentiHours = number;

/** Largest amount accepted anywhere (a trillion major units): keeps every product exact. */
export const MAX_MINOR = 100_000_000_000_000;
export const MAX_CENTI_HOURS = 10_000_000; // 100,000 hours

export function isMinor(value: unknown): value is Minor {
  return typeof value === 'number' && Number.isSafeInteger(value) && Math.abs(value) <= MAX_MINOR;
}

/** Hours with at most two decimals ("2.5", 2.25) in hundredths, exactly; undefined when more precise or too large. */
export function toCentiHours(hours: number | string): CentiHours | undefined {
  const text = typeof hours === 'number' ? (Number.isFinite(hours) ? String(hours) : '') : hours.trim();
  const match = /^(-?)(\d{1,7})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  if (value > MAX_CENTI_HOURS) return undefined;
  return match[1] === '-' ? -value : value;
}

export function formatHours(centi: CentiHours): string {
  const abs = Math.abs(centi);
  return `${centi < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** a / b rounded half away from zero, for integers with b > 0 (half up on magnitudes). */
export function divideRoundHalfUp(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0) {
    throw new RangeError('divideRoundHalfUp needs safe integers and a positive divisor');
  }
  // Plain numbers are exact while every step stays a safe integer: the quotient is corrected by its remainder.
  const magnitude = Math.abs(numerator);
  if (magnitude * 2 <= Number.MAX_SAFE_INTEGER) {
    let quotient = Math.floor(magnitude / denominator);
    let remainder = magnitude - quotient * denominator;
    if (remainder < 0) [quotient, remainder] = [quotient - 1, remainder + denominator];
    if (remainder >= denominator) [quotient, remainder] = [quotient + 1, remainder - denominator];
    const rounded = quotient + (remainder * 2 >= denominator ? 1 : 0);
    return numerator < 0 ? -rounded : rounded;
  }
  return Number(halfUp(BigInt(numerator), BigInt(denominator)));
}

/** Line cost = hours × role rate + fixed cost, rounded half up; BigInt keeps the product exact. */
export function lineCost(centiHours: CentiHours, ratePerHour: Minor, fixedCost: Minor = 0): Minor {
  return Number(halfUp(BigInt(centiHours) * BigInt(ratePerHour), 100n)) + fixedCost;
}

function halfUp(numerator: bigint, denominator: bigint): bigint {
  const magnitude = numerator < 0n ? -numerator : numerator;
  const rounded = magnitude / denominator + ((magnitude % denominator) * 2n >= denominator ? 1n : 0n);
  return numerator < 0n ? -rounded : rounded;
}

export function sumMinor(values: Iterable<Minor>): Minor {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/**
 * The ISO 4217 codes of currencies in use, as the runtime's ICU data lists them. Codes that name no
 * money a contract can be priced in (XXX "no currency", XTS "testing", the metals XAU and the like)
 * are not among them, and stay refused.
 */
const CURRENCY_CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** Whether `code` is a currency's ISO 4217 code, in capitals ("USD"; not "usd", "XYZ" or "XXX"). */
export function isCurrencyCode(code: string): boolean {
  return CURRENCY_CODES.has(code);
}

// Minor units per major unit for ISO 4217 codes: two unless listed.
const NO_MINOR_UNITS = ['JPY', 'KRW', 'ISK', 'CLP', 'VND'];
const THREE_MINOR_DIGITS = ['BHD', 'KWD', 'OMR', 'JOD', 'TND'];

export function minorDigits(currency: string): number {
  const code = currency.toUpperCase();
  return NO_MINOR_UNITS.includes(code) ? 0 : THREE_MINOR_DIGITS.includes(code) ? 3 : 2;
}

/** "-1234.50": major units with the currency's decimals and no grouping, as bookkeeping imports read amounts. */
export function decimalAmount(amount: Minor, currency: string): string {
  const digits = minorDigits(currency);
  const abs = Math.abs(amount);
  const base = 10 ** digits;
  const minor = digits > 0 ? '.' + String(abs % base).padStart(digits, '0') : '';
  return `${amount < 0 ? '-' : ''}${Math.floor(abs / base)}${minor}`;
}

/** "USD 1,234.50": plain, locale-independent, the same on every machine (PDFs must be reproducible). */
export function formatMoney(amount: Minor, currency: string): string {
  const [major, minor] = decimalAmount(Math.abs(amount), currency).split('.');
  const grouped = major.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${amount < 0 ? '-' : ''}${currency.toUpperCase()} ${grouped}${minor === undefined ? '' : `.${minor}`}`;
}
