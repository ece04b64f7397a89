/** A calendar date, "2026-03-02", computed in UTC so that no time zone can move a day. */
export type IsoDate = string;

const DAY_MS = 86_400_000;

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

function toEpochDay(date: IsoDate): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function fromEpochDay(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Working days: Monday to Friday minus the project's holidays. */
export class WorkingCalendar {
  private readonly holidays: ReadonlySet<IsoDate>;

  constructor(holidays: readonly IsoDate[] = []) {
    this.holidays = new Set(holidays);
  }

  isWorkingDay(date: IsoDate): boolean {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6 && !this.holidays.has(date);
  }

  /** Moves a date by n working days, backward when n is negative; each step lands on a working day. */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    if (!Number.isInteger(n)) throw new RangeError('working days must be a whole number');
    let day = toEpochDay(date);
    const step = n < 0 ? -1 : 1;
    let remaining = Math.abs(n);
    while (remaining > 0) {
      day += step;
      if (this.isWorkingDay(fromEpochDay(day))) remaining -= 1;
    }
    return fromEpochDay(day);
  }

  /** The working days in (from, to], negated when `to` is earlier; the count addWorkingDays needs to reach `to`. */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    const start = toEpochDay(from);
    const end = toEpochDay(to);
    if (start === end) return 0;
    const step = end > start ? 1 : -1;
    let count = 0;
    for (let day = start + step; step > 0 ? day <= end : day >= end; day += step) {
      if (this.isWorkingDay(fromEpochDay(day))) count += 1;
    }
    return step * count;
  }
}

export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Whether the runtime knows `name` as an IANA time zone ("Pacific/Auckland"). */
export function isTimeZone(name: string): boolean {
  return canonicalTimeZone(name) !== null;
}

/**
 * The IANA name as the runtime spells it ("europe/berlin" → "Europe/Berlin", "utc" → "UTC"), so that
 * one zone is stored one way; null when the runtime does not know the name.
 */
export function canonicalTimeZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** "2026-03-11 05:00:00": the wall-clock date and time at the instant `now` in an IANA time zone. */
export function dateTimeIn(now: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(now));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`;
}

/**
 * The instant (ISO, UTC) at which `date` begins in an IANA time zone; in UTC when there is none. Where a
 * daylight-saving change skips midnight, the day begins at the first moment that exists.
 */
export function startOfDayIn(date: IsoDate, timeZone: string | undefined): string {
  const wall = Date.parse(`${date}T00:00:00Z`);
  if (!timeZone) return new Date(wall).toISOString();
  // The zone's offset at an instant is its wall-clock time read as UTC, less the instant; the offset at
  // midnight is the one in force just before it, found from a first guess.
  const offsetAt = (instant: number) =>
    Date.parse(`${dateTimeIn(new Date(instant).toISOString(), timeZone).replace(' ', 'T')}Z`) - instant;
  const first = wall - offsetAt(wall);
  const candidates = [first, wall - offsetAt(first)].map((instant) => new Date(instant).toISOString());
  // The two differ only around a change of offset: the day starts at the one the zone's clock shows on that day.
  const onTheDay = candidates.filter((instant) => calendarDateIn(instant, timeZone) === date).sort();
  return onTheDay[0] ?? candidates[0];
}

/**
 * The calendar date at the instant `now` in an IANA time zone ("Pacific/Auckland"); in UTC when
 * there is none. A project's "today" is its own: a PM in Auckland logs this morning's time.
 */
export function calendarDateIn(now: string, timeZone: string | undefined): IsoDate {
  return timeZone ? dateTimeIn(now, timeZone).slice(0, 10) : now.slice(0, 10);
}

/** 1 for Monday to 7 for Sunday (ISO 8601). */
export function isoWeekday(date: IsoDate): number {
  return ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

/** The Monday that begins the week of `date`. */
export function mondayOf(date: IsoDate): IsoDate {
  return addCalendarDays(date, 1 - isoWeekday(date));
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function calendarDaysBetween(from: IsoDate, to: IsoDate): number {
  return toEpochDay(to) - toEpochDay(from);
}
