import { dateTimeIn, formatHours, formatMoney, isTimeZone } from '@scope-ledger/domain';
import { html, Html } from '../../signing/html';

/** How figures read on every staff page: money with formatMoney, times in the project's zone (UTC without one). */

export const money = formatMoney;

/** A signed change in money: "+USD 600.00", "−USD 90.00". */
export function moneyDelta(amount: number, currency: string): string {
  return amount > 0 ? `+${formatMoney(amount, currency)}` : formatMoney(amount, currency);
}

/** An amount as typed into a form: "1,250.00", without the currency. */
export function amountInput(amount: number, currency: string): string {
  return formatMoney(amount, currency).replace(/^\S+ /, '');
}

export const hours = (value: number) => formatHours(Math.round(value * 100));

export function hoursDelta(value: number): string {
  return value > 0 ? `+${hours(value)}` : hours(value);
}

/** "25 min" under an hour, "3.67 h" under two days, "2.5 d" beyond: how long a card stayed in a column. */
export function duration(value: number): string {
  if (value < 1) return `${Math.round(value * 60)} min`;
  return value < 48 ? `${hours(value)} h` : `${(Math.round(value / 2.4) / 10).toFixed(1)} d`;
}

/** "+2", "-1", "0": a shift in working days. */
export function signed(value: number): string {
  return `${value > 0 ? '+' : ''}${value}`;
}

/** "M2 +2 wd, M3 +2 wd": how a request or order moves the milestones. */
export function scheduleShifts(schedule: readonly { milestone: string; workingDays: number }[]): string {
  return schedule.map((s) => `${s.milestone} ${signed(s.workingDays)} wd`).join(', ');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "20 Mar 2026" for a calendar date (YYYY-MM-DD). */
export function calendarDate(day: string | null | undefined): string {
  if (!day) return '—';
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/**
 * "4 Mar 2026, 14:05 UTC" for a timestamp, or "5 Mar 2026, 03:05 Pacific/Auckland" in a project's zone; with
 * seconds where the exact moment matters (the audit trail).
 */
export function dateTime(iso: string | null | undefined, options: { seconds?: boolean; zone?: string } = {}): string {
  if (!iso) return '—';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const zone = options.zone && isTimeZone(options.zone) ? options.zone : undefined;
  const [day, time] = (zone ? dateTimeIn(iso, zone) : t.toISOString().replace('T', ' ')).split(' ');
  return `${calendarDate(day)}, ${time.slice(0, options.seconds ? 8 : 5)} ${zone ?? 'UTC'}`;
}

/**
 * A time as `<time>`: written in the project's zone (UTC without one), naming it, and shown by the page
 * script (app.js, sign.js) in the viewer's own zone, with the project's reading as its title.
 */
export function timeTag(iso: string | null | undefined, zone?: string, options: { seconds?: boolean } = {}): Html {
  const text = dateTime(iso, { ...options, zone });
  if (!iso || Number.isNaN(Date.parse(iso))) return html`${text}`;
  return html`<time datetime="${iso}" data-local="${options.seconds ? 'seconds' : 'minutes'}">${text}</time>`;
}

/** "today", "1 day", "12 days": how long something has waited. */
export function age(days: number): string {
  return days <= 0 ? 'today' : plural(days, 'day');
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "ChangeOrderSigned", "fixedCost" or "out_of_scope" → "Change order signed", "Fixed cost", "Out of scope". */
export function sentenceCase(name: string): string {
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return words[0].toUpperCase() + words.slice(1);
}

const BADGE_TONES: Record<string, string> = {
  baseline: 'neutral',
  added: 'ok',
  modified: 'info',
  removed: 'bad',
  pending: 'warn',
  logged: 'neutral',
  assessed: 'info',
  ordered: 'warn',
  approved: 'ok',
  declined: 'bad',
  draft: 'neutral',
  issued: 'warn',
  signed: 'ok',
  voided: 'muted',
  expired: 'muted',
  waiting: 'warn',
  overdue: 'bad',
  resolved: 'ok',
};

const BADGE_LABELS: Record<string, string> = { issued: 'awaiting signature', ordered: 'on an order' };

/** A small coloured label for a state (scope item, request or order). */
export function badge(state: string, label = BADGE_LABELS[state] ?? state.replace(/_/g, ' ')): Html {
  return html`<span class="badge tone-${BADGE_TONES[state] ?? 'neutral'}">${label}</span>`;
}
