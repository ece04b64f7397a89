import type { CapacityImpactController } from '../../capacity/capacity-impact.controller';
import { html, Html } from '../../signing/html';
import { percent } from './capacity-heat-map';
import { capacityHref } from './capacity.page';
import { calendarDate, hours, plural } from './format';
import { dataTable, numColumn } from './layout';

/** What GET …/capacity-impact answers, for a request or an order alike. */
export type CapacityImpact = Omit<Awaited<ReturnType<CapacityImpactController['ofOrder']>>, 'changeOrder'>;

const list = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/** The weeks a link to the capacity page should show: from the first week named to the last. */
function windowOf(weeks: string[], fallback: string) {
  const sorted = [...new Set(weeks)].sort();
  if (sorted.length === 0) return { from: fallback, weeks: 4 };
  const span = Math.round((Date.parse(sorted.at(-1)!) - Date.parse(sorted[0])) / (7 * 86_400_000)) + 1;
  return { from: sorted[0], weeks: Math.min(52, Math.max(4, span)) };
}

/**
 * "Capacity if signed": in words, who would go over capacity (or further over) in which weeks, with hours and
 * utilisation before → after, or that no one goes over; and the link to those weeks on the capacity page.
 */
export function capacityIfSigned(what: string, impact: CapacityImpact, headingLevel: 'h2' | 'h3' = 'h3'): Html {
  const over = impact.goingOver;
  const link = capacityHref(
    windowOf(
      (over.length ? over : impact.changes).map((c) => c.weekOf),
      impact.from,
    ),
  );
  const sentence = over.length
    ? html`<p class="capacity-verdict over" role="note"><strong>▲ Signing ${what} would put ${list(
        impact.people.map(
          (p) =>
            `${p.name} over capacity in ${p.weeks.length === 1 ? 'the week' : 'the weeks'} of ` +
            list(p.weeks.map(calendarDate)),
        ),
      )}.</strong></p>`
    : html`<p class="capacity-verdict ok"><strong>No one goes over capacity</strong> if ${what} is signed${
        impact.changes.length
          ? `: it adds or moves hours in ${plural(impact.changes.length, 'person-week')}, all within capacity`
          : ''
      }.</p>`;
  const rows = over.map(
    (c) => html`<tr>
      <td>${c.name}</td><td>${calendarDate(c.weekOf)}</td>
      <td class="num">${hours(c.capacityHours)} h</td>
      <td class="num">${hours(c.loadHoursBefore)} h (${percent(c.utilisationBefore)})</td>
      <td class="num strong">${hours(c.loadHoursAfter)} h (${percent(c.utilisationAfter)})</td>
      <td>${c.wasOverAllocated ? 'further over (already over)' : 'goes over'}</td>
    </tr>`,
  );
  const table = rows.length
    ? dataTable(
        'data capacity-impact',
        ['Person', 'Week of', numColumn('Available'), numColumn('Before'), numColumn('If signed'), 'Change'],
        rows,
      )
    : '';
  const demand = impact.unassigned.filter((u) => u.hoursAfter !== u.hoursBefore);
  const unassigned = demand.length
    ? html`<p class="small">Unassigned work by role: ${demand
        .map(
          (u) =>
            `${u.role}: ${hours(u.hoursBefore)} h → ${hours(u.hoursAfter)} h in the week of ${calendarDate(u.weekOf)}`,
        )
        .join('; ')}.</p>`
    : '';
  return html`<div class="capacity-if-signed">${
    headingLevel === 'h2' ? html`<h2>Capacity if signed</h2>` : html`<h3 class="h3">Capacity if ${what} is signed</h3>`
  }
  ${sentence}${table}${unassigned}
  <p class="small"><a href="${link}">See ${over.length ? 'those weeks' : 'the weeks'} on the capacity page</a></p>
  </div>`;
}
