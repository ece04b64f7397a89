/**
 * How dates appear in documents: always UTC and spelled out, so a signer in any time zone
 * and a later auditor read the same moment.
 */

/** "2026-03-02 14:05:09 UTC"; text that is not a timestamp is shown as given. */
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

/**
 * The timestamps that become PDF dates must be real instants: they decide the bytes of the
 * document, so a bad one is a caller's bug to surface, not something to paper over.
 */
export function requireInstant(iso: string, field: string): Date {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) throw new RangeError(`${field} is not a valid timestamp: ${JSON.stringify(iso)}`);
  return new Date(time);
}

export function formatWorkingDays(days: number): string {
  const signed = days > 0 ? `+${days}` : String(days);
  return `${signed} working day${Math.abs(days) === 1 ? '' : 's'}`;
}
