import { dateTimeIn, isTimeZone } from '@scope-ledger/domain';

/** "2026-03-02 14:05:09 UTC" (documents show UTC, so every reader sees the same moment); other text as given. */
export function formatUtcTimestamp(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Date(time).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

/** "2026-03-02" for a timestamp or a plain calendar date. */
export function formatUtcDate(iso: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Date(time).toISOString().slice(0, 10);
}

/** A timestamp that becomes a PDF date decides the document's bytes: a bad one is a caller's bug to surface. */
export function requireInstant(iso: string, field: string): Date {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) throw new RangeError(`${field} is not a valid timestamp: ${JSON.stringify(iso)}`);
  return new Date(time);
}

export function formatWorkingDays(days: number): string {
  const signed = days > 0 ? `+${days}` : String(days);
  return `${signed} working day${Math.abs(days) === 1 ? '' : 's'}`;
}

/** "2026-03-03 03:05:09 Pacific/Auckland": the wall-clock time in `zone` of a UTC timestamp. */
export function formatInTimeZone(iso: string, zone: string): string {
  if (Number.isNaN(Date.parse(iso)) || !isTimeZone(zone)) return formatUtcTimestamp(iso);
  return `${dateTimeIn(iso, zone)} ${zone}`;
}
